"""The one dynamic public endpoint: the KIM submission form (/kirim/), its receipt and status pages, and the
same intake for the app (POST /api/v1/submissions/ with a group's key).

Order of defences on a POST: rate limit per address (before any parsing work), then CSRF (middleware, form
only), honeypot and time trap (form only), then the form's validation, which re-encodes every photo, and
the service, which stores everything or nothing. Each refusal says in the reader's language what to do.
"""

import datetime
import json

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from cms.forms import (
    HONEYPOT_FIELD,
    TOKEN_FIELD,
    ApiSubmissionForm,
    PublicSubmissionForm,
    ReceiptLookupForm,
    form_token_issue,
    form_token_problem,
)
from cms.models import KimSubmission
from cms.models.submissions import receipt_normalise
from cms.services.ratelimit import SUBMISSIONS_PER_ADDRESS, client_ip, ip_rate_key, limit_hit
from cms.services.submissions import SubmissionRateLimited, api_key_authenticate, submission_create
from cms.templatetags.siar_tags import siar_time

FORM_TEMPLATE = "submissions/form.html"
TEXT_FIELDS = [
    "group",
    "contributor_name",
    "contributor_phone",
    "title",
    "story",
    "category",
    "village",
    "event_date",
    "link",
]


def csrf_failure(request, reason=""):
    """Django's CSRF refusal, explained: reload the page (and allow cookies), then send again."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)


def _retry_message(*, scope: str, retry_after: int) -> str:
    minutes = max(1, -(-retry_after // 60))
    at = siar_time(timezone.localtime(timezone.now() + datetime.timedelta(seconds=retry_after)))
    if scope == SUBMISSIONS_PER_ADDRESS.scope:
        return _(
            "Too many submissions from your connection in a short time. Try again in %(minutes)d minutes "
            "(after %(time)s)."
        ) % {"minutes": minutes, "time": at}
    return _(
        "This KIM group has sent many stories in the last hour. Try again in %(minutes)d minutes (after %(time)s)."
    ) % {"minutes": minutes, "time": at}


def _fresh_form(request, *, keep_typed: bool = True) -> PublicSubmissionForm:
    """An unbound form with what the person typed as initial values and a new time-trap token."""
    initial = {name: request.POST.get(name, "") for name in TEXT_FIELDS} if keep_typed else {}
    initial[TOKEN_FIELD] = form_token_issue()
    return PublicSubmissionForm(initial=initial)


def _render_form(request, form, *, status: int = 200, notice: str = "", photos_lost: bool = False, **headers):
    response = render(
        request, FORM_TEMPLATE, {"form": form, "notice": notice, "photos_lost": photos_lost}, status=status
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _rate_limited_form(request, *, scope: str, retry_after: int, photos_lost: bool):
    """429 with Retry-After, the form refilled and a message saying when to try again."""
    return _render_form(
        request,
        _fresh_form(request),
        status=429,
        notice=_retry_message(scope=scope, retry_after=retry_after),
        photos_lost=photos_lost,
        Retry_After=str(retry_after),
    )


@require_http_methods(["GET", "POST"])
def submission_form(request):
    if request.method == "GET":
        return _render_form(request, _fresh_form(request, keep_typed=False))

    photos_sent = bool(request.FILES.getlist("photos"))
    state = limit_hit(SUBMISSIONS_PER_ADDRESS, ip_rate_key(client_ip(request)))
    if not state.allowed:
        return _rate_limited_form(
            request, scope=SUBMISSIONS_PER_ADDRESS.scope, retry_after=state.retry_after, photos_lost=photos_sent
        )

    if request.POST.get(HONEYPOT_FIELD):
        notice = _("We could not accept this submission. Reload the form and send it again.")
        return _render_form(request, _fresh_form(request), status=400, notice=notice, photos_lost=photos_sent)
    problem = form_token_problem(request.POST.get(TOKEN_FIELD))
    if problem:
        notice = {
            "too_fast": _("The form was sent too quickly after it was opened. Check your entries and send it again."),
            "expired": _(
                "The form was open for more than 2 hours, so it has been loaded again. Check your entries and "
                "send it again."
            ),
        }.get(problem, _("The form could not be checked. Reload the page and send it again."))
        return _render_form(request, _fresh_form(request), status=400, notice=notice, photos_lost=photos_sent)

    form = PublicSubmissionForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = submission_create(
                group=data["group"],
                contributor_name=data["contributor_name"],
                contributor_phone=data["contributor_phone"],
                title=data["title"],
                story=data["story"],
                category=data["category"],
                village=data["village"],
                event_date=data["event_date"],
                link=data["link"],
                photos=data["photos"],
                channel=KimSubmission.Channel.FORM,
                ip=client_ip(request),
            )
        except SubmissionRateLimited as limited:
            return _rate_limited_form(
                request, scope=limited.scope, retry_after=limited.retry_after, photos_lost=photos_sent
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect("submission_thanks", receipt=result.submission.receipt)
    return _render_form(request, form, status=400, photos_lost=photos_sent)


def _submission_or_404(receipt: str) -> KimSubmission:
    normalised = receipt_normalise(receipt)
    submission = (
        KimSubmission.objects.select_related("group", "published_page").filter(receipt=normalised).first()
        if normalised
        else None
    )
    if submission is None:
        raise Http404
    return submission


@require_GET
def submission_thanks(request, receipt: str):
    submission = _submission_or_404(receipt)
    return render(request, "submissions/thanks.html", {"submission": submission})


@require_GET
def submission_status_lookup(request):
    form = ReceiptLookupForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        return redirect("submission_status", receipt=form.cleaned_data["code"])
    return render(request, "submissions/lookup.html", {"form": form}, status=400 if form.is_bound else 200)


@require_GET
def submission_status(request, receipt: str):
    try:
        submission = _submission_or_404(receipt)
    except Http404:
        form = ReceiptLookupForm(initial={"code": receipt[:40]})
        return render(request, "submissions/lookup.html", {"form": form, "not_found": True}, status=404)
    if submission.receipt != receipt:
        return redirect("submission_status", receipt=submission.receipt)
    return render(request, "submissions/status.html", {"submission": submission})


# --- the app API ------------------------------------------------------------------------------------------


def _api_language(request) -> str:
    # The API lives outside i18n_patterns: follow the client's Accept-Language (Indonesian by default).
    return translation.get_language_from_request(request, check_path=False)


def _json_error(message: str, status: int, **headers) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def public_status(request, submission: KimSubmission) -> dict:
    """Everything the public may know about a submission, and nothing more."""
    published_url = submission.published_url
    return {
        "receipt": submission.receipt,
        "title": submission.title,
        "group": submission.group.name,
        "received_at": submission.created_at.isoformat(),
        "status": submission.public_status,
        "status_label": str(submission.get_public_status_display()),
        "published_url": request.build_absolute_uri(published_url) if published_url else None,
        "reason": submission.public_reason
        if submission.public_status == KimSubmission.PublicStatus.NOT_PUBLISHED
        else "",
        "status_url": request.build_absolute_uri(reverse("submission_status", args=[submission.receipt])),
    }


@csrf_exempt  # authenticated by a bearer key, never by a cookie: there is no session to forge a request with
@require_http_methods(["POST"])
def api_submission_create(request):
    with translation.override(_api_language(request)):
        return _api_submission_create(request)


def _api_submission_create(request):
    state = limit_hit(SUBMISSIONS_PER_ADDRESS, ip_rate_key(client_ip(request)))
    if not state.allowed:
        message = _retry_message(scope=SUBMISSIONS_PER_ADDRESS.scope, retry_after=state.retry_after)
        return _json_error(message, 429, Retry_After=str(state.retry_after))
    scheme, _space, raw_key = request.headers.get("Authorization", "").partition(" ")
    api_key = api_key_authenticate(raw_key=raw_key) if scheme.lower() == "bearer" else None
    if api_key is None:
        return _json_error(
            _(
                "Missing, unknown or revoked key. Send the key the office issued to your KIM group as: "
                "Authorization: Bearer <key>."
            ),
            401,
            WWW_Authenticate='Bearer realm="siar"',
        )
    if request.content_type == "application/json":
        try:
            payload = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            payload = None
        if not isinstance(payload, dict):
            return _json_error(_("The request body is not a JSON object."), 400)
        data = {key: value if isinstance(value, str) else str(value) for key, value in payload.items()}
    else:
        data = request.POST
    form = ApiSubmissionForm(data, request.FILES)
    if not form.is_valid():
        errors = {field: [str(message) for message in messages] for field, messages in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False})
    cleaned = form.cleaned_data
    try:
        result = submission_create(
            group=api_key.group,
            contributor_name=cleaned["contributor_name"],
            contributor_phone=cleaned["contributor_phone"],
            title=cleaned["title"],
            story=cleaned["story"],
            category=cleaned["category"],
            village=cleaned["village"],
            event_date=cleaned["event_date"],
            link=cleaned["link"],
            photos=cleaned["photos"],
            channel=KimSubmission.Channel.API,
            ip=client_ip(request),
            api_key=api_key,
        )
    except SubmissionRateLimited as limited:
        message = _retry_message(scope=limited.scope, retry_after=limited.retry_after)
        return _json_error(message, 429, Retry_After=str(limited.retry_after))
    except ValidationError as error:
        errors = {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
        return JsonResponse({"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False})
    submission = result.submission
    body = {
        "receipt": submission.receipt,
        "duplicate": not result.created,
        "status_url": request.build_absolute_uri(reverse("submission_status", args=[submission.receipt])),
    }
    return JsonResponse(body, status=201 if result.created else 200)


@require_GET
def api_submission_status(request, receipt: str):
    with translation.override(_api_language(request)):
        try:
            submission = _submission_or_404(receipt)
        except Http404:
            return _json_error(_("No submission has this receipt code. Check the code and try again."), 404)
        return JsonResponse(public_status(request, submission), json_dumps_params={"ensure_ascii": False})
