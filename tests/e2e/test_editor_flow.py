"""An editor's morning, in a real browser: log in (in Bahasa Indonesia), write a news item with a photo,
save it as a draft and look at the preview in the default theme.

Runs Debian's Chromium through Playwright against pytest-django's live server. Screenshots of each step
go to test-artifacts/ (gitignored) for a human to look at when something breaks.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import translation
from django.utils.translation import gettext

from wagtail.models import Site

from cms.models import NewsIndexPage, NewsPage
from tests.factories import NewsCategoryFactory, png_bytes

pytestmark = pytest.mark.browser

USERNAME = "redaktur"
PASSWORD = "Redaksi-Siar-2024!"

TITLE = "Gotong Royong Bersihkan Saluran Air di Desa Tanjung Raja"
LEAD = "Ratusan warga turun ke jalan membersihkan saluran air menjelang musim hujan."
PARAGRAPH = "Kegiatan dimulai pukul 07.00 WIB dan diikuti seluruh RT."
IMAGE_TITLE = "Warga membersihkan saluran"


def indonesian(msgid: str) -> str:
    """What the admin shows for one of Wagtail's or Siar's strings, so selectors follow the catalogue."""
    with translation.override("id"):
        return gettext(msgid)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editor_writes_a_news_draft_with_a_photo_and_previews_it(live_server, browser_page, artifacts, tmp_path):
    from playwright.sync_api import expect

    # The default site answers on the live server's address, as it would on the office's own domain.
    address = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(hostname=address.hostname, port=address.port)
    editor = get_user_model().objects.create_user(username=USERNAME, password=PASSWORD, email="redaktur@example.id")
    editor.groups.add(Group.objects.get(name="Editors"))
    category = NewsCategoryFactory(name="Lingkungan", slug="lingkungan")
    news_index = NewsIndexPage.objects.get()
    photo = tmp_path / "gotong-royong.png"
    photo.write_bytes(png_bytes(1200, 800))

    page = browser_page

    # 1. The login page speaks Bahasa Indonesia.
    page.goto(f"{live_server.url}/admin/login/")
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^id"))
    sign_in = page.get_by_role("button", name="Masuk")
    expect(sign_in).to_be_visible()
    page.screenshot(path=artifacts / "editor-01-login.png", full_page=True)
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    sign_in.click()
    page.wait_for_url(re.compile(r"/admin/$"))

    # 2. Berita › add a news item.
    page.goto(f"{live_server.url}/admin/berita/")
    page.screenshot(path=artifacts / "editor-02-berita.png", full_page=True)
    # With a single news index, "Tambah berita" goes straight to the form under Beranda › Berita.
    page.get_by_role("link", name=re.compile(r"^\s*Tambah berita\s*$")).click()
    page.wait_for_url(re.compile(rf"/admin/pages/add/cms/newspage/{news_index.pk}/$"))
    expect(page.locator("#id_title")).to_be_visible()
    page.fill("#id_title", TITLE)
    page.fill("#id_lead", LEAD)

    # The body: insert a paragraph block and type into its rich-text editor.
    page.locator("[data-contentpath='body'] .c-sf-add-button").first.click()
    page.get_by_role("option", name=re.compile(indonesian("Paragraph"), re.I)).first.click()
    editor_box = page.locator("[data-contentpath='body'] [contenteditable='true']").first
    editor_box.click()
    editor_box.type(PARAGRAPH)

    # The main image: upload through the chooser modal.
    page.locator("#id_hero_image-chooser [data-chooser-action-choose]").first.click()
    modal = page.locator(".modal-dialog")
    expect(modal).to_be_visible()
    modal.locator("#tab-label-upload").click()
    modal.locator("#id_image-chooser-upload-file").set_input_files(str(photo))
    modal.locator("#id_image-chooser-upload-title").fill(IMAGE_TITLE)
    page.screenshot(path=artifacts / "editor-03-image-upload.png", full_page=True)
    modal.locator("#tab-upload form button[type='submit'], #tab-upload form input[type='submit']").first.click()
    expect(modal).to_be_hidden()
    expect(page.locator("#id_hero_image-chooser [data-chooser-title]")).to_have_text(IMAGE_TITLE)

    # The category, on the Classification tab.
    page.get_by_role("tab", name=re.compile(indonesian("Classification"), re.I)).click()
    page.get_by_label("Lingkungan").check()
    page.get_by_role("tab", name=re.compile(indonesian("Content"), re.I)).click()
    page.screenshot(path=artifacts / "editor-04-filled.png", full_page=True)

    # 3. Save a draft ("Simpan draf"): the page exists, unpublished.
    assert indonesian("Save draft") != "Save draft"
    save_draft = page.get_by_role("button", name=re.compile(indonesian("Save draft"), re.I))
    save_draft.click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    page.screenshot(path=artifacts / "editor-05-saved.png", full_page=True)
    item = NewsPage.objects.get(title=TITLE)
    assert not item.live
    draft = item.get_latest_revision_as_object()
    assert draft.lead == LEAD
    assert list(draft.categories.all()) == [category]
    assert draft.hero_image is not None and draft.hero_image.title == IMAGE_TITLE
    assert PARAGRAPH in draft.body[0].value.source

    # 4. The preview panel renders the draft in the default theme.
    page.locator("[data-side-panel-toggle='preview']").click()
    frame = page.frame_locator("#w-preview-iframe")
    expect(frame.locator("h1")).to_have_text(TITLE)
    expect(frame.get_by_text(LEAD)).to_be_visible()
    page.screenshot(path=artifacts / "editor-06-preview-panel.png", full_page=False)

    # The same preview, full size, at the address of the panel's "open in a new tab" link.
    new_tab_link = page.locator("[data-w-preview-target='newTab']")
    preview_href = new_tab_link.get_attribute("href")
    assert urlsplit(preview_href).path == f"/admin/pages/{item.pk}/edit/preview/"
    page.goto(urljoin(f"{live_server.url}/", preview_href))
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.get_by_text(LEAD)).to_be_visible()
    hero = page.locator("img[src*='/images/']").first
    expect(hero).to_be_visible()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", hero.element_handle())
    page.screenshot(path=artifacts / "editor-07-preview.png", full_page=True)
