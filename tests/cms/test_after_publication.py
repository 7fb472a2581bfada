"""After publication: withdrawal and correction with a public explanation, what readers see, and the
schema.org data (NewsArticle, ClaimReview) a clarification carries for search engines and fact-check sites."""

import datetime
import json
import re

import pytest

from django.core.management import call_command
from django.utils import timezone

from cms.jsonld import claim_from_title
from cms.models import HoaxCategory, KimSubmission, NewsPage, VerdictChoice, VerificationEvent
from cms.models.submissions import receipt_generate
from cms.services.verification import news_correct, news_withdraw
from cms.signals import news_withdrawn
from tests.factories import NewsPageFactory, verify_revision

ADMIN = {"HTTP_HOST": "localhost"}
JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def signals():
    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    news_withdrawn.connect(listener)
    yield received
    news_withdrawn.disconnect(listener)


def _structured_data(html: str) -> list[dict]:
    blocks = JSONLD.findall(html)
    assert len(blocks) == 1, "one JSON-LD block per page"
    return json.loads(blocks[0])


def _publish(page, *, verdict=VerdictChoice.TRUE, category="", summary=""):
    revision = page.save_revision()
    verdict_row = verify_revision(revision, verdict=verdict, category=category)
    if summary:
        verdict_row.summary = summary
        verdict_row.save(update_fields=["summary"])
    revision.publish()
    page.refresh_from_db()
    return page


# Withdrawal ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_withdrawing_in_the_admin_asks_for_an_explanation_then_the_address_explains(
    client, moderator, news_index, signals, django_capture_on_commit_callbacks
):
    page = NewsPageFactory(title="Bantuan Beras Dibagikan Senin")
    url = page.url
    client.force_login(moderator)

    form = client.get(f"/admin/berita/{page.pk}/tarik/", **ADMIN)
    assert form.status_code == 200 and "Penjelasan untuk publik" in form.content.decode()
    refused = client.post(f"/admin/berita/{page.pk}/tarik/", {"explanation": "  "}, **ADMIN)
    assert refused.status_code == 200 and NewsPage.objects.get(pk=page.pk).live

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            f"/admin/berita/{page.pk}/tarik/", {"explanation": "Jadwal <b>keliru</b>: pembagian hari Selasa."}, **ADMIN
        )
    assert done.status_code == 302
    assert not NewsPage.objects.get(pk=page.pk).live
    assert [s["explanation"] for s in signals] == ["Jadwal keliru: pembagian hari Selasa."]
    event = VerificationEvent.objects.get(page=page, to_state="withdrawn")
    assert event.actor == moderator and event.note == "Jadwal keliru: pembagian hari Selasa."

    client.logout()
    gone = client.get(url)
    assert gone.status_code == 410
    body = gone.content.decode()
    assert "Berita ini ditarik" in body and "Bantuan Beras Dibagikan Senin" in body
    assert "Jadwal keliru: pembagian hari Selasa." in body and "<b>" not in body
    assert client.get("/berita/tidak-pernah-ada/").status_code == 404


@pytest.mark.django_db
def test_an_editor_without_the_verify_right_cannot_withdraw_or_correct(client, editor, news_index):
    page = NewsPageFactory()
    client.force_login(editor)
    for action in ("tarik", "koreksi"):
        response = client.post(f"/admin/berita/{page.pk}/{action}/", {"explanation": "Keliru."}, **ADMIN)
        assert response.status_code in (302, 403)
    assert NewsPage.objects.get(pk=page.pk).live
    assert not VerificationEvent.objects.filter(page=page, to_state__in=("withdrawn", "corrected")).exists()


@pytest.mark.django_db
def test_wagtails_unpublish_of_news_leads_to_the_withdrawal_form(client, moderator, news_index):
    page = NewsPageFactory()
    client.force_login(moderator)
    response = client.post(f"/admin/pages/{page.pk}/unpublish/", **ADMIN)
    assert response.status_code == 302 and response["Location"] == f"/admin/berita/{page.pk}/tarik/"
    assert NewsPage.objects.get(pk=page.pk).live


@pytest.mark.django_db
def test_bulk_unpublishing_news_is_refused(client, moderator, news_index):
    pages = [NewsPageFactory(), NewsPageFactory()]
    client.force_login(moderator)
    ids = "&".join(f"id={page.pk}" for page in pages)
    response = client.post(f"/admin/bulk/wagtailcore/page/unpublish/?{ids}", {}, follow=True, **ADMIN)
    assert "satu per satu" in response.content.decode()
    assert NewsPage.objects.filter(pk__in=[p.pk for p in pages], live=True).count() == 2


@pytest.mark.django_db
def test_an_expired_item_is_recorded_and_signalled_but_not_shown_as_withdrawn(
    client, news_index, signals, django_capture_on_commit_callbacks
):
    page = NewsPageFactory()
    url = page.url
    NewsPage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    assert not NewsPage.objects.get(pk=page.pk).live
    assert [(s["page"].pk, s["expired"]) for s in signals] == [(page.pk, True)]
    assert VerificationEvent.objects.get(page=page, from_state="live").to_state == "expired"
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_withdrawal_moves_the_submission_and_tells_the_contributor(client, moderator, news_index, intake):
    page = NewsPageFactory()
    submission = KimSubmission.objects.create(
        group=intake["group"],
        contributor_name="Siti",
        contributor_phone="081234567890",
        title=page.title,
        story="Cerita.",
        village=intake["village"],
        event_date=datetime.date(2026, 11, 20),
        category=intake["category"],
        status=KimSubmission.Status.PUBLISHED_INFORMATION,
        public_status=KimSubmission.PublicStatus.PUBLISHED,
        published_page=page,
        receipt=receipt_generate(),
    )
    news_correct(page=page, actor=moderator, explanation="Nama desa semula tertulis keliru.")
    submission.refresh_from_db()
    assert submission.status == KimSubmission.Status.CORRECTED
    news_withdraw(page=page, actor=moderator, explanation="Kegiatan dibatalkan panitia.")
    submission.refresh_from_db()
    assert submission.status == KimSubmission.Status.WITHDRAWN
    status_page = client.get(f"/kirim/status/{submission.receipt}/").content.decode()
    assert "Kegiatan dibatalkan panitia." in status_page


# Correction ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_correction_note_is_shown_under_the_item(client, moderator, news_index):
    page = NewsPageFactory()
    client.force_login(moderator)
    response = client.post(
        f"/admin/berita/{page.pk}/koreksi/", {"explanation": "Jumlah penerima 120 KK, bukan 210 KK."}, **ADMIN
    )
    assert response.status_code == 302
    client.logout()
    html = client.get(page.url).content.decode()
    assert "Koreksi" in html and "Jumlah penerima 120 KK, bukan 210 KK." in html
    assert NewsPage.objects.get(pk=page.pk).live


@pytest.mark.django_db
def test_the_header_offers_correction_and_withdrawal_only_to_verifiers(client, moderator, editor, news_index):
    page = NewsPageFactory()
    client.force_login(moderator)
    html = client.get(f"/admin/pages/{page.pk}/edit/", **ADMIN).content.decode()
    assert f"/admin/berita/{page.pk}/tarik/" in html and f"/admin/berita/{page.pk}/koreksi/" in html
    client.force_login(editor)
    html = client.get(f"/admin/pages/{page.pk}/edit/", **ADMIN).content.decode()
    assert f"/admin/berita/{page.pk}/tarik/" not in html


# What readers see of verification, and the structured data -------------------------------------------------


@pytest.mark.django_db
def test_a_clarification_states_its_verdict_and_carries_claim_review(client, news_index):
    page = NewsPageFactory(title="[HOAKS] Air Sumur Desa Beracun Setelah Gempa", live=False)
    _publish(
        page,
        verdict=VerdictChoice.FALSE,
        category=HoaxCategory.FALSE_CONTEXT,
        summary="Foto yang beredar berasal dari kejadian tahun 2019 di provinsi lain.",
    )
    html = client.get(page.url).content.decode()
    assert "Cek fakta: Salah (Hoaks)" in html
    assert "Konteks keliru" in html and "Foto yang beredar berasal dari kejadian tahun 2019" in html

    article, review = _structured_data(html)
    assert article["@type"] == "NewsArticle" and article["headline"] == page.title
    assert article["url"] == review["url"] == f"http://localhost{page.url}"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "Air Sumur Desa Beracun Setelah Gempa"
    assert review["reviewRating"]["ratingValue"] == 1 and review["reviewRating"]["alternateName"] == "Salah (Hoaks)"
    assert review["author"]["@type"] == "Organization"


@pytest.mark.django_db
def test_information_news_carries_a_news_article_and_a_verified_stamp_only(client, news_index):
    page = NewsPageFactory(title="Pasar Murah di Kecamatan Lawang Kidul")
    html = client.get(page.url).content.decode()
    (article,) = _structured_data(html)
    assert article["@type"] == "NewsArticle"
    assert datetime.datetime.fromisoformat(article["datePublished"]) == page.first_published_at
    assert "Terverifikasi" in html and '<aside class="fact-check' not in html  # the header links Cek fakta


@pytest.mark.django_db
def test_the_structured_data_cannot_close_its_script_element(client, news_index):
    page = NewsPageFactory(title="Berita </script><script>alert(1)</script>", live=False)
    page.lead = "Ringkasan <!-- & </SCRIPT>"
    page.save()
    _publish(page)
    html = client.get(page.url).content.decode()
    (article,) = _structured_data(html)
    assert article["headline"] == "Berita </script><script>alert(1)</script>"
    assert article["description"] == "Ringkasan <!-- & </SCRIPT>"
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize(
    ("title", "claim"),
    [
        ("[HOAKS] Vaksin Mengandung Chip", "Vaksin Mengandung Chip"),
        ("[klarifikasi]: Jembatan Putus", "Jembatan Putus"),
        ("Pasar Murah", "Pasar Murah"),
    ],
)
def test_the_claim_is_the_title_without_its_prefix(title, claim):
    assert claim_from_title(title) == claim
