"""Agency confirmation without an account: ask a named contact by a signed, expiring, single-use link; record the
answer as evidence; escalate to the office when the deadline passes unanswered.

The link carries the request's id and a random nonce, signed with Django's signing (SECRET_KEY, its own salt);
only the nonce's SHA-256 is stored. A link answers only its own request, once, before its deadline, while the
submission is still being verified. Answering locks the submission and then the request, as creating and
escalating (cms.services.confirmation_escalation) do, so concurrent writers wait for each other instead of
deadlocking; the second answer finds the request answered.
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from wagtail.models import Site

from cms.models import Agency, AgencyConfirmationRequest, Evidence, KimSubmission, SiteProfile, VerificationEvent
from cms.models.confirmation import COMMENT_MAX, CONTACT_NAME_MAX, QUESTION_MAX
from cms.services.ratelimit import Limit, ip_hash
from cms.services.text import plain_text
from cms.services.verification import PERM_VERIFY, _move, submission_transition, transition_allowed
from cms.templatetags.siar_tags import siar_datetime
from cms.validators import normalise_whatsapp, validate_phone, validate_whatsapp
from scheduler.services.alerts import site_zone

logger = logging.getLogger(__name__)

S = KimSubmission.Status
Answer = AgencyConfirmationRequest.Answer
CONFIRMATION_SALT = "siar.konfirmasi.link"  # noqa: S105 - a signing salt, not a secret
# Every visit to /konfirmasi/ from one address counts; a contact opening, answering and reloading stays far below.
CONFIRMATIONS_PER_ADDRESS = Limit("confirm-ip", 30, 10 * 60)
ANSWERABLE_STATES = (S.IN_VERIFICATION, S.AWAITING_CONFIRMATION)


class ConfirmationLinkRefused(Exception):
    """Why a link cannot be used now; ``request`` is known for every reason but INVALID."""

    INVALID = "invalid"  # tampered, unknown, or not ours at all
    EXPIRED = "expired"
    ANSWERED = "answered"
    REPLACED = "replaced"
    CLOSED = "closed"  # the office has finished verifying the story

    def __init__(self, reason: str, request: AgencyConfirmationRequest | None = None):
        super().__init__(reason)
        self.reason = reason
        self.request = request


@dataclass
class ConfirmationLink:
    """What the verifier gets once: the link to pass on by hand (WhatsApp) and whether the e-mail went out."""

    request: AgencyConfirmationRequest
    url: str
    whatsapp_url: str = ""
    emailed: bool | None = None  # None: no e-mail address; False: sending failed, so the link must go another way


# Links ---------------------------------------------------------------------------------------------------------


def _digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _token_parts(token: str) -> tuple[int, str]:
    try:
        pk, nonce = signing.loads(token or "", salt=CONFIRMATION_SALT)
        return int(pk), str(nonce)
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise ConfirmationLinkRefused(ConfirmationLinkRefused.INVALID) from error


def _absolute_link(*, pk: int, nonce: str) -> str:
    token = signing.dumps([pk, nonce], salt=CONFIRMATION_SALT)
    with translation.override(settings.LANGUAGE_CODE):  # the contact's link is in the site's language
        path = reverse("confirmation_answer", args=[token])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _check_usable(request: AgencyConfirmationRequest | None, nonce: str, now: datetime) -> None:
    if request is None or not constant_time_compare(request.token_digest, _digest(nonce)):
        raise ConfirmationLinkRefused(ConfirmationLinkRefused.INVALID)
    if request.answered_at:
        raise ConfirmationLinkRefused(ConfirmationLinkRefused.ANSWERED, request)
    if request.replaced_at:
        raise ConfirmationLinkRefused(ConfirmationLinkRefused.REPLACED, request)
    if now >= request.expires_at:
        raise ConfirmationLinkRefused(ConfirmationLinkRefused.EXPIRED, request)
    if request.submission.status not in ANSWERABLE_STATES:
        raise ConfirmationLinkRefused(ConfirmationLinkRefused.CLOSED, request)


def confirmation_open(*, token: str, now: datetime | None = None) -> AgencyConfirmationRequest:
    """The request this link may answer now; ConfirmationLinkRefused says why not."""
    pk, nonce = _token_parts(token)
    request = (
        AgencyConfirmationRequest.objects.select_related("submission__village", "submission__group", "agency")
        .filter(pk=pk)
        .first()
    )
    _check_usable(request, nonce, now or timezone.now())
    return request


# Asking --------------------------------------------------------------------------------------------------------


def site_profile() -> SiteProfile | None:
    site = Site.objects.filter(is_default_site=True).first()
    return SiteProfile.for_site(site) if site is not None else None


def office_name() -> str:
    profile = site_profile()
    return (profile.office_name or profile.name) if profile is not None else settings.WAGTAIL_SITE_NAME


def site_datetime(value: datetime) -> str:
    with timezone.override(site_zone()):
        return siar_datetime(value)


def _contact(*, agency: Agency | None, name: str, email: str, phone: str) -> tuple[str, str, str]:
    """Name, e-mail and phone to ask; blank ones come from the agency's person in charge."""
    name, email, phone = plain_text(name), email.strip(), phone.strip()
    # Only the agency's own person in charge borrows its addresses: another name needs its own e-mail or phone.
    if agency is not None and name in ("", agency.contact_name) and not (email or phone):
        name, email, phone = agency.contact_name, agency.contact_email, agency.contact_phone
    errors = {}
    if not name:
        errors["contact_name"] = _("Write the name of the person who is to answer.")
    elif len(name) > CONTACT_NAME_MAX:
        errors["contact_name"] = _("Write the name in at most %(count)d characters.") % {"count": CONTACT_NAME_MAX}
    if not (email or phone):
        errors["contact_email"] = (
            _(
                "The agency has no e-mail or phone of its person in charge in Siar. Type the contact's e-mail or "
                "WhatsApp number, or add them to the agency."
            )
            if agency is not None and name == agency.contact_name
            else _("Type the contact's e-mail or WhatsApp number (or both).")
        )
    for field, value, validate in (("contact_email", email, validate_email), ("contact_phone", phone, validate_phone)):
        if value and field not in errors:
            try:
                validate(value)
            except ValidationError as error:
                errors[field] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    return name, email, phone


def _clean_question(question: str) -> str:
    question = plain_text(question, multiline=True)
    if not question:
        raise ValidationError({"question": _("Write the question the contact is to answer.")})
    if len(question) > QUESTION_MAX:
        raise ValidationError(
            {"question": _("Keep the question under %(count)d characters.") % {"count": QUESTION_MAX}}
        )
    return question


def _whatsapp_url(request: AgencyConfirmationRequest, url: str) -> str:
    try:
        validate_whatsapp(request.contact_phone)
    except ValidationError:
        return ""  # no phone, or a landline: the verifier copies the link instead
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "Good day, %(name)s. %(office)s asks for your confirmation: %(question)s\n"
            "Please answer before %(deadline)s here (the link works once): %(url)s"
        ) % {
            "name": request.contact_name,
            "office": office_name(),
            "question": request.question,
            "deadline": site_datetime(request.expires_at),
            "url": url,
        }
    return f"https://wa.me/{normalise_whatsapp(request.contact_phone).lstrip('+')}?text={quote(text)}"


def _ask_on_submission(*, submission: KimSubmission, actor, agency, note: str, due_at: datetime) -> None:
    """Move the (locked) submission to awaiting confirmation, or log the extra question if it already waits."""
    if submission.status == S.IN_VERIFICATION:
        submission_transition(
            submission=submission, to=S.AWAITING_CONFIRMATION, actor=actor, note=note, due_at=due_at, agency=agency
        )
    elif submission.status == S.AWAITING_CONFIRMATION:
        VerificationEvent.objects.create(
            submission=submission, from_state=submission.status, to_state=submission.status, actor=actor, note=note
        )
        if submission.confirmation_due_at is None or due_at < submission.confirmation_due_at:
            # The dashboard counts the submission overdue from its earliest open deadline.
            KimSubmission.objects.filter(pk=submission.pk).update(confirmation_due_at=due_at)
    else:
        raise ValidationError(
            _("Only a submission in verification can be sent to an agency. Move it to “In verification” first.")
        )


def confirmation_request_create(
    *,
    submission: KimSubmission,
    actor,
    question: str,
    due_at: datetime | None,
    agency: Agency | None = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> ConfirmationLink:
    """Ask a contact to confirm or deny, by a link e-mailed to them (on commit) and returned for WhatsApp.

    Asking the same contact again about the same submission replaces the earlier link, which then stops working.
    """
    if not actor.has_perm(PERM_VERIFY):
        raise PermissionDenied(_("You may not verify submissions."))
    name, email, phone = _contact(agency=agency, name=contact_name, email=contact_email, phone=contact_phone)
    question = _clean_question(question)
    now = timezone.now()
    if due_at is None or due_at <= now:
        raise ValidationError({"due_at": _("Give the agency a deadline in the future.")})
    with transaction.atomic():
        locked = KimSubmission.objects.select_for_update().get(pk=submission.pk)
        contact = f"{name} ({agency})" if agency is not None else name
        note = _("Confirmation asked of %(contact)s by link, answer due %(deadline)s.") % {
            "contact": contact,
            "deadline": site_datetime(due_at),
        }
        _ask_on_submission(submission=locked, actor=actor, agency=agency, note=note, due_at=due_at)
        same_contact = AgencyConfirmationRequest.objects.filter(
            submission=locked, answered_at__isnull=True, replaced_at__isnull=True
        )
        (same_contact.filter(contact_email__iexact=email) if email else same_contact.none()).update(replaced_at=now)
        (same_contact.filter(contact_phone=phone) if phone else same_contact.none()).update(replaced_at=now)
        nonce = secrets.token_urlsafe(16)
        request = AgencyConfirmationRequest.objects.create(
            submission=locked,
            agency=agency,
            contact_name=name,
            contact_email=email,
            contact_phone=phone,
            question=question,
            requested_by=actor,
            created_at=now,
            expires_at=due_at,
            token_digest=_digest(nonce),
        )
        url = _absolute_link(pk=request.pk, nonce=nonce)
        link = ConfirmationLink(request=request, url=url, whatsapp_url=_whatsapp_url(request, url))
        if email:
            transaction.on_commit(lambda: _email_contact(link))
    submission.refresh_from_db()
    return link


def _email_contact(link: ConfirmationLink) -> None:
    request = link.request
    profile = site_profile()
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Dear %(name)s,") % {"name": request.contact_name},
            "",
            _(
                "%(office)s is verifying a story sent by a community information group (KIM) and asks for your "
                "confirmation before anything is published."
            )
            % {"office": office_name()},
            "",
            _("Story: %(title)s") % {"title": request.submission.title},
            _("Question: %(question)s") % {"question": request.question},
            _("Please answer before %(deadline)s.") % {"deadline": site_datetime(request.expires_at)},
            "",
            _("Confirm or deny here (no account needed; the link works once, until the deadline):"),
            link.url,
            "",
            _("Questions? Contact %(office)s: %(contact)s")
            % {"office": office_name(), "contact": office_contact(profile)},
        ]
        message = EmailMessage(
            subject=_("[%(site)s] Request for confirmation: %(title)s")
            % {"site": settings.WAGTAIL_SITE_NAME, "title": request.submission.title},
            body="\n".join(lines) + "\n",
            to=[request.contact_email],
            headers={"X-Siar-Message-Id": f"siar-confirmation-request-{request.pk}"},
        )
    try:
        message.send(fail_silently=False)
    except Exception:  # noqa: BLE001 - the verifier is told to pass the link on another way
        logger.exception("Confirmation request %s: the e-mail to the contact failed", request.pk)
        link.emailed = False
    else:
        link.emailed = True


def office_contact(profile: SiteProfile | None) -> str:
    """The office's phone, WhatsApp and e-mail as one line, for people who cannot use the link."""
    if profile is None:
        return settings.WAGTAIL_SITE_NAME
    parts = [
        part for part in (profile.phone, profile.whatsapp and f"WhatsApp {profile.whatsapp}", profile.email) if part
    ]
    return ", ".join(parts) or (profile.office_name or profile.name)


# Answering -----------------------------------------------------------------------------------------------------


def _clean_answer(*, answer: str, comment: str, answered_by_name: str) -> tuple[str, str]:
    errors = {}
    if answer not in Answer.values:
        errors["answer"] = _("Choose whether you confirm or deny.")
    comment = plain_text(comment, multiline=True)
    if len(comment) > COMMENT_MAX:
        errors["comment"] = _("Keep the comment under %(count)d characters.") % {"count": COMMENT_MAX}
    name = plain_text(answered_by_name)
    if len(name) > CONTACT_NAME_MAX:
        errors["answered_by_name"] = _("Write the name in at most %(count)d characters.") % {"count": CONTACT_NAME_MAX}
    if errors:
        raise ValidationError(errors)
    return comment, name


def _evidence_text(request: AgencyConfirmationRequest) -> str:
    answer = _("confirms") if request.answer == Answer.CONFIRMS else _("denies")
    lines = [
        _("%(person)s (%(agency)s) %(answer)s.")
        % {"person": request.answered_by_name, "agency": request.agency_label or _("no agency"), "answer": answer},
        _("Question: %(question)s") % {"question": request.question},
    ]
    if request.comment:
        lines.append(_("Comment: %(comment)s") % {"comment": request.comment})
    lines.append(
        _(
            "Answered %(at)s through the single-use confirmation link sent to %(contact)s (%(address)s) "
            "by %(requester)s."
        )
        % {
            "at": site_datetime(request.answered_at),
            "contact": request.contact_name,
            "address": ", ".join(part for part in (request.contact_email, request.contact_phone) if part),
            "requester": request.requested_by.get_username() if request.requested_by else "—",
        }
    )
    return "\n".join(lines)


def _record_answer(*, submission: KimSubmission, request: AgencyConfirmationRequest) -> None:
    """Evidence of kind agency, and one audit row; back to in verification when the submission waited."""
    with translation.override(settings.LANGUAGE_CODE):  # stored text is in the site's language
        Evidence.objects.create(submission=submission, kind=Evidence.Kind.AGENCY, text=_evidence_text(request))
        answer = _("confirms") if request.answer == Answer.CONFIRMS else _("denies")
        note = _("Answered by %(contact)s (%(agency)s) via confirmation link: %(answer)s.") % {
            "contact": request.answered_by_name,
            "agency": request.agency_label or _("no agency"),
            "answer": answer,
        }
    if submission.status == S.AWAITING_CONFIRMATION and transition_allowed(
        from_state=submission.status, to_state=S.IN_VERIFICATION
    ):
        # No person of ours acted: the audit row has no actor, and its note names who answered.
        _move(submission=submission, to=S.IN_VERIFICATION, actor=None, note=note)
    else:
        VerificationEvent.objects.create(
            submission=submission, from_state=submission.status, to_state=submission.status, actor=None, note=note
        )


def confirmation_answer(
    *, token: str, answer: str, comment: str = "", answered_by_name: str = "", ip: str = "", now=None
) -> AgencyConfirmationRequest:
    """Record the contact's answer once; ConfirmationLinkRefused when the link cannot be used (any more)."""
    pk, nonce = _token_parts(token)
    comment, name = _clean_answer(answer=answer, comment=comment, answered_by_name=answered_by_name)
    now = now or timezone.now()
    submission_id = AgencyConfirmationRequest.objects.filter(pk=pk).values_list("submission_id", flat=True).first()
    if submission_id is None:
        raise ConfirmationLinkRefused(ConfirmationLinkRefused.INVALID)
    with transaction.atomic():
        submission = KimSubmission.objects.select_for_update().get(pk=submission_id)
        request = AgencyConfirmationRequest.objects.select_for_update().get(pk=pk)
        request.submission = submission
        _check_usable(request, nonce, now)
        request.answer, request.comment, request.answered_at = answer, comment, now
        request.answered_by_name = name or request.contact_name
        request.answered_ip_hash = ip_hash(ip) if ip else ""
        request.save(update_fields=["answer", "comment", "answered_at", "answered_by_name", "answered_ip_hash"])
        _record_answer(submission=submission, request=request)
    return request
