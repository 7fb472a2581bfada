"""The public submission form (/kirim/): receipt, status page, defences, and what the contributor reads."""

import re

import pytest

from django.test import Client

from cms.models import KimSubmission, SubmissionPhoto
from cms.services.ratelimit import SUBMISSIONS_PER_ADDRESS, SUBMISSIONS_PER_GROUP
from tests.submission_support import (
    FORM_URL,
    STORY,
    TITLE,
    aged_token,
    form_data,
    image_bytes,
    media_files,
    quarantine_files,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_quarantine")]


def post(client, data, files=(), **extra):
    payload = dict(data)
    if files:
        payload["photos"] = list(files)
    return client.post(FORM_URL, payload, **extra)


def test_the_form_is_in_indonesian_and_needs_no_javascript(client, intake):
    response = client.get(FORM_URL)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ["Kirim berita", "Kelompok KIM Anda", "Nama Anda", "Judul", "Cerita", "Foto", "Tanggal kejadian"]:
        assert text in html, text
    assert "<script" not in html
    assert 'enctype="multipart/form-data"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert intake["group"].name in html
    assert len(response.content) < 40_000  # one small page on a weak connection


def test_a_submission_with_photos_is_stored_in_quarantine_with_a_receipt(client, intake, fresh_quarantine, settings):
    before_media = media_files()
    photos = [upload(image_bytes("JPEG"), "gotong royong.jpg"), upload(image_bytes("PNG"), "saluran.png", "image/png")]
    response = post(client, form_data(intake), photos)
    assert response.status_code == 302, response.content.decode()[:2000]
    submission = KimSubmission.objects.get()
    assert response["Location"] == f"/kirim/terima-kasih/{submission.receipt}/"
    assert re.fullmatch(r"SIAR-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}", submission.receipt)
    assert submission.status == KimSubmission.Status.RECEIVED
    assert submission.public_status == KimSubmission.PublicStatus.RECEIVED
    assert submission.channel == KimSubmission.Channel.FORM
    assert (submission.title, submission.story) == (TITLE, STORY)
    assert submission.submitter_ip_hash and "127.0.0.1" not in submission.submitter_ip_hash
    stored = list(submission.photos.order_by("position"))
    assert [photo.original_name for photo in stored] == ["gotong royong.jpg", "saluran.png"]
    files = quarantine_files()
    assert len(files) == 2
    for photo in stored:
        path = photo.file.path
        assert path.startswith(str(fresh_quarantine) + "/") and not path.startswith(str(settings.MEDIA_ROOT))
        with open(path, "rb") as handle:
            data = handle.read()
        assert data[:3] == b"\xff\xd8\xff" and photo.file.name.endswith(".jpg")
        assert "gotong" not in photo.file.name
    assert media_files() == before_media  # nothing under MEDIA_ROOT, which nginx serves

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert submission.receipt in thanks.content.decode()
    assert "Terima kasih" in thanks.content.decode()


def test_the_status_page_shows_the_public_fields_and_nothing_internal(client, intake):
    post(client, form_data(intake, link="https://youtube.com/watch?v=abc"))
    submission = KimSubmission.objects.get()
    html = client.get(f"/kirim/status/{submission.receipt}/").content.decode()
    for shown in [submission.receipt, TITLE, intake["group"].name, "Diterima"]:
        assert shown in html
    for hidden in ["0812", "3456", "Siti Aminah", submission.submitter_ip_hash, submission.fingerprint, "youtube"]:
        assert hidden not in html
    assert "Sejak pukul" not in html  # the story itself is not public before verification


@pytest.mark.parametrize(
    ("public_status", "expected"),
    [("in_verification", "Sedang diverifikasi"), ("not_published", "Tidak diterbitkan"), ("published", "Diterbitkan")],
)
def test_the_status_page_speaks_each_public_status(client, intake, public_status, expected):
    post(client, form_data(intake))
    submission = KimSubmission.objects.get()
    KimSubmission.objects.filter(pk=submission.pk).update(
        public_status=public_status, public_reason="Informasi tidak dapat dikonfirmasi oleh instansi terkait."
    )
    html = client.get(f"/kirim/status/{submission.receipt}/").content.decode()
    assert expected in html
    assert ("tidak dapat dikonfirmasi" in html) == (public_status == "not_published")


def test_a_receipt_is_found_however_it_is_typed_and_an_unknown_one_is_an_indonesian_404(client, intake):
    post(client, form_data(intake))
    receipt = KimSubmission.objects.get().receipt
    response = client.get("/kirim/status/", {"code": " " + receipt.lower().replace("-", " ") + " "})
    assert response.status_code == 302 and response["Location"] == f"/kirim/status/{receipt}/"
    unknown = client.get("/kirim/status/SIAR-2222-2222/")
    assert unknown.status_code == 404
    assert "Kode tanda terima tidak ditemukan" in unknown.content.decode()
    bad = client.get("/kirim/status/", {"code": "hello"})
    assert bad.status_code == 400 and "Ini bukan kode tanda terima" in bad.content.decode()
    assert client.get("/kirim/terima-kasih/SIAR-2222-2222/").status_code == 404


def test_validation_errors_are_indonesian_and_keep_what_was_typed(client, intake):
    data = form_data(intake, contributor_phone="abc", title="Hai", story="Pendek.", event_date="2999-01-01")
    response = post(client, data, [upload(image_bytes("JPEG"))])
    assert response.status_code == 400
    html = response.content.decode()
    assert "Masukkan nomor telepon Indonesia" in html
    assert "Tulis judul paling sedikit 5 karakter" in html
    assert "Ceritakan paling sedikit 20 karakter" in html
    assert "Perbaiki hal berikut lalu kirim lagi" in html
    assert "Pilih foto Anda lagi" in html  # photos must be chosen again, and the form says so
    assert 'value="Siti Aminah"' in html and 'value="Hai"' in html and "Pendek.</textarea>" in html
    assert f'<option value="{intake["group"].pk}" selected>' in html
    assert not KimSubmission.objects.exists() and not quarantine_files()


def test_a_future_event_date_is_refused_by_the_service(client, intake):
    response = post(client, form_data(intake, event_date="2999-01-01"))
    assert response.status_code == 400
    assert "Tanggal kejadian ada di masa depan" in response.content.decode()
    assert not KimSubmission.objects.exists()


def test_a_filled_honeypot_stores_nothing(client, intake):
    response = post(client, form_data(intake, website="https://spam.example"), [upload(image_bytes())])
    assert response.status_code == 400
    assert "Kiriman ini tidak dapat kami terima" in response.content.decode()
    assert not KimSubmission.objects.exists() and not quarantine_files()


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (lambda: aged_token(0.5), "Formulir dikirim terlalu cepat"),
        (lambda: aged_token(3 * 60 * 60), "Formulir terbuka lebih dari 2 jam"),
        (lambda: "forged-token", "Formulir tidak dapat diperiksa"),
        (lambda: "", "Formulir tidak dapat diperiksa"),
    ],
    ids=["too-fast", "expired", "forged", "missing"],
)
def test_the_time_trap_refuses_robots_and_keeps_the_text(client, intake, token, message):
    response = post(client, form_data(intake, started=token()), [upload(image_bytes())])
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'value="{TITLE}"' in html  # typed text is kept, with a fresh token to try again
    assert not KimSubmission.objects.exists() and not quarantine_files()


def test_csrf_is_enforced_with_an_indonesian_explanation(intake):
    client = Client(enforce_csrf_checks=True)
    response = post(client, form_data(intake))
    assert response.status_code == 403
    assert "Formulir sudah kedaluwarsa" in response.content.decode()
    assert not KimSubmission.objects.exists()

    page = client.get(FORM_URL)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = post(client, form_data(intake, csrfmiddlewaretoken=token))
    assert response.status_code == 302
    assert KimSubmission.objects.count() == 1


def test_the_same_story_sent_twice_gets_the_same_receipt(client, intake):
    photo = image_bytes("JPEG")
    first = post(client, form_data(intake), [upload(photo)])
    second = post(client, form_data(intake), [upload(photo, "lagi.jpg")])
    assert first["Location"] == second["Location"]
    assert KimSubmission.objects.count() == 1 and SubmissionPhoto.objects.count() == 1
    assert len(quarantine_files()) == 1
    # A different photo, or another story, is a new submission.
    third = post(client, form_data(intake), [upload(image_bytes("JPEG", color=(200, 0, 0)))])
    assert third["Location"] != first["Location"]
    assert KimSubmission.objects.count() == 2


def test_too_many_posts_from_one_address_get_429_with_retry_after(client, intake):
    for number in range(SUBMISSIONS_PER_ADDRESS.count):
        response = post(client, form_data(intake, title=f"Berita nomor {number} dari desa"))
        assert response.status_code == 302
    response = post(client, form_data(intake, title="Satu berita lagi dari desa"))
    assert response.status_code == 429
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= SUBMISSIONS_PER_ADDRESS.window_seconds + 1
    html = response.content.decode()
    assert "Terlalu banyak kiriman dari jaringan Anda" in html and "Coba lagi dalam" in html
    assert 'value="Satu berita lagi dari desa"' in html
    assert KimSubmission.objects.count() == SUBMISSIONS_PER_ADDRESS.count
    # Another address is not affected.
    other = post(client, form_data(intake, title="Berita dari alamat lain"), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


def test_too_many_stories_from_one_group_get_429_with_retry_after(client, intake):
    for number in range(SUBMISSIONS_PER_GROUP.count):
        address = f"10.0.{number}.1"  # many members, many phones: only the group limit applies
        response = post(client, form_data(intake, title=f"Berita kelompok nomor {number}"), REMOTE_ADDR=address)
        assert response.status_code == 302, number
    response = post(client, form_data(intake, title="Berita kelompok berikutnya"), REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Kelompok KIM ini sudah mengirim banyak cerita" in response.content.decode()
    assert KimSubmission.objects.count() == SUBMISSIONS_PER_GROUP.count


XSS = [
    "<script>alert('xss')</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<img src=x onerror="alert(1)">',
    "<svg/onload=alert(1)>",
    '"><script>alert(1)</script>',
    "<a href='javascript:alert(1)'>klik</a>",
]


@pytest.mark.parametrize("payload", XSS)
def test_html_in_title_and_story_is_stored_as_plain_text_and_escaped(client, intake, payload):
    title = f"Banjir di desa {payload} hari ini"
    story = f"Air naik setinggi lutut orang dewasa. {payload}\nWarga mengungsi ke balai desa."
    response = post(client, form_data(intake, title=title, story=story))
    assert response.status_code == 302
    submission = KimSubmission.objects.get()
    for value in (submission.title, submission.story):
        assert "<script" not in value and "onerror" not in value and "<svg" not in value and "<a " not in value
    assert submission.story.endswith("Warga mengungsi ke balai desa.")
    html = client.get(f"/kirim/status/{submission.receipt}/").content.decode()
    assert "<script" not in html and "onerror=" not in html and "javascript:" not in html
