"""Verdicts need evidence and a second pair of eyes; a verified submission becomes a draft; withdrawal."""

import datetime
import re
import threading

import pytest

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from wagtail.images import get_image_model

from cms.models import Evidence, HoaxCategory, KimSubmission, NewsPage, Verdict, VerdictChoice, VerificationEvent
from cms.services.images import photo_prepare
from cms.services.submissions import submission_create
from cms.services.verification import (
    SUBMISSION_COLLECTION,
    EvidenceItem,
    VerdictAlreadyRecorded,
    evidence_add,
    news_withdraw,
    submission_to_draft_news,
    submission_transition,
    verdict_record,
)
from cms.signals import news_withdrawn
from tests.factories import NewsPageFactory, verified_publish, verifier_user
from tests.submission_support import STORY, TITLE, image_bytes, upload

S = KimSubmission.Status
NOTE = [EvidenceItem(text="Dikonfirmasi oleh kepala desa melalui telepon.")]


def _without_block_keys(html: str) -> str:
    """A paragraph's HTML without the rich-text editor's random block keys."""
    return re.sub(r' data-block-key="[^"]*"', "", html)


def _in_verification(intake, *, photos=(), submitted_by=None) -> KimSubmission:
    submission = submission_create(
        group=intake["group"],
        contributor_name="Siti Aminah",
        contributor_phone="0812-3456-7890",
        title=TITLE,
        story=STORY,
        category=intake["category"],
        village=intake["village"],
        event_date=datetime.date(2026, 8, 17),
        photos=photos,
    ).submission
    KimSubmission.objects.filter(pk=submission.pk).update(status=S.IN_VERIFICATION, submitted_by=submitted_by)
    submission.refresh_from_db()
    return submission


@pytest.mark.django_db
def test_a_verdict_without_evidence_is_refused(intake, moderator):
    submission = _in_verification(intake)
    with pytest.raises(ValidationError):
        verdict_record(submission=submission, verifier=moderator, verdict=VerdictChoice.TRUE)
    assert not Verdict.objects.exists()
    assert KimSubmission.objects.get(pk=submission.pk).status == S.IN_VERIFICATION


@pytest.mark.django_db
def test_evidence_gathered_beforehand_counts_and_is_attached(intake, moderator):
    submission = _in_verification(intake)
    evidence_add(
        submission=submission, actor=moderator, item=EvidenceItem(kind="link", url="https://polri.go.id/hoaks")
    )
    verdict = verdict_record(
        submission=submission, verifier=moderator, verdict=VerdictChoice.FALSE, category=HoaxCategory.FABRICATED
    )
    assert list(verdict.evidence.values_list("url", flat=True)) == ["https://polri.go.id/hoaks"]


@pytest.mark.django_db
@pytest.mark.parametrize("verdict", [v for v in VerdictChoice.values if v != VerdictChoice.TRUE])
def test_every_verdict_but_true_needs_a_hoax_category(intake, moderator, verdict):
    submission = _in_verification(intake)
    with pytest.raises(ValidationError):
        verdict_record(submission=submission, verifier=moderator, verdict=verdict, evidence=NOTE)
    recorded = verdict_record(
        submission=submission, verifier=moderator, verdict=verdict, category=HoaxCategory.SATIRE, evidence=NOTE
    )
    assert recorded.category == HoaxCategory.SATIRE


@pytest.mark.django_db
def test_a_true_verdict_has_no_hoax_category(intake, moderator):
    with pytest.raises(ValidationError):
        verdict_record(
            submission=_in_verification(intake),
            verifier=moderator,
            verdict=VerdictChoice.TRUE,
            category=HoaxCategory.SATIRE,
            evidence=NOTE,
        )


@pytest.mark.django_db
def test_the_submitter_cannot_verify_their_own_submission(intake, moderator):
    submission = _in_verification(intake, submitted_by=moderator)
    with pytest.raises(ValidationError):
        verdict_record(submission=submission, verifier=moderator, verdict=VerdictChoice.TRUE, evidence=NOTE)


@pytest.mark.django_db
def test_the_author_of_a_revision_cannot_verify_it(news_index, moderator):
    page = NewsPageFactory(live=False)
    revision = page.save_revision(user=moderator)
    with pytest.raises(ValidationError):
        verdict_record(revision=revision, verifier=moderator, verdict=VerdictChoice.TRUE, evidence=NOTE)
    verdict_record(revision=revision, verifier=verifier_user(), verdict=VerdictChoice.TRUE, evidence=NOTE)


@pytest.mark.django_db
def test_editors_cannot_record_verdicts(intake, editor):
    with pytest.raises(PermissionDenied):
        verdict_record(submission=_in_verification(intake), verifier=editor, verdict=VerdictChoice.TRUE, evidence=NOTE)


@pytest.mark.django_db
def test_a_second_verdict_is_refused(intake, moderator):
    submission = _in_verification(intake)
    verdict_record(submission=submission, verifier=moderator, verdict=VerdictChoice.TRUE, evidence=NOTE)
    with pytest.raises(ValidationError):
        verdict_record(submission=submission, verifier=verifier_user(), verdict=VerdictChoice.TRUE, evidence=NOTE)
    assert Verdict.objects.count() == 1


@pytest.mark.django_db
def test_a_verified_submission_becomes_a_draft_with_its_photos_as_wagtail_images(intake, moderator, news_index):
    photos = [photo_prepare(upload(image_bytes(size=(900, 600)), name=f"foto{n}.jpg")) for n in range(2)]
    submission = _in_verification(intake, photos=photos)
    verdict_record(submission=submission, verifier=moderator, verdict=VerdictChoice.TRUE, evidence=NOTE)
    page = submission_to_draft_news(submission=submission, actor=moderator)

    assert not page.live and page.get_parent().pk == news_index.pk
    assert page.title == TITLE
    assert page.lead.startswith("Sejak pukul 07.00 WIB")
    paragraphs = [_without_block_keys(block.value.source) for block in page.body if block.block_type == "paragraph"]
    assert paragraphs == [
        "<p>Sejak pukul 07.00 WIB ratusan warga membersihkan saluran air.</p>",
        "<p>Kegiatan diikuti seluruh RT.</p>",
    ]
    assert page.source_kind == NewsPage.Source.KIM and page.source_kim_group == intake["group"]
    assert page.village == intake["village"] and page.district == intake["village"].district
    assert list(page.categories.all()) == [intake["category"]]
    images = get_image_model().objects.filter(collection__name=SUBMISSION_COLLECTION)
    assert images.count() == 2 and page.hero_image in images
    image_blocks = [block.value for block in page.body if block.block_type == "image"]
    assert intake["group"].name in image_blocks[0]["caption"] and intake["village"].name in image_blocks[0]["caption"]
    with page.hero_image.file.open("rb") as stored:
        assert stored.read() == submission.photos.first().file.open("rb").read()  # the re-encoded bytes only

    submission.refresh_from_db()
    assert submission.published_page.pk == page.pk
    # The draft carries the verdict: published unchanged, it goes live, and the submission follows.
    page.get_latest_revision().publish(user=moderator)
    submission.refresh_from_db()
    assert NewsPage.objects.get(pk=page.pk).live
    assert submission.status == S.PUBLISHED_INFORMATION
    assert submission.public_status == KimSubmission.PublicStatus.PUBLISHED


@pytest.mark.django_db
def test_story_text_is_escaped_in_the_draft(intake, moderator, news_index):
    submission = _in_verification(intake)
    KimSubmission.objects.filter(pk=submission.pk).update(story="Warga <b>marah</b> & kecewa.\n\nParagraf dua.")
    submission.refresh_from_db()
    verdict_record(submission=submission, verifier=moderator, verdict=VerdictChoice.TRUE, evidence=NOTE)
    page = submission_to_draft_news(submission=submission, actor=moderator)
    assert _without_block_keys(page.body[0].value.source) == "<p>Warga &lt;b&gt;marah&lt;/b&gt; &amp; kecewa.</p>"


@pytest.mark.django_db
def test_a_hoax_submission_gives_a_clarification_draft_never_information(intake, moderator, news_index):
    submission = _in_verification(intake)
    verdict_record(
        submission=submission,
        verifier=moderator,
        verdict=VerdictChoice.FALSE,
        category=HoaxCategory.MANIPULATED,
        evidence=NOTE,
    )
    page = submission_to_draft_news(submission=submission, actor=moderator)
    assert page.title.startswith("[HOAKS] ")
    # Lists, feeds and share previews show the lead: it states the finding and never repeats the claim.
    assert page.lead.startswith("Salah (Hoaks).") and STORY.split(".")[0] not in page.lead
    page.get_latest_revision().publish(user=moderator)
    submission.refresh_from_db()
    assert submission.status == S.PUBLISHED_CLARIFICATION


@pytest.mark.django_db
def test_a_clarification_lead_is_the_verifiers_public_summary(intake, moderator, news_index):
    submission = _in_verification(intake)
    verdict_record(
        submission=submission,
        verifier=moderator,
        verdict=VerdictChoice.MISLEADING,
        category=HoaxCategory.FALSE_CONTEXT,
        summary="Foto itu diambil tahun 2019 di kabupaten lain, bukan pekan ini.",
        evidence=NOTE,
    )
    page = submission_to_draft_news(submission=submission, actor=moderator)
    assert page.lead == "Menyesatkan. Foto itu diambil tahun 2019 di kabupaten lain, bukan pekan ini."


@pytest.mark.django_db
def test_an_unverifiable_submission_makes_no_draft(intake, moderator, news_index):
    submission = _in_verification(intake)
    verdict_record(
        submission=submission,
        verifier=moderator,
        verdict=VerdictChoice.UNVERIFIABLE,
        category=HoaxCategory.FALSE_CONTEXT,
        evidence=NOTE,
    )
    with pytest.raises(ValidationError):
        submission_to_draft_news(submission=submission, actor=moderator)
    submission_transition(submission=submission, to=S.NOT_PUBLISHED, actor=moderator, note="Belum dapat dipastikan.")
    assert submission.public_status == KimSubmission.PublicStatus.NOT_PUBLISHED
    assert submission.public_reason == "Belum dapat dipastikan."


@pytest.mark.django_db
def test_withdrawal_unpublishes_explains_and_signals_exactly_once(
    intake, moderator, news_index, django_capture_on_commit_callbacks
):
    page = verified_publish(NewsPageFactory(live=False))
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    news_withdrawn.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            news_withdraw(page=page, actor=moderator, explanation="Data jumlah penerima keliru.")
    finally:
        news_withdrawn.disconnect(listener)
    assert not NewsPage.objects.get(pk=page.pk).live
    assert len(received) == 1
    assert received[0]["page"].pk == page.pk and received[0]["explanation"] == "Data jumlah penerima keliru."
    event = VerificationEvent.objects.get(page=page, to_state="withdrawn")
    assert event.actor == moderator and event.note == "Data jumlah penerima keliru."


@pytest.mark.django_db
def test_withdrawal_needs_an_explanation_and_the_right(news_index, editor, moderator):
    page = verified_publish(NewsPageFactory(live=False))
    with pytest.raises(ValidationError):
        news_withdraw(page=page, actor=moderator, explanation=" ")
    with pytest.raises(PermissionDenied):
        news_withdraw(page=page, actor=editor, explanation="Keliru.")
    assert NewsPage.objects.get(pk=page.pk).live


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_verdicts_record_exactly_one_decision(intake, django_user_model):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers: PostgreSQL")
    from django.contrib.auth.models import Group

    moderators = Group.objects.get(name="Moderators")
    verifiers = []
    for number in range(50):
        user = django_user_model.objects.create_user(username=f"verifikator{number}")
        user.groups.add(moderators)
        verifiers.append(user)
    submission = _in_verification(intake)
    barrier = threading.Barrier(50)
    outcomes = []

    def decide(verifier):
        try:
            barrier.wait()
            verdict_record(submission=submission, verifier=verifier, verdict=VerdictChoice.TRUE, evidence=NOTE)
            outcomes.append("recorded")
        except (VerdictAlreadyRecorded, ValidationError):
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 — any other outcome is the bug this test looks for
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(verifier,)) for verifier in verifiers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(outcomes)) == ["recorded", "refused"]
    assert outcomes.count("recorded") == 1
    assert Verdict.objects.filter(submission=submission).count() == 1
    assert Evidence.objects.filter(verdict__submission=submission).count() == 1
    assert VerificationEvent.objects.filter(submission=submission, to_state=S.VERDICT_RECORDED).count() == 1
