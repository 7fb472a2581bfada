"""A KIM story's whole journey, in a real browser: a contributor sends it from a phone, a verifier checks it in
the admin and asks an agency, the agency's contact confirms through the link in their e-mail, the verdict is
recorded, the news is published and the contributor sees where it went. A second story, a hoax, never reaches
the site as information: it ends as a [HOAKS] clarification with a fact-check box and ClaimReview data.

One Chromium (the `phone` fixture's) with a context per person: the contributor's phone, the verifier's desktop,
the agency contact's phone (no admin cookies) and a reader's. Screenshots go to test-artifacts/.
"""

import datetime
import io
import json
import re
import time
from urllib.parse import urlsplit

import pytest
from PIL import Image
from PIL.ExifTags import GPS, IFD

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from wagtail.models import Site

from cms.models import KimSubmission, NewsPage
from tests.e2e.conftest import TIMEOUT_MS
from tests.factories import AgencyFactory, KimGroupFactory, NewsCategoryFactory, VillageFactory
from tests.submission_support import image_bytes

pytestmark = pytest.mark.browser

PASSWORD = "Verifikasi-Siar-2024!"
TRUE_TITLE = "Jembatan Gantung Desa Tanjung Raja Selesai Diperbaiki"
TRUE_STORY = (
    "Warga bergotong royong memperbaiki jembatan gantung yang rusak diterjang banjir pekan lalu. "
    "Dinas PUPR mengirim dua tukang dan bahan kayu.\n\nJembatan kembali dilalui anak-anak sekolah sejak Senin."
)
HOAX_TITLE = "Air Sumur di Desa Tanjung Raja Beracun Setelah Banjir"
HOAX_STORY = (
    'Pesan berantai "JANGAN MINUM AIR SUMUR!" menyebut air sumur warga beracun setelah banjir.\n'
    "Katanya tiga orang dirawat di puskesmas.\n\nWarga diminta tidak memakai air sumur sama sekali."
)
DESKTOP = {"viewport": {"width": 1400, "height": 1000}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True}


def _page_in_new_context(browser, **options):
    context = browser.new_context(locale="id-ID", **options)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    return page


def _photo_with_gps(path):
    """A phone camera's JPEG: the maker and where it was taken are in its EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "Xiaomi"  # Make
    exif.get_ifd(IFD.GPSInfo).update(
        {
            GPS.GPSLatitudeRef: "S",
            GPS.GPSLatitude: (3.0, 39.0, 0.0),
            GPS.GPSLongitudeRef: "E",
            GPS.GPSLongitude: (103.0, 46.0, 0.0),
        }
    )
    path.write_bytes(image_bytes("JPEG", (1600, 1200), exif=exif.tobytes()))
    with Image.open(path) as sent:
        assert sent.getexif().get_ifd(IFD.GPSInfo), "the test photo carries GPS EXIF"
    return path


def _contribute(page, live_server, *, group, village, title, story, photo=None):
    """Fill /kirim/ as a person does (taking longer than the time trap) and return the receipt."""
    page.goto(f"{live_server.url}/kirim/")
    opened = time.monotonic()
    page.get_by_label("Kelompok KIM Anda").select_option(label=group.name)
    page.get_by_label("Nama Anda").fill("Siti Aminah")
    page.get_by_label("Nomor telepon atau WhatsApp Anda").fill("0812-3456-7890")
    page.get_by_label("Judul").fill(title)
    page.get_by_label("Cerita").fill(story)
    page.get_by_label("Kategori").select_option(label="Infrastruktur")
    page.get_by_label("Desa tempat kejadian").select_option(label=str(village))
    page.get_by_label("Tanggal kejadian").fill("2026-08-17")
    if photo is not None:
        page.get_by_label("Foto").set_input_files(str(photo))
    page.wait_for_timeout(max(0, int((3.5 - (time.monotonic() - opened)) * 1000)))  # a person takes longer than 3 s
    page.get_by_role("button", name="Kirim cerita").click()
    page.wait_for_url(re.compile(r"/kirim/terima-kasih/SIAR-[A-Z0-9]{4}-[A-Z0-9]{4}/$"))
    return page.locator(".receipt-code").inner_text().strip()


def indonesian(msgid: str) -> str:
    """What the site shows for a string whose translation the lead adds to the catalogue with this change."""
    with translation.override("id"):
        return gettext(msgid)


def _works_without_script(page):
    """Every button of a public page belongs to a form: a phone without JavaScript can still press it."""
    loose = page.evaluate("() => [...document.querySelectorAll('button')].filter(b => !b.form).map(b => b.outerHTML)")
    assert not loose, f"{page.url}: buttons that need JavaScript: {loose}"


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def _open_from_queue(page, live_server, receipt):
    """KIM › Kiriman KIM, then the submission's row: its receipt opens the verification page."""
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("button", name="KIM").click()
    page.get_by_role("link", name="Kiriman KIM").click()
    page.wait_for_url(re.compile(r"/admin/kim/kiriman/"))
    page.get_by_role("link", name=receipt).click()
    page.wait_for_url(re.compile(r"/admin/kim/kiriman/\d+/verifikasi/$"))


def _form(page, action):
    """One of the verification page's forms, by the action it posts."""
    return page.locator(f"form:has(input[name='action'][value='{action}'])")


def _move(page, to_label):
    from playwright.sync_api import expect

    form = _form(page, "transition")
    form.get_by_label("Pindahkan ke").select_option(label=to_label)
    form.get_by_role("button", name="Pindahkan").click()
    expect(page.locator(".messages")).to_contain_text("Kiriman telah dipindahkan.")
    expect(page.locator("main p").first).to_contain_text(to_label)


def _local_input(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _publish_in_editor(page, title):
    """The Wagtail editor's footer: open the actions menu, press Terbitkan, and see the item live in the list."""
    from playwright.sync_api import expect

    publish = page.locator("button[name='action-publish']")
    if not publish.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    expect(publish).to_have_text(re.compile(r"Terbitkan"))
    publish.click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    expect(page.locator("tr", has_text=title)).to_contain_text("Tayang", ignore_case=True)


def _served_image_has_no_exif(page, src):
    response = page.request.get(src)
    assert response.ok, src
    with Image.open(io.BytesIO(response.body())) as served:
        assert not served.getexif(), f"{src} still carries EXIF"
        assert "exif" not in served.info


def _json_ld(page) -> list[dict]:
    found = []
    for text in page.locator("script[type='application/ld+json']").all_text_contents():
        data = json.loads(text)
        found.extend(data if isinstance(data, list) else [data])
    return found


def _titles_on_public_pages(page, live_server, title) -> list[str]:
    """Every line of the home page and the news list that mentions `title`."""
    lines = []
    for path in ("/", "/berita/"):
        page.goto(f"{live_server.url}{path}")
        lines += [line for line in page.locator("main").inner_text().splitlines() if title in line]
    return lines


@pytest.fixture
def story_world(live_server, settings, tmp_path):
    settings.SIAR_QUARANTINE_ROOT = tmp_path / "quarantine"
    settings.WAGTAILADMIN_BASE_URL = live_server.url  # the links Siar sends point at this site
    address = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(hostname=address.hostname, port=address.port)
    village = VillageFactory(name="Tanjung Raja")
    group = KimGroupFactory(name="KIM Tanjung Raja Bersatu", village=village)
    NewsCategoryFactory(name="Infrastruktur", slug="infrastruktur")
    agency = AgencyFactory(
        name="Dinas Pekerjaan Umum dan Penataan Ruang",
        abbreviation="PUPR",
        contact_name="Budi Santoso",
        contact_email="budi.santoso@pupr.example.id",
        contact_phone="",
    )
    # The office's verifier: Moderators triage, verify and publish (Editors may triage and write drafts only).
    verifier = get_user_model().objects.create_user(
        username="verifikator", password=PASSWORD, email="verifikator@example.id", first_name="Rina"
    )
    verifier.groups.add(Group.objects.get(name="Moderators"))
    return {"village": village, "group": group, "agency": agency}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_true_story_goes_from_a_phone_through_an_agency_to_the_site(
    live_server, phone, artifacts, tmp_path, story_world
):
    from playwright.sync_api import expect

    browser = phone.context.browser
    village, group, agency = story_world["village"], story_world["group"], story_world["agency"]

    # 1. The contributor, on a phone, sends the story with a photo straight from the camera (GPS in its EXIF).
    contributor = phone
    photo = _photo_with_gps(tmp_path / "jembatan.jpg")
    receipt = _contribute(
        contributor, live_server, group=group, village=village, title=TRUE_TITLE, story=TRUE_STORY, photo=photo
    )
    contributor.screenshot(path=artifacts / "story-a-01-receipt.png", full_page=True)
    contributor.get_by_role("link", name="Lihat status").click()
    expect(contributor.locator("main")).to_contain_text("Diterima")
    _works_without_script(contributor)
    status_url = contributor.url

    # 2. The verifier finds it in the queue (KIM › Kiriman KIM), opens it, triages it and starts verifying.
    verifier = _page_in_new_context(browser, **DESKTOP)
    _log_in(verifier, live_server, "verifikator")
    _open_from_queue(verifier, live_server, receipt)
    expect(verifier.locator("main h2").first).to_contain_text(TRUE_TITLE)
    expect(verifier.locator("header")).to_contain_text("Verifikasi")
    verifier.screenshot(path=artifacts / "story-a-02-verification.png")
    _move(verifier, "Dalam pemilahan")
    _move(verifier, "Dalam verifikasi")
    contributor.goto(status_url)
    expect(contributor.locator("main")).to_contain_text("Sedang diverifikasi")

    # 3. A note as evidence.
    evidence = _form(verifier, "evidence")
    evidence.get_by_label("Bukti: catatan").fill("Foto cocok dengan jembatan gantung di Dusun II (dicek di peta).")
    evidence.get_by_role("button", name="Tambahkan bukti").click()
    expect(verifier.locator(".messages")).to_contain_text("Bukti sudah ditambahkan")

    # 4. Ask the agency, with a deadline: the link is shown once and e-mailed to its person in charge.
    ask = _form(verifier, "confirmation")
    ask.get_by_label("OPD").select_option(label=str(agency))
    ask.get_by_label("Pertanyaan").fill("Apakah Dinas PUPR memperbaiki jembatan gantung Desa Tanjung Raja pekan ini?")
    ask.get_by_label("Jawab paling lambat").fill(_local_input(timezone.now() + datetime.timedelta(days=2)))
    ask.get_by_role("button", name="Buat tautan").click()
    expect(verifier.locator("#confirmation-link")).to_contain_text(f"Tautan untuk {agency.contact_name}")
    expect(verifier.locator("#confirmation-link")).to_contain_text(agency.contact_email)
    shown = verifier.locator("#confirmation-link input").input_value()
    verifier.screenshot(path=artifacts / "story-a-03-link.png")
    assert [message.to for message in mail.outbox] == [[agency.contact_email]]
    message = mail.outbox[0]
    assert f"Permohonan konfirmasi: {TRUE_TITLE}" in message.subject
    assert message.body.startswith(f"Yth. {agency.contact_name},") and "Benarkan atau bantah di sini" in message.body
    emailed = re.search(r"https?://\S+/konfirmasi/\S+/", message.body).group(0)
    assert emailed == shown and emailed.startswith(live_server.url)

    # 5. The contact opens the link from their inbox on their own phone (no admin session) and confirms.
    contact = _page_in_new_context(browser, **PHONE)
    contact.goto(emailed)
    expect(contact.locator("h1")).to_have_text("Permohonan konfirmasi")
    expect(contact.locator("main")).to_contain_text(TRUE_TITLE)
    _works_without_script(contact)
    contact.screenshot(path=artifacts / "story-a-04-confirmation.png", full_page=True)
    contact.get_by_label("Saya membenarkan").check()
    contact.get_by_label("Komentar").fill("Benar, tim kami memperbaiki jembatan itu pada 15-16 Agustus.")
    expect(contact.get_by_label("Nama Anda")).to_have_value(agency.contact_name)
    contact.get_by_role("button", name="Kirim jawaban").click()
    expect(contact.locator("h1")).to_have_text("Terima kasih, jawaban Anda sudah dicatat")
    contact.screenshot(path=artifacts / "story-a-05-confirmed.png", full_page=True)
    contact.goto(emailed)  # the link works once
    expect(contact.locator("h1")).to_have_text("Permintaan ini sudah dijawab")
    contact.context.close()

    # 6. Back on the submission (from the queue, as the next morning), the verifier sees the answer in the
    # agency requests and the audit trail, records Benar and makes the draft.
    _open_from_queue(verifier, live_server, receipt)
    requests = verifier.locator("main table.listing").first
    expect(requests).to_contain_text("Dijawab: membenarkan")
    expect(requests).to_contain_text("tim kami memperbaiki jembatan")
    audit = verifier.locator("main table.listing").last
    expect(audit).to_contain_text(f"Dijawab oleh {agency.contact_name}")
    expect(audit).to_contain_text("Menunggu konfirmasi OPD")
    expect(audit).not_to_contain_text("awaiting_confirmation")
    verdict = _form(verifier, "verdict")
    verdict.get_by_label("Putusan").select_option(label="Benar")
    verdict.get_by_label("Ringkasan publik").fill("Dinas PUPR membenarkan perbaikan jembatan.")
    verdict.get_by_role("button", name="Catat putusan").click()
    expect(verifier.locator(".messages")).to_contain_text("Putusan telah dicatat.")
    verifier.screenshot(path=artifacts / "story-a-06-verdict.png")
    verifier.get_by_role("button", name="Buat draf berita").click()
    verifier.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    expect(verifier.locator(".messages")).to_contain_text("Draf berita telah dibuat")
    expect(verifier.locator("#id_title")).to_have_value(TRUE_TITLE)
    verifier.screenshot(path=artifacts / "story-a-07-draft.png")

    # 7. Published from the Wagtail editor as it stands: the draft carries the verdict.
    _publish_in_editor(verifier, TRUE_TITLE)
    verifier.screenshot(path=artifacts / "story-a-08-published.png")
    news = NewsPage.objects.get(title=TRUE_TITLE)
    assert news.live

    # 8. A reader sees it: the page with the photo (served without EXIF), the news list, the home page.
    reader = _page_in_new_context(browser, **PHONE)
    reader.goto(f"{live_server.url}{news.url}")
    expect(reader.locator("h1")).to_have_text(TRUE_TITLE)
    expect(reader.locator(".verified-stamp")).to_contain_text("Terverifikasi")
    hero = reader.locator(".article__hero img")
    expect(hero).to_be_visible()
    assert reader.evaluate("img => img.complete && img.naturalWidth > 0", hero.element_handle())
    _served_image_has_no_exif(reader, hero.evaluate("img => img.currentSrc"))
    for source in reader.locator(".article__hero source").all():
        for candidate in source.get_attribute("srcset").split(","):
            _served_image_has_no_exif(reader, f"{live_server.url}{candidate.strip().split()[0]}")
    _works_without_script(reader)
    reader.screenshot(path=artifacts / "story-a-09-news.png", full_page=True)
    assert _titles_on_public_pages(reader, live_server, TRUE_TITLE), "the news list and home page show it"
    reader.context.close()

    # 9. The contributor's status page says published, and its link opens the news.
    contributor.goto(status_url)
    expect(contributor.locator("main")).to_contain_text("Diterbitkan")
    contributor.screenshot(path=artifacts / "story-a-10-status.png", full_page=True)
    contributor.get_by_role("link", name="Baca berita yang diterbitkan").click()
    expect(contributor.locator("h1")).to_have_text(TRUE_TITLE)
    assert KimSubmission.objects.get(receipt=receipt).status == KimSubmission.Status.PUBLISHED_INFORMATION


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_hoax_never_appears_as_information_and_ends_as_a_clarification(live_server, phone, artifacts, story_world):
    from playwright.sync_api import expect

    browser = phone.context.browser
    contributor = phone
    receipt = _contribute(
        contributor,
        live_server,
        group=story_world["group"],
        village=story_world["village"],
        title=HOAX_TITLE,
        story=HOAX_STORY,
    )
    status_url = f"{live_server.url}/kirim/status/{receipt}/"

    # The verifier triages it, checks it, and records Salah (Hoaks) with its category and evidence.
    verifier = _page_in_new_context(browser, **DESKTOP)
    _log_in(verifier, live_server, "verifikator")
    _open_from_queue(verifier, live_server, receipt)
    _move(verifier, "Dalam pemilahan")
    _move(verifier, "Dalam verifikasi")
    verdict = _form(verifier, "verdict")
    verdict.get_by_label("Putusan").select_option(label="Salah (Hoaks)")
    verdict.get_by_label("Kategori hoaks").select_option(label="Konten palsu")
    verdict.get_by_label("Ringkasan publik").fill(
        "Puskesmas Tanjung Raja tidak merawat pasien keracunan air sumur; hasil uji air layak pakai."
    )
    verdict.get_by_label("Bukti: catatan").fill("Kepala Puskesmas: tidak ada pasien keracunan sejak banjir.")
    verdict.get_by_label("Bukti: tautan").fill("https://dinkes.example.id/hasil-uji-air-tanjung-raja")
    verdict.get_by_role("button", name="Catat putusan").click()
    expect(verifier.locator(".messages")).to_contain_text("Putusan telah dicatat.")
    expect(verifier.locator("main")).to_contain_text("Salah (Hoaks) · Konten palsu")
    verifier.screenshot(path=artifacts / "story-b-01-verdict.png")

    # It is not on the site, before or after its draft exists.
    reader = _page_in_new_context(browser, **PHONE)
    assert _titles_on_public_pages(reader, live_server, HOAX_TITLE) == []
    verifier.get_by_role("button", name="Buat draf berita").click()
    verifier.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    clarification_title = f"[HOAKS] {HOAX_TITLE}"
    expect(verifier.locator("#id_title")).to_have_value(clarification_title)
    verifier.screenshot(path=artifacts / "story-b-02-draft.png")
    assert _titles_on_public_pages(reader, live_server, HOAX_TITLE) == []

    # Published as it stands (its quotes and line breaks made the editor's round trip unchanged, so the verdict
    # holds), it is a clarification: the verdict and category up top, ClaimReview for fact-check readers.
    _publish_in_editor(verifier, clarification_title)
    assert not NewsPage.objects.filter(title=HOAX_TITLE).exists()
    clarification = NewsPage.objects.get(title=clarification_title, live=True)
    reader.goto(f"{live_server.url}{clarification.url}")
    expect(reader.locator("h1")).to_have_text(clarification_title)
    box = reader.locator(".fact-check")
    expect(box.locator("h2")).to_have_text("Cek fakta: Salah (Hoaks)")
    expect(box).to_contain_text("Jenis misinformasi: Konten palsu")
    expect(box).to_contain_text("hasil uji air layak pakai")
    reviews = [item for item in _json_ld(reader) if item.get("@type") == "ClaimReview"]
    assert len(reviews) == 1
    assert reviews[0]["claimReviewed"] == HOAX_TITLE
    assert reviews[0]["reviewRating"]["alternateName"] == "Salah (Hoaks)"
    assert reviews[0]["url"].endswith(clarification.url)
    _works_without_script(reader)
    reader.screenshot(path=artifacts / "story-b-03-clarification.png", full_page=True)
    lines = _titles_on_public_pages(reader, live_server, HOAX_TITLE)
    assert lines and all(clarification_title in line for line in lines), lines

    # The contributor reads how it ended, and the clarification is one tap away.
    contributor.goto(status_url)
    expect(contributor.locator(".status")).to_have_text("Diterbitkan sebagai klarifikasi")
    expect(contributor.locator("main")).to_contain_text(
        indonesian(
            "The office checked your story and found it false or misleading, so it was not published as news. "
            "The office published a clarification instead, so that readers are not misled."
        )
    )
    contributor.screenshot(path=artifacts / "story-b-04-status.png", full_page=True)
    contributor.get_by_role("link", name=indonesian("Read the clarification")).click()
    expect(contributor.locator("h1")).to_have_text(clarification_title)
    submission = KimSubmission.objects.get(receipt=receipt)
    assert submission.status == KimSubmission.Status.PUBLISHED_CLARIFICATION
