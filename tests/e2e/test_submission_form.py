"""A KIM contributor on a phone: fill /kirim/ with a photo, send it, read the receipt, open the status page.

Debian's Chromium through Playwright against pytest-django's live server, on a phone-sized viewport.
Screenshots go to test-artifacts/ (gitignored) for a human to look at.
"""

import re
import time
from urllib.parse import urlsplit

import pytest

from wagtail.models import Site

from cms.models import KimSubmission, SubmissionPhoto
from tests.factories import KimGroupFactory, NewsCategoryFactory, VillageFactory
from tests.submission_support import image_bytes

pytestmark = pytest.mark.browser

TITLE = "Jembatan Gantung Desa Tanjung Raja Selesai Diperbaiki"
STORY = "Warga bergotong royong memperbaiki jembatan gantung yang rusak diterjang banjir pekan lalu."


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_contributor_sends_a_story_with_a_photo_from_a_phone(live_server, phone, artifacts, tmp_path, settings):
    from playwright.sync_api import expect

    settings.SIAR_QUARANTINE_ROOT = tmp_path / "quarantine"
    address = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(hostname=address.hostname, port=address.port)
    village = VillageFactory(name="Tanjung Raja")
    group = KimGroupFactory(name="KIM Tanjung Raja Bersatu", village=village)
    NewsCategoryFactory(name="Infrastruktur", slug="infrastruktur")
    photo = tmp_path / "jembatan.jpg"
    photo.write_bytes(image_bytes("JPEG", (1600, 1200)))
    page = phone

    # The header links to the form; the form needs no script at all.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Kirim berita").first.click()
    page.wait_for_url(re.compile(r"/kirim/$"))
    opened = time.monotonic()
    expect(page.locator("h1")).to_have_text("Kirim cerita")
    assert page.locator("script").count() == 0
    page.screenshot(path=artifacts / "kirim-01-form.png", full_page=True)

    # A first try with a mistake: the error is Indonesian and the text is kept.
    page.get_by_label("Kelompok KIM Anda").select_option(label=group.name)
    page.get_by_label("Nama Anda").fill("Siti Aminah")
    page.get_by_label("Nomor telepon atau WhatsApp Anda").fill("nomor saya")
    page.get_by_label("Judul").fill(TITLE)
    page.get_by_label("Cerita").fill(STORY)
    page.get_by_label("Kategori").select_option(label="Infrastruktur")
    page.get_by_label("Desa tempat kejadian").select_option(label=str(village))
    page.get_by_label("Tanggal kejadian").fill("2026-08-17")
    page.get_by_label("Foto").set_input_files(str(photo))
    page.wait_for_timeout(max(0, int((3.5 - (time.monotonic() - opened)) * 1000)))  # a person takes longer than 3 s
    page.get_by_role("button", name="Kirim cerita").click()
    expect(page.locator(".notice--error").first).to_contain_text("Masukkan nomor telepon Indonesia")
    expect(page.get_by_label("Judul")).to_have_value(TITLE)
    expect(page.get_by_text("Pilih foto Anda lagi.")).to_be_visible()
    page.screenshot(path=artifacts / "kirim-02-error.png", full_page=True)
    assert not KimSubmission.objects.exists()

    # Corrected, with the photo chosen again.
    page.get_by_label("Nomor telepon atau WhatsApp Anda").fill("0812-3456-7890")
    page.get_by_label("Foto").set_input_files(str(photo))
    page.get_by_role("button", name="Kirim cerita").click()
    page.wait_for_url(re.compile(r"/kirim/terima-kasih/SIAR-[A-Z0-9]{4}-[A-Z0-9]{4}/$"))
    submission = KimSubmission.objects.get()
    expect(page.locator(".receipt-code")).to_have_text(submission.receipt)
    page.screenshot(path=artifacts / "kirim-03-receipt.png", full_page=True)
    assert SubmissionPhoto.objects.filter(submission=submission).count() == 1

    page.get_by_role("link", name="Lihat status").click()
    page.wait_for_url(re.compile(rf"/kirim/status/{submission.receipt}/$"))
    expect(page.locator("main")).to_contain_text("Diterima")
    expect(page.locator("main")).to_contain_text(TITLE)
    assert "0812" not in page.content() and "Siti Aminah" not in page.content()
    page.screenshot(path=artifacts / "kirim-04-status.png", full_page=True)
