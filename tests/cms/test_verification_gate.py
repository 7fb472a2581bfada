"""The publish gate: no path makes a news page live on a revision without a publishable verdict."""

import contextlib
import datetime
import html

import pytest

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.actions.copy_page import CopyPageAction
from wagtail.actions.publish_page_revision import PublishPageRevisionAction

from cms.models import NewsPage, PublishRefused, Verdict, VerdictChoice, VerificationEvent
from tests.factories import NewsPageFactory, verified_publish, verifier_user, verify_revision

pytestmark = pytest.mark.django_db


def _draft(**fields) -> NewsPage:
    return NewsPageFactory(live=False, **fields)


def _live_ids() -> set[int]:
    return set(NewsPage.objects.live().values_list("pk", flat=True))


def test_a_new_page_asked_to_be_live_is_stored_as_a_draft(news_index):
    page = news_index.add_child(instance=NewsPage(title="Langsung tayang", lead="Tanpa verifikasi."))
    assert not NewsPage.objects.get(pk=page.pk).live


def test_revision_publish_from_code_is_refused_with_an_indonesian_message(news_index):
    page = _draft()
    revision = page.save_revision()
    with translation.override("id"), pytest.raises(PublishRefused) as refused:
        revision.publish()
    assert "verifikasi" in str(refused.value).lower()
    assert not NewsPage.objects.get(pk=page.pk).live


def test_the_publish_action_used_by_the_admin_is_refused_too(news_index):
    page = _draft()
    revision = page.save_revision()
    with pytest.raises(PublishRefused):
        PublishPageRevisionAction(revision).execute(skip_permission_checks=True)
    assert page.pk not in _live_ids()


def test_a_verified_revision_publishes(news_index):
    page = _draft()
    revision = page.save_revision()
    verify_revision(revision)
    revision.publish()
    page.refresh_from_db()
    assert page.live and page.live_revision_id == revision.pk


@pytest.mark.parametrize("verdict", [VerdictChoice.UNVERIFIABLE, VerdictChoice.FALSE, VerdictChoice.MISLEADING])
def test_unverifiable_and_hoax_verdicts_never_publish_as_information(news_index, verdict):
    page = _draft(title="Bantuan tunai untuk semua warga")
    revision = page.save_revision()
    verify_revision(revision, verdict=verdict)
    with pytest.raises(PublishRefused):
        revision.publish()
    assert page.pk not in _live_ids()


@pytest.mark.parametrize("verdict", [VerdictChoice.FALSE, VerdictChoice.MISLEADING])
def test_a_hoax_verdict_publishes_only_as_a_clarification(news_index, verdict):
    page = _draft(title="[HOAKS] Bantuan tunai untuk semua warga")
    revision = page.save_revision()
    verify_revision(revision, verdict=verdict)
    revision.publish()
    assert page.pk in _live_ids()


def test_an_edit_after_verification_needs_verification_again(news_index):
    page = verified_publish(_draft())
    page.lead = "Isi yang diubah sesudah verifikasi."
    edited = page.save_revision()
    with pytest.raises(PublishRefused):
        edited.publish()
    page.refresh_from_db()
    assert page.live_revision_id != edited.pk
    verify_revision(edited)
    edited.publish()
    page.refresh_from_db()
    assert page.live_revision_id == edited.pk


def test_an_unchanged_new_revision_carries_the_verdict(news_index):
    page = verified_publish(_draft())
    again = page.save_revision()
    again.publish()
    carried = Verdict.objects.get(revision=again)
    assert carried.carried_from is not None and carried.verdict == VerdictChoice.TRUE


def test_a_change_in_between_is_not_carried_over(news_index):
    page = verified_publish(_draft())
    page.lead = "Perubahan."
    page.save_revision()
    page.lead = NewsPageFactory._meta.declarations["lead"]
    back = page.save_revision()
    with pytest.raises(PublishRefused):
        back.publish()


def test_scheduled_go_live_of_an_unverified_revision_stays_off_and_is_logged(news_index, caplog):
    page = _draft()
    verified = page.save_revision()
    verify_revision(verified)
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    page.lead = "Jadwal diubah: kegiatan dimulai pukul 08.00 WIB."
    scheduled = page.save_revision()
    verify_revision(scheduled)
    scheduled.publish()  # scheduling a verified revision is fine
    page.refresh_from_db()
    assert not page.live
    # The verdict goes away (say, revoked); the due go-live must not make the page live.
    Verdict.objects.filter(revision=scheduled).delete()
    type(scheduled).objects.filter(pk=scheduled.pk).update(
        approved_go_live_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    other = verified_publish(_draft(title="Berita lain yang terverifikasi"))
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live
    assert other.pk in _live_ids()
    assert "not verified" in caplog.text
    assert VerificationEvent.objects.filter(page=page, to_state="refused").exists()
    scheduled.refresh_from_db()
    assert scheduled.approved_go_live_at is None


def test_scheduling_an_unverified_revision_is_refused(news_index):
    page = _draft()
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = page.save_revision()
    with pytest.raises(PublishRefused):
        revision.publish()
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None


def test_copying_a_live_news_page_keeps_the_copy_off_the_public_site(news_index):
    """A copy is new content with a new revision: even "publish copies" stores it as a draft."""
    page = verified_publish(_draft())
    copied = CopyPageAction(page, update_attrs={"slug": "salinan", "title": "Salinan"}, keep_live=True).execute()
    assert not NewsPage.objects.get(pk=copied.pk).live
    with pytest.raises(PublishRefused):
        copied.get_latest_revision().publish()
    copy = CopyPageAction(page, update_attrs={"slug": "salinan-draf", "title": "Salinan draf"}, keep_live=False)
    assert not copy.execute().live


def test_admin_publish_of_unverified_news_is_refused_nicely(client, moderator, news_index):
    page = _draft()
    client.force_login(moderator)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    form = client.get(url).context["form"]
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "lead": page.lead,
            "body": streamfield([("paragraph", rich_text("<p>Isi yang diperiksa.</p>"))]),
            "tags": "",
            "source_kind": "media_center",
            "comments": inline_formset([]),
            "action-publish": "1",
        }
    )
    data["categories"] = [category.pk for category in page.categories.all()]
    assert form is not None
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert "Berita ini belum diverifikasi, sehingga tidak dapat diterbitkan" in body
    assert page.pk not in _live_ids()


def test_bulk_publish_is_refused_for_unverified_news(client, moderator, news_index):
    page = _draft()
    page.save_revision()
    client.force_login(moderator)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish")) + f"?id={page.pk}"
    response = client.post(url, {"include_descendants": ""}, follow=True)
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert "belum diverifikasi" in body and page.title in body
    assert page.pk not in _live_ids()
    # Once verified, the same bulk action publishes it.
    verify_revision(page.latest_revision)
    client.post(url, {"include_descendants": ""})
    assert page.pk in _live_ids()


def test_the_public_news_index_never_lists_unverified_titles(client, news_index):
    verified_publish(_draft(title="Berita yang sudah diverifikasi"))
    unverified = _draft(title="Berita yang belum diverifikasi")
    with contextlib.suppress(PublishRefused):
        unverified.save_revision().publish()
    body = client.get(news_index.url).content.decode()
    assert "Berita yang sudah diverifikasi" in body
    assert "Berita yang belum diverifikasi" not in body


def test_verifier_fixture_is_a_moderator():
    assert verifier_user().has_perm("cms.verify_submission")
