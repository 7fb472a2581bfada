"""Submission states: every move in the table, every move outside it, who may make it, and the audit trail."""

import datetime
import itertools

import pytest

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cms.models import Evidence, KimSubmission, Verdict, VerdictChoice, VerificationEvent
from cms.services.submissions import submission_create
from cms.services.verification import (
    PERM_TRIAGE,
    PERM_VERIFY,
    TRANSITIONS,
    EvidenceItem,
    submission_transition,
    verdict_record,
)
from tests.factories import NewsPageFactory, VillageFactory
from tests.submission_support import STORY, TITLE

S = KimSubmission.Status
pytestmark = pytest.mark.django_db


def _submission(intake, *, title=TITLE) -> KimSubmission:
    return submission_create(
        group=intake["group"],
        contributor_name="Siti Aminah",
        contributor_phone="0812-3456-7890",
        title=title,
        story=STORY,
        category=intake["category"],
        village=intake["village"],
        event_date=datetime.date(2026, 8, 17),
    ).submission


def _at(submission: KimSubmission, state: str, *, verdict: str = VerdictChoice.TRUE) -> KimSubmission:
    """Put a submission into a state directly (the arrangement, not the thing under test)."""
    KimSubmission.objects.filter(pk=submission.pk).update(status=state)
    if state in (S.VERDICT_RECORDED, S.PUBLISHED_INFORMATION, S.PUBLISHED_CLARIFICATION, S.CORRECTED, S.WITHDRAWN):
        from tests.factories import verifier_user

        Verdict.objects.create(
            submission=submission,
            verdict=verdict,
            category="" if verdict == VerdictChoice.TRUE else "fabricated",
            verifier=verifier_user(),
        )
    submission.refresh_from_db()
    return submission


def _arguments_for(to: str, intake) -> dict:
    arguments = {"note": "Catatan publik untuk pengirim."}
    if to == S.REJECTED:
        arguments["rejection_reason"] = KimSubmission.RejectionReason.SPAM
    if to == S.AWAITING_CONFIRMATION:
        arguments["due_at"] = timezone.now() + datetime.timedelta(days=2)
    return arguments


ALL_STATES = list(S.values)
FORBIDDEN = [(frm, to) for frm, to in itertools.product(ALL_STATES, ALL_STATES) if (frm, to) not in TRANSITIONS]
# Moves whose preconditions are met by the arrangement above (a verdict, and for publishing a live page).
DIRECT_MOVES = [move for move in TRANSITIONS if move[1] != S.VERDICT_RECORDED]


@pytest.mark.parametrize(("frm", "to"), DIRECT_MOVES, ids=[f"{a}->{b}" for a, b in DIRECT_MOVES])
def test_every_allowed_move_is_made_by_a_moderator_and_audited(intake, moderator, frm, to):
    verdict = VerdictChoice.FALSE if to == S.PUBLISHED_CLARIFICATION or frm == S.PUBLISHED_CLARIFICATION else "true"
    submission = _at(_submission(intake), frm, verdict=verdict)
    if to in (S.PUBLISHED_INFORMATION, S.PUBLISHED_CLARIFICATION):
        KimSubmission.objects.filter(pk=submission.pk).update(published_page=NewsPageFactory())
        submission.refresh_from_db()
    submission_transition(submission=submission, to=to, actor=moderator, **_arguments_for(to, intake))
    assert submission.status == to
    event = VerificationEvent.objects.get(submission=submission)
    assert (event.from_state, event.to_state, event.actor) == (frm, to, moderator)
    assert event.note == "Catatan publik untuk pengirim."
    assert event.at is not None


@pytest.mark.parametrize(("frm", "to"), FORBIDDEN, ids=[f"{a}->{b}" for a, b in FORBIDDEN])
def test_every_move_outside_the_table_is_refused_without_a_trace(intake, moderator, frm, to):
    submission = _at(_submission(intake), frm)
    with pytest.raises(ValidationError):
        submission_transition(submission=submission, to=to, actor=moderator, **_arguments_for(to, intake))
    assert KimSubmission.objects.get(pk=submission.pk).status == frm
    assert not VerificationEvent.objects.filter(submission=submission).exists()


@pytest.mark.parametrize(("frm", "to"), list(TRANSITIONS), ids=[f"{a}->{b}" for a, b in TRANSITIONS])
def test_editors_may_triage_but_not_verify(intake, editor, frm, to):
    submission = _at(_submission(intake), frm)
    if TRANSITIONS[(frm, to)] == PERM_TRIAGE:
        submission_transition(submission=submission, to=to, actor=editor, **_arguments_for(to, intake))
        assert submission.status == to
    else:
        assert TRANSITIONS[(frm, to)] == PERM_VERIFY
        with pytest.raises(PermissionDenied):
            submission_transition(submission=submission, to=to, actor=editor, **_arguments_for(to, intake))
        assert KimSubmission.objects.get(pk=submission.pk).status == frm


def test_a_user_without_permissions_may_not_even_triage(intake, outsider):
    submission = _submission(intake)
    with pytest.raises(PermissionDenied):
        submission_transition(submission=submission, to=S.TRIAGE, actor=outsider)


def test_rejection_needs_a_reason_and_a_duplicate_needs_its_original(intake, editor):
    first = _at(_submission(intake), S.TRIAGE)
    second = _at(_submission(intake, title="Judul lain yang berbeda sekali"), S.TRIAGE)
    with pytest.raises(ValidationError):
        submission_transition(submission=second, to=S.REJECTED, actor=editor)
    with pytest.raises(ValidationError):
        submission_transition(submission=second, to=S.REJECTED, actor=editor, rejection_reason="duplicate")
    submission_transition(
        submission=second, to=S.REJECTED, actor=editor, rejection_reason="duplicate", duplicate_of=first
    )
    assert second.duplicate_of == first
    assert second.public_status == KimSubmission.PublicStatus.NOT_PUBLISHED
    assert second.public_reason  # the contributor sees why, in public words


def test_awaiting_confirmation_needs_a_future_deadline(intake, moderator):
    submission = _at(_submission(intake), S.IN_VERIFICATION)
    with pytest.raises(ValidationError):
        submission_transition(submission=submission, to=S.AWAITING_CONFIRMATION, actor=moderator)
    with pytest.raises(ValidationError):
        submission_transition(
            submission=submission,
            to=S.AWAITING_CONFIRMATION,
            actor=moderator,
            due_at=timezone.now() - datetime.timedelta(hours=1),
        )
    due = timezone.now() + datetime.timedelta(days=1)
    submission_transition(submission=submission, to=S.AWAITING_CONFIRMATION, actor=moderator, due_at=due)
    assert submission.confirmation_due_at == due
    assert submission.public_status == KimSubmission.PublicStatus.IN_VERIFICATION


def test_publishing_as_information_needs_an_information_verdict(intake, moderator):
    hoax = _at(_submission(intake), S.VERDICT_RECORDED, verdict=VerdictChoice.FALSE)
    KimSubmission.objects.filter(pk=hoax.pk).update(published_page=NewsPageFactory())
    with pytest.raises(ValidationError):
        submission_transition(submission=hoax, to=S.PUBLISHED_INFORMATION, actor=moderator)


def test_the_whole_way_from_received_to_published(intake, editor, moderator):
    submission = _submission(intake)
    submission_transition(submission=submission, to=S.TRIAGE, actor=editor, note="Layak dicek")
    submission_transition(submission=submission, to=S.IN_VERIFICATION, actor=editor)
    assert submission.public_status == KimSubmission.PublicStatus.IN_VERIFICATION
    verdict_record(
        submission=submission,
        verifier=moderator,
        verdict=VerdictChoice.TRUE,
        evidence=[EvidenceItem(kind=Evidence.Kind.AGENCY, text="Dikonfirmasi camat.")],
    )
    assert submission.status == S.VERDICT_RECORDED
    trail = list(VerificationEvent.objects.filter(submission=submission).values_list("to_state", "actor__username"))
    assert trail == [
        (S.TRIAGE, "editor"),
        (S.IN_VERIFICATION, "editor"),
        (S.VERDICT_RECORDED, "moderator"),
    ]


def test_rejection_reasons_are_offered_in_indonesian(intake):
    from django.utils import translation

    with translation.override("id"):
        assert str(KimSubmission.RejectionReason.DUPLICATE.label) != "Duplicate of another submission"
    assert VillageFactory  # the factories used by the arrangement are importable
