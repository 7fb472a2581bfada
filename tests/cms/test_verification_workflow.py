"""The Verifikasi workflow task: approving records our verdict on the revision under moderation."""

import pytest

from django.urls import reverse

from wagtail.models import Workflow

from cms.forms import VerdictTaskForm
from cms.models import NewsPage, Verdict, VerdictChoice, VerificationTask
from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db


def _in_workflow(editor) -> NewsPage:
    page = NewsPageFactory(live=False)
    page.save_revision(user=editor)
    workflow = page.get_workflow()
    workflow.start(page, editor)
    page.refresh_from_db()
    return page


def _approve_url(page) -> str:
    state = page.current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", state.pk))


def test_news_uses_the_verification_workflow_set_up_by_the_migration(news_index):
    workflow = Workflow.objects.get(name="Verifikasi berita")
    assert news_index.get_workflow() == workflow
    task = workflow.tasks.get().specific
    assert isinstance(task, VerificationTask) and task.name == "Verifikasi"
    assert list(task.groups.values_list("name", flat=True)) == ["Moderators"]


def test_approving_records_the_verdict_and_publishes(client, editor, moderator, news_index):
    page = _in_workflow(editor)
    revision = page.current_workflow_task_state.revision
    client.force_login(moderator)
    response = client.post(
        _approve_url(page),
        {"verdict": VerdictChoice.TRUE, "evidence_note": "Sesuai rilis resmi Dinas Kesehatan.", "summary": "Benar."},
    )
    assert response.status_code == 302
    verdict = Verdict.objects.get(revision=revision)
    assert verdict.verifier == moderator and verdict.evidence.count() == 1
    page.refresh_from_db()
    assert page.live and page.live_revision_id == revision.pk


def test_an_unverifiable_verdict_sends_the_page_back(client, editor, moderator, news_index):
    page = _in_workflow(editor)
    client.force_login(moderator)
    client.post(
        _approve_url(page),
        {"verdict": VerdictChoice.UNVERIFIABLE, "category": "false_context", "evidence_note": "Tidak ada sumber."},
    )
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state is None or page.current_workflow_state.status == "needs_changes"
    assert Verdict.objects.filter(verdict=VerdictChoice.UNVERIFIABLE).count() == 1


def test_approving_without_evidence_records_nothing(client, editor, moderator, news_index):
    page = _in_workflow(editor)
    client.force_login(moderator)
    client.post(_approve_url(page), {"verdict": VerdictChoice.TRUE})
    page.refresh_from_db()
    assert not page.live and not Verdict.objects.exists()


def test_the_author_cannot_verify_their_own_version(client, moderator, news_index):
    page = _in_workflow(moderator)
    client.force_login(moderator)
    response = client.post(_approve_url(page), {"verdict": VerdictChoice.TRUE, "evidence_note": "Sendiri."})
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert not page.live and not Verdict.objects.exists()


@pytest.mark.parametrize(
    ("data", "valid"),
    [
        ({"verdict": "true", "evidence_note": "x"}, True),
        ({"verdict": "true", "category": "satire", "evidence_note": "x"}, False),
        ({"verdict": "false", "evidence_note": "x"}, False),
        ({"verdict": "false", "category": "satire", "evidence_url": "https://cekfakta.com/x"}, True),
        ({"verdict": "true"}, False),
    ],
)
def test_the_verdict_form(data, valid):
    assert VerdictTaskForm(data).is_valid() is valid


def test_the_verification_queue_moves_a_submission_and_shows_the_audit_trail(client, intake, editor, moderator):
    from cms.models import KimSubmission
    from tests.cms.test_verification_verdicts import _in_verification

    submission = _in_verification(intake)
    KimSubmission.objects.filter(pk=submission.pk).update(status=KimSubmission.Status.RECEIVED)
    url = reverse("cms_submission_verification", args=[submission.pk])
    client.force_login(editor)
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {"action": "transition", "to": "triage", "note": "Periksa dulu"})
    assert response.status_code == 302
    client.post(url, {"action": "transition", "to": "in_verification", "note": ""})
    # An editor may triage but is not offered the verdict form, and cannot post one.
    assert client.get(url).context["verdict_form"] is None
    client.post(url, {"action": "verdict", "verdict": "true", "evidence_note": "x"})
    submission.refresh_from_db()
    assert submission.status == KimSubmission.Status.IN_VERIFICATION
    client.force_login(moderator)
    client.post(url, {"action": "verdict", "verdict": "true", "evidence_note": "Dikonfirmasi camat."})
    response = client.post(url, {"action": "draft"})
    submission.refresh_from_db()
    assert submission.published_page is not None
    body = client.get(url).content.decode()
    assert "Periksa dulu" in body and "Dikonfirmasi camat." in body
    listing = client.get(reverse("wagtailsnippets_cms_kimsubmission:list") + "?status=verdict_recorded")
    assert listing.status_code == 200


def test_the_dashboard_shows_pending_and_overdue_counts(client, intake, moderator):
    from tests.cms.test_verification_verdicts import _in_verification

    _in_verification(intake)
    client.force_login(moderator)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "siar-verification-heading" in body
