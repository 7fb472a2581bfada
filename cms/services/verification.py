"""Verification of KIM submissions and news: state moves, verdicts with evidence, drafts, withdrawal.

Every allowed move of a submission is one row of TRANSITIONS (from, to) → permission; anything not in the
table is refused. Each move writes one VerificationEvent (who, when, from, to, why). A verdict needs at
least one piece of evidence and a verifier who is not the submitter (for a page revision: not the
revision's author — four eyes). Verdicts on one target are serialised with SELECT … FOR UPDATE on the
target, so concurrent verifiers record exactly one decision.
"""

import datetime
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Revision

from cms.models import (
    Agency,
    Evidence,
    HoaxCategory,
    KimSubmission,
    NewsIndexPage,
    NewsPage,
    Verdict,
    VerdictChoice,
    VerificationEvent,
)
from cms.models.news import LEAD_MAX
from cms.models.verification import CLARIFICATION_VERDICTS, INFORMATION_VERDICTS
from cms.services.text import plain_text
from cms.signals import news_withdrawn

S = KimSubmission.Status
PublicStatus = KimSubmission.PublicStatus
PERM_TRIAGE = "cms.triage_submission"
PERM_VERIFY = "cms.verify_submission"
SUBMISSION_COLLECTION = "Kiriman KIM"

# The one table of allowed moves: (from, to) → permission the actor needs.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.RECEIVED, S.TRIAGE): PERM_TRIAGE,
    (S.TRIAGE, S.REJECTED): PERM_TRIAGE,
    (S.TRIAGE, S.IN_VERIFICATION): PERM_TRIAGE,
    (S.IN_VERIFICATION, S.AWAITING_CONFIRMATION): PERM_VERIFY,
    (S.AWAITING_CONFIRMATION, S.IN_VERIFICATION): PERM_VERIFY,
    (S.IN_VERIFICATION, S.VERDICT_RECORDED): PERM_VERIFY,
    (S.AWAITING_CONFIRMATION, S.VERDICT_RECORDED): PERM_VERIFY,
    (S.VERDICT_RECORDED, S.PUBLISHED_INFORMATION): PERM_VERIFY,
    (S.VERDICT_RECORDED, S.PUBLISHED_CLARIFICATION): PERM_VERIFY,
    (S.VERDICT_RECORDED, S.NOT_PUBLISHED): PERM_VERIFY,
    (S.PUBLISHED_INFORMATION, S.CORRECTED): PERM_VERIFY,
    (S.PUBLISHED_CLARIFICATION, S.CORRECTED): PERM_VERIFY,
    (S.PUBLISHED_INFORMATION, S.WITHDRAWN): PERM_VERIFY,
    (S.PUBLISHED_CLARIFICATION, S.WITHDRAWN): PERM_VERIFY,
    (S.CORRECTED, S.WITHDRAWN): PERM_VERIFY,
}

PUBLIC_STATUS = {
    S.RECEIVED: PublicStatus.RECEIVED,
    S.TRIAGE: PublicStatus.RECEIVED,
    S.IN_VERIFICATION: PublicStatus.IN_VERIFICATION,
    S.AWAITING_CONFIRMATION: PublicStatus.IN_VERIFICATION,
    S.VERDICT_RECORDED: PublicStatus.IN_VERIFICATION,
    S.PUBLISHED_INFORMATION: PublicStatus.PUBLISHED,
    S.PUBLISHED_CLARIFICATION: PublicStatus.PUBLISHED,
    S.CORRECTED: PublicStatus.PUBLISHED,
    S.REJECTED: PublicStatus.NOT_PUBLISHED,
    S.NOT_PUBLISHED: PublicStatus.NOT_PUBLISHED,
    S.WITHDRAWN: PublicStatus.NOT_PUBLISHED,
}

# States from which the contributor must be told why, in words meant for the public.
NEEDS_PUBLIC_NOTE = {S.NOT_PUBLISHED, S.CORRECTED, S.WITHDRAWN}
OPEN_STATES = (S.RECEIVED, S.TRIAGE, S.IN_VERIFICATION, S.AWAITING_CONFIRMATION, S.VERDICT_RECORDED)


class VerdictAlreadyRecorded(ValidationError):
    pass


@dataclass(frozen=True)
class EvidenceItem:
    kind: str = Evidence.Kind.NOTE
    text: str = ""
    url: str = ""
    file: File | None = None


def transition_allowed(*, from_state: str, to_state: str) -> bool:
    return (from_state, to_state) in TRANSITIONS


def transitions_for(*, submission: KimSubmission, user) -> list[str]:
    """The states this user may move the submission to next (what the admin offers)."""
    return [to for (frm, to), perm in TRANSITIONS.items() if frm == submission.status and user.has_perm(perm)]


def _rejection_public_reason(reason: str) -> str:
    return {
        KimSubmission.RejectionReason.SPAM: _("The submission is not news."),
        KimSubmission.RejectionReason.OUT_OF_SCOPE: _("The submission is outside what this office publishes."),
        KimSubmission.RejectionReason.DUPLICATE: _("The same news was already sent in another submission."),
    }.get(reason, "")


def _check_preconditions(
    *, submission: KimSubmission, to: str, note: str, rejection_reason: str, duplicate_of, due_at
) -> None:
    if to == S.REJECTED:
        if rejection_reason not in KimSubmission.RejectionReason.values:
            raise ValidationError({"rejection_reason": _("Choose why the submission is rejected.")})
        if rejection_reason == KimSubmission.RejectionReason.DUPLICATE and (
            duplicate_of is None or duplicate_of.pk == submission.pk
        ):
            raise ValidationError({"duplicate_of": _("Choose the submission this one duplicates.")})
    if to == S.AWAITING_CONFIRMATION and (due_at is None or due_at <= timezone.now()):
        raise ValidationError({"due_at": _("Give the agency a deadline in the future.")})
    if to in NEEDS_PUBLIC_NOTE and not note.strip():
        raise ValidationError({"note": _("Write the public explanation the contributor will see.")})
    verdict = submission.verdicts.first() if to != S.REJECTED else None
    if to == S.VERDICT_RECORDED and verdict is None:
        raise ValidationError(_("Record the verdict first; it moves the submission on by itself."))
    if to == S.PUBLISHED_INFORMATION and (verdict is None or verdict.verdict not in INFORMATION_VERDICTS):
        raise ValidationError(_("Only a True or Partly true verdict can be published as information."))
    if to == S.PUBLISHED_CLARIFICATION and (verdict is None or verdict.verdict not in CLARIFICATION_VERDICTS):
        raise ValidationError(_("Only a False (hoax) or Misleading verdict is published as a clarification."))
    if to in (S.PUBLISHED_INFORMATION, S.PUBLISHED_CLARIFICATION):
        page = submission.published_page
        if page is None or not page.live:
            raise ValidationError(_("Publish the news item made from this submission first."))


def _move(*, submission: KimSubmission, to: str, actor, note: str) -> VerificationEvent:
    event = VerificationEvent.objects.create(
        submission=submission, from_state=submission.status, to_state=to, actor=actor, note=note
    )
    submission.status = to
    submission.status_changed_at = event.at
    submission.public_status = PUBLIC_STATUS[to]
    fields = ["status", "status_changed_at", "public_status"]
    if to in NEEDS_PUBLIC_NOTE:
        submission.public_reason = note.strip()
        fields.append("public_reason")
    submission.save(update_fields=fields)
    return event


def submission_transition(
    *,
    submission: KimSubmission,
    to: str,
    actor,
    note: str = "",
    rejection_reason: str = "",
    duplicate_of: KimSubmission | None = None,
    due_at: datetime.datetime | None = None,
    agency: Agency | None = None,
) -> KimSubmission:
    """Move a submission along one row of TRANSITIONS, with an audit event. PermissionDenied when the actor
    lacks the row's permission; ValidationError when the move is not in the table or its conditions fail."""
    with transaction.atomic():
        locked = KimSubmission.objects.select_for_update().get(pk=submission.pk)
        permission = TRANSITIONS.get((locked.status, to))
        if permission is None:
            raise ValidationError(
                _("A submission cannot move from “%(from)s” to “%(to)s”.")
                % {"from": S(locked.status).label, "to": S(to).label if to in S.values else to}
            )
        if not actor.has_perm(permission):
            raise PermissionDenied(_("You may not make this change to a submission."))
        _check_preconditions(
            submission=locked,
            to=to,
            note=note,
            rejection_reason=rejection_reason,
            duplicate_of=duplicate_of,
            due_at=due_at,
        )
        if to == S.REJECTED:
            locked.rejection_reason = rejection_reason
            locked.duplicate_of = duplicate_of if rejection_reason == KimSubmission.RejectionReason.DUPLICATE else None
            locked.public_reason = _rejection_public_reason(rejection_reason)
            locked.save(update_fields=["rejection_reason", "duplicate_of", "public_reason"])
        if to == S.AWAITING_CONFIRMATION:
            locked.confirmation_due_at = due_at
            locked.confirmation_agency = agency
            locked.save(update_fields=["confirmation_due_at", "confirmation_agency"])
        _move(submission=locked, to=to, actor=actor, note=note)
    submission.refresh_from_db()
    return submission


def evidence_add(*, submission: KimSubmission, actor, item: EvidenceItem) -> Evidence:
    """Evidence gathered while verifying, attached to the verdict when it is recorded."""
    if not actor.has_perm(PERM_VERIFY):
        raise PermissionDenied(_("You may not verify submissions."))
    return _evidence_create(item=item, actor=actor, submission=submission)


def _evidence_create(*, item: EvidenceItem, actor, submission=None, verdict=None) -> Evidence:
    if item.kind not in Evidence.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of evidence.")})
    if not (item.text.strip() or item.url.strip() or item.file):
        raise ValidationError({"evidence": _("Evidence needs a note, a link or a file.")})
    evidence = Evidence(
        submission=submission, verdict=verdict, kind=item.kind, text=item.text.strip(), url=item.url.strip()
    )
    evidence.added_by = actor
    if item.file:
        evidence.file.save(getattr(item.file, "name", "bukti") or "bukti", item.file, save=False)
    evidence.full_clean(exclude=["file"])
    evidence.save()
    return evidence


def _check_verdict_values(*, verdict: str, category: str) -> None:
    if verdict not in VerdictChoice.values:
        raise ValidationError({"verdict": _("Choose a verdict.")})
    if verdict == VerdictChoice.TRUE and category:
        raise ValidationError({"category": _("A True verdict has no hoax category.")})
    if verdict != VerdictChoice.TRUE and category not in HoaxCategory.values:
        raise ValidationError({"category": _("Choose the hoax category for any verdict but True.")})


def verdict_record(
    *,
    verifier,
    verdict: str,
    category: str = "",
    summary: str = "",
    evidence: Sequence[EvidenceItem] = (),
    submission: KimSubmission | None = None,
    revision: Revision | None = None,
) -> Verdict:
    """Record the one verdict on a submission (in verification or awaiting confirmation) or a page revision."""
    if (submission is None) == (revision is None):
        raise ValueError("verdict_record needs exactly one of submission or revision")
    if not verifier.has_perm(PERM_VERIFY):
        raise PermissionDenied(_("You may not record verdicts."))
    _check_verdict_values(verdict=verdict, category=category)
    with transaction.atomic():
        if submission is not None:
            target = KimSubmission.objects.select_for_update().get(pk=submission.pk)
            if target.verdicts.exists():
                raise VerdictAlreadyRecorded(_("A verdict has already been recorded for this submission."))
            if target.status not in (S.IN_VERIFICATION, S.AWAITING_CONFIRMATION):
                raise ValidationError(_("Only a submission in verification can receive a verdict."))
            if target.submitted_by_id and target.submitted_by_id == verifier.pk:
                raise ValidationError(_("The verifier cannot be the person who sent the submission."))
            gathered = list(target.evidence.filter(verdict__isnull=True))
        else:
            Page.objects.select_for_update().filter(pk=revision.object_id).first()
            if Verdict.objects.filter(revision_id=revision.pk).exists():
                raise VerdictAlreadyRecorded(_("A verdict has already been recorded for this version."))
            if revision.user_id and revision.user_id == verifier.pk:
                raise ValidationError(_("The verifier cannot be the author of the version being verified."))
            gathered = []
        if not gathered and not evidence:
            raise ValidationError({"evidence": _("A verdict needs at least one piece of evidence.")})
        record = Verdict.objects.create(
            submission=submission,
            revision=revision,
            verdict=verdict,
            category=category,
            summary=summary.strip(),
            verifier=verifier,
        )
        for item in evidence:
            _evidence_create(item=item, actor=verifier, verdict=record, submission=submission)
        Evidence.objects.filter(pk__in=[e.pk for e in gathered]).update(verdict=record)
        label = VerdictChoice(verdict).label
        if submission is not None:
            _move(submission=target, to=S.VERDICT_RECORDED, actor=verifier, note=f"{label}. {summary}".strip())
        else:
            VerificationEvent.objects.create(
                page_id=revision.object_id,
                from_state="",
                to_state=f"verdict:{verdict}",
                actor=verifier,
                note=f"{label} (revision {revision.pk}). {summary}".strip(),
            )
    if submission is not None:
        submission.refresh_from_db()
    return record


def verdict_carry(*, verdict: Verdict, revision: Revision) -> Verdict:
    """The same decision on a revision that holds the verified content unchanged (a draft from a submission)."""
    return verdict.carry_to(revision)


# Submission → draft news ----------------------------------------------------------------------------------

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _draft_lead(submission: KimSubmission, verdict: Verdict) -> str:
    """A clarification's lead states the finding, not the claim: lists, feeds and share previews show the lead, and
    repeating the hoax there would spread it. Information keeps the story's first sentences."""
    if verdict.verdict not in CLARIFICATION_VERDICTS:
        return lead_from_story(submission.story)
    finding = verdict.summary.strip() or _("Checked by the communication office: this claim is not true.")
    label = verdict.get_verdict_display()
    return lead_from_story(f"{label}. {finding}")


def lead_from_story(story: str, *, limit: int = LEAD_MAX) -> str:
    """The first sentence(s) of the story that fit in the lead."""
    first_paragraph = story.strip().split("\n\n", 1)[0].replace("\n", " ").strip()
    lead = ""
    for sentence in SENTENCE_END.split(first_paragraph):
        candidate = f"{lead} {sentence}".strip()
        if len(candidate) > limit:
            break
        lead = candidate
        if len(lead) >= 120:
            break
    return lead or first_paragraph[: limit - 1].rstrip() + "…"


def story_paragraphs(story: str) -> list[tuple[str, str]]:
    """The story as paragraph blocks, stored as the page editor's rich text sends them back (block keys, spaces,
    quotes): the draft published unchanged from the editor is then the verified content, not an edit."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", story) if part.strip()]
    widget = NewsPage.body.field.stream_block.child_blocks["paragraph"].field.widget
    converter = getattr(widget, "converter", None)  # Draftail's; another editor keeps the HTML as it is

    def editor_html(html: str) -> str:
        return converter.to_database_format(converter.from_database_format(html)) if converter else html

    return [("paragraph", editor_html("<p>" + escape(part).replace("\n", "<br/>") + "</p>")) for part in paragraphs]


def _submission_collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=SUBMISSION_COLLECTION).first()
    return existing or root.add_child(name=SUBMISSION_COLLECTION)


def submission_to_draft_news(*, submission: KimSubmission, actor) -> NewsPage:
    """An unpublished news draft from a verified submission, its photos as Wagtail images in "Kiriman KIM".

    Information verdicts give the submission's title; Salah (Hoaks) and Menyesatkan give a clarification
    draft titled [HOAKS]/[KLARIFIKASI] for the editor to rewrite. The submission's verdict is carried onto
    the draft's first revision: publishing it unchanged needs no second verification, any edit does.
    """
    if not actor.has_perm(PERM_VERIFY):
        raise PermissionDenied(_("You may not verify submissions."))
    verdict = submission.verdicts.first()
    if submission.status != S.VERDICT_RECORDED or verdict is None:
        raise ValidationError(_("Record a verdict before making news of a submission."))
    if verdict.verdict not in INFORMATION_VERDICTS | CLARIFICATION_VERDICTS:
        raise ValidationError(_("A submission that cannot be verified is not published."))
    if submission.published_page_id:
        raise ValidationError(_("A news item was already made from this submission."))
    title = submission.title
    if verdict.verdict == VerdictChoice.FALSE:
        title = f"[HOAKS] {title}"
    elif verdict.verdict == VerdictChoice.MISLEADING:
        title = f"[KLARIFIKASI] {title}"
    village = submission.village
    caption = _("Photo: %(group)s, %(village)s") % {"group": submission.group.name, "village": village.name}
    image_model = get_image_model()
    with transaction.atomic():
        collection = _submission_collection()
        images = []
        for photo in submission.photos.all():
            with photo.file.open("rb") as handle:
                data = handle.read()  # the bytes re-encoded at intake: no EXIF, no appended payload
            image = image_model(
                title=f"{submission.title[:200]} ({photo.position + 1})",
                collection=collection,
                file=ImageFile(io.BytesIO(data), name=f"kiriman-{submission.receipt}-{photo.position + 1}.jpg"),
                width=photo.width,
                height=photo.height,
            )
            image.save()
            images.append(image)
        body = story_paragraphs(submission.story)
        body += [
            ("image", {"image": image, "caption": caption[:250], "credit": submission.group.name[:120]})
            for image in images[1:]
        ]
        index = NewsIndexPage.objects.get()
        page = NewsPage(
            title=title[:255],
            lead=_draft_lead(submission, verdict),
            body=body,
            hero_image=images[0] if images else None,
            district=village.district,
            village=village,
            source_kind=NewsPage.Source.KIM,
            source_kim_group=submission.group,
            live=False,
            owner=actor,
        )
        index.add_child(instance=page)
        page.categories.add(submission.category)
        page.save(update_fields=[])  # commit the ParentalManyToMany
        revision = page.save_revision(user=actor, log_action=True)
        verdict_carry(verdict=verdict, revision=revision)
        KimSubmission.objects.filter(pk=submission.pk).update(published_page=page)
        VerificationEvent.objects.create(
            submission=submission,
            page=page,
            from_state=submission.status,
            to_state="draft",
            actor=actor,
            note=_("Draft news item created by %(user)s.") % {"user": actor.get_username()},
        )
    submission.refresh_from_db()
    return page


def submission_mark_published(*, page: NewsPage, actor) -> None:
    """When the news made from a submission goes live, move the submission to its published state."""
    submission = KimSubmission.objects.filter(published_page=page, status=S.VERDICT_RECORDED).first()
    if submission is None:
        return
    verdict = submission.verdicts.first()
    to = S.PUBLISHED_CLARIFICATION if verdict and verdict.verdict in CLARIFICATION_VERDICTS else S.PUBLISHED_INFORMATION
    with transaction.atomic():
        locked = KimSubmission.objects.select_for_update().get(pk=submission.pk)
        if locked.status == S.VERDICT_RECORDED:
            _move(submission=locked, to=to, actor=actor, note=_("News item published."))


# Withdrawal and correction -------------------------------------------------------------------------------


def _check_after_publication(*, page: NewsPage, actor, explanation: str, what: str) -> str:
    if not (actor.has_perm(PERM_VERIFY) and page.permissions_for_user(actor).can_unpublish()):
        raise PermissionDenied(_("You may not withdraw or correct news."))
    if not explanation.strip():
        raise ValidationError({"explanation": _("Write the public explanation of the %(what)s.") % {"what": what}})
    return plain_text(explanation, multiline=True)


def news_withdraw(*, page: NewsPage, actor, explanation: str) -> NewsPage:
    """Take a published news item off the public site with a public explanation.

    The explanation rides on the page into Wagtail's unpublish, whose page_unpublished signal is where
    news_unpublished_record writes the audit row and sends news_withdrawn — once, whatever unpublished it.
    """
    explanation = _check_after_publication(page=page, actor=actor, explanation=explanation, what=_("withdrawal"))
    with transaction.atomic():
        locked = NewsPage.objects.select_for_update().get(pk=page.pk)
        if not locked.live:
            raise ValidationError(_("This news item is not published."))
        locked.withdrawal_explanation, locked.withdrawn_by = explanation, actor
        locked.unpublish(user=actor)
    page.refresh_from_db()
    return page


def news_unpublished_record(*, page: NewsPage, actor=None) -> VerificationEvent:
    """Every way a live news item goes down (withdrawal, Wagtail's unpublish, expiry) is recorded and signalled.

    A withdrawal carries its public explanation; an expiry says so; any other unpublish is recorded as a
    withdrawal without explanation, so channels that follow news_withdrawn never keep a stale copy. The
    signal goes out after commit: a rolled-back unpublish must not make channels take the item down.
    """
    explanation = getattr(page, "withdrawal_explanation", "") or ""
    expired = page.expired and not explanation
    to_state = "expired" if expired else "withdrawn"
    note = _("The news item reached its expiry time.") if expired else explanation
    with transaction.atomic():
        event = VerificationEvent.objects.create(
            page=page, from_state="live", to_state=to_state, actor=actor, note=note
        )
        followers = KimSubmission.objects.select_for_update().filter(
            published_page=page, status__in=[S.PUBLISHED_INFORMATION, S.PUBLISHED_CLARIFICATION, S.CORRECTED]
        )
        for submission in [] if expired else followers:
            public_note = explanation or _("The news item was taken off the site.")
            _move(submission=submission, to=S.WITHDRAWN, actor=actor, note=public_note)
    transaction.on_commit(
        lambda: news_withdrawn.send(sender=NewsPage, page=page, actor=actor, explanation=explanation, expired=expired)
    )
    return event


def news_correct(*, page: NewsPage, actor, explanation: str) -> VerificationEvent:
    """Attach a public correction note to a published news item (shown under it on every public page).

    The corrected words themselves are an edit of the page, which needs verification like any other edit;
    this records what was wrong, for readers who saw the first version.
    """
    explanation = _check_after_publication(page=page, actor=actor, explanation=explanation, what=_("correction"))
    with transaction.atomic():
        locked = NewsPage.objects.select_for_update().get(pk=page.pk)
        if not locked.live:
            raise ValidationError(_("This news item is not published."))
        event = VerificationEvent.objects.create(
            page=locked, from_state="live", to_state="corrected", actor=actor, note=explanation
        )
        for submission in KimSubmission.objects.select_for_update().filter(
            published_page=locked, status__in=[S.PUBLISHED_INFORMATION, S.PUBLISHED_CLARIFICATION]
        ):
            _move(submission=submission, to=S.CORRECTED, actor=actor, note=explanation)
    return event


def pending_counts() -> dict[str, int]:
    """Submissions waiting for someone, and those whose agency deadline has passed (dashboard)."""
    open_qs = KimSubmission.objects.filter(status__in=OPEN_STATES)
    return {
        "pending": open_qs.count(),
        "overdue": open_qs.filter(status=S.AWAITING_CONFIRMATION, confirmation_due_at__lt=timezone.now()).count(),
    }
