"""Escalation of agency confirmation requests whose deadline passed unanswered: the office hears once.

Each overdue request is claimed with a conditional UPDATE of escalated_at while its submission's row is locked
(the same lock order as answering), so however many workers run the sweep at once, one claims it; the claim
writes an audit row, and after commit one e-mail goes to the office and the verifiers and one webhook call to
SIAR_ALERT_WEBHOOK_URL. A failed send is logged, not retried: the audit row and the dashboard's overdue count
still show the request.
"""

import logging
import time
from datetime import datetime

import requests

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms.models import AgencyConfirmationRequest, KimSubmission, VerificationEvent
from cms.services.confirmation import ANSWERABLE_STATES, site_datetime
from cms.services.verification import PERM_VERIFY
from scheduler.services.alerts import WEBHOOK_TIMEOUT, office_emails

logger = logging.getLogger(__name__)

ESCALATION_BATCH = 200
ESCALATION_BUDGET = 90.0  # seconds; the task's soft limit is 100
WEBHOOK_KIND = "confirmation_overdue"


def confirmations_overdue(*, now: datetime):
    """Unanswered, unescalated requests past their deadline whose submission is still being verified."""
    return AgencyConfirmationRequest.objects.filter(
        answered_at__isnull=True,
        replaced_at__isnull=True,
        escalated_at__isnull=True,
        expires_at__lte=now,
        submission__status__in=ANSWERABLE_STATES,
    )


def confirmations_escalate(*, now: datetime | None = None, budget: float = ESCALATION_BUDGET) -> int:
    """Alert the office once about every overdue request; safe to run twice or concurrently. Returns escalated.

    Stops claiming after ``budget`` seconds (each alert may wait on the webhook), below the task's soft limit;
    the next run takes the rest.
    """
    now = now or timezone.now()
    due = confirmations_overdue(now=now).order_by("expires_at", "pk").values_list("pk", "submission_id")
    deadline = time.monotonic() + budget
    escalated = 0
    for pk, submission_id in due[:ESCALATION_BATCH]:
        if time.monotonic() > deadline:
            break
        escalated += _escalate_one(pk=pk, submission_id=submission_id, now=now)
    return escalated


def _escalate_one(*, pk: int, submission_id: int, now: datetime) -> bool:
    with transaction.atomic():
        submission = KimSubmission.objects.select_for_update().get(pk=submission_id)
        if submission.status not in ANSWERABLE_STATES:
            return False
        # The claim: only the run whose UPDATE changes the row alerts; any other finds escalated_at set. The
        # conditions are on the row itself, so PostgreSQL re-checks them after waiting for a concurrent claim.
        claimed = AgencyConfirmationRequest.objects.filter(
            pk=pk, answered_at__isnull=True, replaced_at__isnull=True, escalated_at__isnull=True, expires_at__lte=now
        ).update(escalated_at=now)
        if not claimed:
            return False
        request = AgencyConfirmationRequest.objects.select_related("agency", "requested_by").get(pk=pk)
        request.submission = submission
        with translation.override(settings.LANGUAGE_CODE):
            note = _(
                "No answer from %(contact)s (%(agency)s) by the deadline %(deadline)s; the office was alerted."
            ) % {
                "contact": request.contact_name,
                "agency": request.agency_label or _("no agency"),
                "deadline": site_datetime(request.expires_at),
            }
        VerificationEvent.objects.create(
            submission=submission, from_state=submission.status, to_state=submission.status, actor=None, note=note
        )
        transaction.on_commit(lambda: _alert_office(request, now=now))
    return True


def escalation_recipients() -> list[str]:
    """The office's alert addresses and every active user who may verify, each once."""
    users = get_user_model().objects.with_perm(PERM_VERIFY, is_active=True).exclude(email="")
    recipients: list[str] = []
    for address in office_emails() + list(users.values_list("email", flat=True)):
        if address.lower() not in {known.lower() for known in recipients}:
            recipients.append(address)
    return recipients


def _admin_url(submission: KimSubmission) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("cms_submission_verification", args=[submission.pk])


def escalation_subject(request: AgencyConfirmationRequest) -> str:
    return _("[%(site)s] Agency confirmation overdue: %(title)s") % {
        "site": settings.WAGTAIL_SITE_NAME,
        "title": request.submission.title,
    }


def escalation_body(request: AgencyConfirmationRequest) -> str:
    submission = request.submission
    lines = [
        _(
            "%(contact)s (%(agency)s) has not answered the confirmation request about “%(title)s” (receipt "
            "%(receipt)s). The deadline was %(deadline)s."
        )
        % {
            "contact": request.contact_name,
            "agency": request.agency_label or _("no agency"),
            "title": submission.title,
            "receipt": submission.receipt,
            "deadline": site_datetime(request.expires_at),
        },
        "",
        _("Question: %(question)s") % {"question": request.question},
        _("Asked by: %(user)s") % {"user": request.requested_by.get_username() if request.requested_by else "—"},
        "",
        _(
            "What to do next: call or message the contact, ask someone else at the agency with a new link, or "
            "record a verdict with the evidence you have."
        ),
        _("Details in Siar: %(url)s") % {"url": _admin_url(submission)},
    ]
    return "\n".join(lines) + "\n"


def escalation_payload(request: AgencyConfirmationRequest, *, now: datetime) -> dict:
    submission = request.submission
    return {
        "event": "siar.confirmation.overdue",
        "kind": WEBHOOK_KIND,
        "message_id": f"siar-confirmation-{request.pk}",
        "message": escalation_subject(request),
        "submission": {"id": submission.pk, "receipt": submission.receipt, "title": submission.title},
        "request": {
            "id": request.pk,
            "contact": request.contact_name,
            "agency": request.agency_label,
            "question": request.question,
            "deadline": request.expires_at.isoformat(),
            "asked_at": request.created_at.isoformat(),
        },
        "at": now.isoformat(),
        "url_admin": _admin_url(submission),
    }


def _alert_office(request: AgencyConfirmationRequest, *, now: datetime) -> None:
    """One e-mail and one webhook call; a failure is logged (the audit row and the dashboard still show it)."""
    with translation.override(settings.LANGUAGE_CODE):
        recipients = escalation_recipients()
        if recipients:
            message = EmailMessage(
                subject=escalation_subject(request),
                body=escalation_body(request),
                to=recipients,
                headers={"X-Siar-Message-Id": f"siar-confirmation-{request.pk}"},
            )
            try:
                message.send(fail_silently=False)
            except Exception:  # noqa: BLE001 - the webhook is still tried
                logger.exception("Confirmation request %s: the escalation e-mail failed", request.pk)
        if settings.SIAR_ALERT_WEBHOOK_URL:
            _post_webhook(escalation_payload(request, now=now))


def _post_webhook(payload: dict) -> None:
    try:
        response = requests.post(
            settings.SIAR_ALERT_WEBHOOK_URL,
            json=payload,
            timeout=WEBHOOK_TIMEOUT,
            allow_redirects=False,
            headers={"User-Agent": "Siar-alerts/1.0", "Idempotency-Key": payload["message_id"]},
        )
    except requests.RequestException:
        logger.exception("Escalation %s: the webhook could not be reached", payload["message_id"])
        return
    if not 200 <= response.status_code < 300:
        logger.error("Escalation %s: the webhook answered HTTP %s", payload["message_id"], response.status_code)
