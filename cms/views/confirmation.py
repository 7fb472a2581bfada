"""The page behind an agency confirmation link (/konfirmasi/<token>/): the contact reads the question and the story
and confirms or denies, with no account and no JavaScript. The service decides whether the link may be used.

The token is in the address, so no response is cached, indexed or sent on as a referrer to another site. The
policy is same-origin rather than no-referrer: under no-referrer browsers send the form's POST with
``Origin: null``, which Django's CSRF check rightly refuses; same-origin keeps the address within this site.
"""

import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from cms.forms import ConfirmationAnswerForm
from cms.models import SiteProfile
from cms.services.confirmation import (
    CONFIRMATIONS_PER_ADDRESS,
    ConfirmationLinkRefused,
    confirmation_answer,
    confirmation_open,
)
from cms.services.ratelimit import client_ip, ip_rate_key, limit_hit

PROBLEM_STATUS = {ConfirmationLinkRefused.INVALID: 404}  # every other refusal: 410, the link is gone for good
RATE_LIMITED = "rate_limited"
PROBLEM_TITLES = {
    ConfirmationLinkRefused.INVALID: _("This confirmation link does not work"),
    ConfirmationLinkRefused.EXPIRED: _("The deadline of this request has passed"),
    ConfirmationLinkRefused.ANSWERED: _("This request was already answered"),
    ConfirmationLinkRefused.REPLACED: _("This link was replaced by a newer one"),
    ConfirmationLinkRefused.CLOSED: _("The office has finished verifying this story"),
    RATE_LIMITED: _("Too many attempts"),
}


def _private(response, **headers):
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _page(request, template: str, context: dict, *, status: int = 200, **headers):
    context = {"office": SiteProfile.for_request(request), **context}
    if "reason" in context:
        context["title"] = PROBLEM_TITLES[context["reason"]]
    return _private(render(request, f"confirmation/{template}", context, status=status), **headers)


def _problem(request, refused: ConfirmationLinkRefused):
    context = {"reason": refused.reason, "confirmation": refused.request}
    return _page(request, "problem.html", context, status=PROBLEM_STATUS.get(refused.reason, 410))


@require_http_methods(["GET", "POST"])
def confirmation_answer_view(request, token: str):
    state = limit_hit(CONFIRMATIONS_PER_ADDRESS, ip_rate_key(client_ip(request)))
    if not state.allowed:
        context = {
            "reason": RATE_LIMITED,
            "minutes": max(1, -(-state.retry_after // 60)),
            "retry_at": timezone.now() + datetime.timedelta(seconds=state.retry_after),
        }
        return _page(request, "problem.html", context, status=429, Retry_After=str(state.retry_after))
    try:
        confirmation = confirmation_open(token=token)
    except ConfirmationLinkRefused as refused:
        return _problem(request, refused)
    form = ConfirmationAnswerForm(
        request.POST if request.method == "POST" else None, initial={"answered_by_name": confirmation.contact_name}
    )
    if form.is_valid():
        try:
            answered = confirmation_answer(token=token, ip=client_ip(request), **form.cleaned_data)
        except ConfirmationLinkRefused as refused:
            return _problem(request, refused)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return _page(request, "thanks.html", {"confirmation": answered})
    return _page(
        request, "form.html", {"confirmation": confirmation, "form": form}, status=400 if form.is_bound else 200
    )
