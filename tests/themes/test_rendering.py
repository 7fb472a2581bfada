"""The default theme renders every page type with what a reader needs: dates in the site's zone, region,
source, contacts that work as links, and plain-link navigation that needs no JavaScript."""

import datetime
import io
import re

import pytest
from PIL import Image as PILImage

from django.core.files.images import ImageFile
from django.utils import timezone

from wagtail.images.models import Image
from wagtail.models import Site

from cms.models import (
    Agency,
    DirectoryListingPage,
    District,
    ListingPhoto,
    NewsCategory,
    NewsPage,
    SiteProfile,
    Village,
)
from cms.models.news import NEWS_PER_PAGE
from cms.templatetags.siar_tags import display_url, siar_datetime, tel_href, whatsapp_href
from tests.factories import verified_publish

HOST = {"HTTP_HOST": "localhost"}
# 07.05 UTC on Independence Day: 14.05 in Jakarta (WIB), 15.05 in Makassar (WITA).
PUBLISHED = datetime.datetime(2026, 8, 17, 7, 5, tzinfo=datetime.UTC)
# "Balida, Paringin": the village and its district, each a link to its region page (tests/themes/test_sections.py).
REGION_LINKS = '<a href="/wilayah/paringin/balida/">Balida</a>, <a href="/wilayah/paringin/">Paringin</a>'


def make_image(title="Foto uji", size=(1200, 800)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (30, 110, 150)).save(buffer, "JPEG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="uji.jpg"))


def publish(page):
    if not isinstance(page, NewsPage):
        page.save_revision().publish()
        page.refresh_from_db()
        return page
    return verified_publish(page)


@pytest.fixture
def region(db):
    district = District.objects.create(code="63.11.01", name="Paringin")
    village = Village.objects.create(code="63.11.01.2001", name="Balida", district=district)
    return district, village


@pytest.fixture
def dinkes(db):
    return Agency.objects.create(
        name="Dinas Kesehatan", abbreviation="Dinkes", website="https://dinkes.example.go.id", phone="0526 2028111"
    )


@pytest.fixture
def profile(db):
    site_profile = SiteProfile.for_site(Site.objects.get(is_default_site=True))
    site_profile.name = "Kabupaten Balangan"
    site_profile.office_name = "Diskominfo Kabupaten Balangan"
    site_profile.phone = "0526 2028060"
    site_profile.facebook_url = "https://facebook.com/diskominfobalangan"
    site_profile.save()
    return site_profile


def add_news(news_index, title, *, published=PUBLISHED, **fields):
    fields.setdefault("lead", f"{title}: ringkasan berita.")
    fields.setdefault("body", [("paragraph", "<p>Isi berita.</p>")])
    page = news_index.add_child(instance=NewsPage(title=title, **fields))
    publish(page)
    NewsPage.objects.filter(pk=page.pk).update(first_published_at=published)
    page.refresh_from_db()
    return page


def add_listing(directory_index, title, category, **fields):
    fields.setdefault("description", f"{title} melayani warga.")
    fields.setdefault("address", "Jl. Jend. Sudirman No. 12, Paringin")
    page = directory_index.add_child(instance=DirectoryListingPage(title=title, category=category, **fields))
    return publish(page)


@pytest.fixture
def news_item(news_index, region, dinkes):
    district, village = region
    category = NewsCategory.objects.create(name="Kesehatan", slug="kesehatan")
    page = add_news(
        news_index,
        "Posyandu Desa Balida Layani 120 Balita",
        lead="Petugas posyandu melayani 120 balita dalam sehari.",
        hero_image=make_image("Antrean posyandu"),
        district=district,
        village=village,
        source_kind=NewsPage.Source.AGENCY,
        source_agency=dinkes,
        related_agency=dinkes,
        body=[
            ("paragraph", "<p>Kegiatan berlangsung sejak pagi.</p>"),
            ("quote", {"text": "Informasi resmi sampai ke desa.", "attribution": "Kepala Diskominfo"}),
            ("image", {"image": make_image("Timbangan balita"), "caption": "Balita ditimbang", "credit": "KIM"}),
        ],
    )
    page.categories.set([category])
    page.tags.add("posyandu")
    return publish(page)


@pytest.fixture
def health_listing(directory_index, region, dinkes):
    district, village = region
    page = DirectoryListingPage(
        title="Puskesmas Paringin",
        category="kesehatan",
        subcategory="Puskesmas",
        description="Puskesmas rawat inap.",
        address="Jl. Jend. Sudirman No. 12",
        district=district,
        village=village,
        latitude="-2.333300",
        longitude="115.466700",
        phone="0526 2028200",
        whatsapp="0812 5111 2222",
        email="puskesmas@example.id",
        website="https://puskesmas.example.id/",
        facebook_url="https://www.facebook.com/puskesmasparingin",
        agency=dinkes,
        last_verified=datetime.date(2025, 8, 3),
        opening_hours=[
            ("hours", {"days": "weekdays", "opens": datetime.time(7, 30), "closes": datetime.time(14), "note": ""}),
            ("hours", {"days": "sun", "opens": None, "closes": None, "note": "Tutup"}),
        ],
    )
    page.photos = [ListingPhoto(image=make_image("IMG_0001"), caption="Tampak depan puskesmas")]
    directory_index.add_child(instance=page)
    return publish(page)


def view_draft(admin_client, page):
    """Render through Wagtail's own preview, which serves the page without URL routing."""
    return admin_client.get(f"/admin/pages/{page.pk}/view_draft/", **HOST)


# --- the frame every page shares -------------------------------------------------------------------------


def test_home_page_has_landmarks_skip_link_and_no_script(client, home_page, profile):
    response = client.get("/", **HOST)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    for landmark in ("<header", "<nav", "<footer"):
        assert landmark in html
    assert "<script" not in html  # nothing a 3G phone must download and run
    assert "/static/css/siar.css" in html
    assert "Kabupaten Balangan" in html
    assert 'href="tel:05262028060"' in html
    assert 'href="https://facebook.com/diskominfobalangan"' in html


def test_english_pages_say_so_in_the_lang_attribute(client, home_page):
    response = client.get("/en/", **HOST)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_home_page_lists_highlights_latest_news_and_directory_categories(client, home_page, news_item, health_listing):
    home_page.highlights = [("item", health_listing)]
    publish(home_page)
    html = client.get("/", **HOST).content.decode()
    assert news_item.title in html
    assert news_item.url in html
    assert health_listing.title in html  # the highlight
    assert 'href="/direktori/kesehatan/"' in html
    assert 'href="/direktori/wisata/"' in html


# --- news ------------------------------------------------------------------------------------------------


def test_news_page_shows_title_lead_date_region_source_and_body(client, news_item):
    response = client.get(news_item.url, **HOST)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{news_item.title}</h1>" in html
    assert news_item.lead in html
    assert "17 Agustus 2026, 14.05 WIB" in html
    assert 'datetime="2026-08-17T14:05:00+07:00"' in html
    assert REGION_LINKS in html  # region
    assert "Dinas Kesehatan (Dinkes)" in html  # source and related agency
    assert "Kesehatan" in html and "posyandu" in html  # category and tag
    assert "Kegiatan berlangsung sejak pagi." in html
    assert "<blockquote>" in html and "Kepala Diskominfo" in html
    assert 'alt="Balita ditimbang"' in html  # body image described by its caption


def test_news_page_hero_is_responsive_webp_with_jpeg_fallback(client, news_item):
    html = client.get(news_item.url, **HOST).content.decode()
    hero = re.search(r'<figure class="article__hero">(.*?)</figure>', html, re.S).group(1)
    assert "<source " in hero and 'type="image/webp"' in hero
    assert "400w" in hero and "800w" in hero
    assert ".jpg" in hero.split("<img", 1)[1]  # the fallback <img> is a JPEG
    assert 'alt="Antrean posyandu"' in hero
    assert 'loading="lazy"' not in hero  # the hero is above the fold
    body_image = re.search(r'<figure class="figure">(.*?)</figure>', html, re.S).group(1)
    assert 'loading="lazy"' in body_image


def test_news_page_date_follows_the_site_time_zone(client, news_item, profile):
    profile.time_zone = "Asia/Makassar"
    profile.save()
    html = client.get(news_item.url, **HOST).content.decode()
    assert "17 Agustus 2026, 15.05 WITA" in html
    assert "WIB" not in html


def test_news_page_in_english_uses_a_colon_in_times(client, news_item):
    response = client.get(f"/en{news_item.url}", **HOST)
    assert response.status_code == 200
    assert "17 August 2026, 14:05 WIB" in response.content.decode()


def test_news_page_has_plain_share_links(client, news_item):
    html = client.get(news_item.url, **HOST).content.decode()
    assert 'href="https://wa.me/?text=' in html
    assert "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Flocalhost%2Fberita%2F" in html


def test_news_index_pages_have_paths_of_their_own(client, news_index):
    """Pages are numbered from the oldest (cms.selectors.StableSlice): /berita/ shows the newest, page 1 the oldest."""
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for number in range(2 * NEWS_PER_PAGE):
        add_news(news_index, f"Berita nomor {number:02d}", published=start + datetime.timedelta(days=number))

    head = client.get(news_index.url, **HOST).content.decode()
    assert "Berita nomor 23" in head and "Berita nomor 12" in head  # the newest full page
    assert "Berita nomor 11" not in head
    assert head.index("Berita nomor 23") < head.index("Berita nomor 12")  # newest first
    assert f'href="{news_index.url}halaman/1/" rel="next"' in head
    assert 'rel="prev"' not in head

    first = client.get(f"{news_index.url}halaman/1/", **HOST)
    html = first.content.decode()
    assert first.status_code == 200
    assert "Berita nomor 00" in html and "Berita nomor 11" in html and "Berita nomor 12" not in html
    assert f'href="{news_index.url}halaman/2/" rel="prev"' in html  # newer
    assert 'rel="next"' not in html  # nothing older than page 1

    last = client.get(f"{news_index.url}halaman/2/", **HOST).content.decode()
    assert "Berita nomor 12" in last and "Berita nomor 23" in last
    assert f'href="{news_index.url}" rel="prev"' in last  # the last page's newer news are on the head
    assert f'href="{news_index.url}halaman/1/" rel="next"' in last
    assert client.get(f"{news_index.url}halaman/3/", **HOST).status_code == 404
    assert client.get(f"{news_index.url}halaman/0/", **HOST).status_code == 404


def test_old_query_string_page_links_move_to_the_path(client, news_index):
    response = client.get(f"{news_index.url}?halaman=2", **HOST)
    assert response.status_code == 301 and response["Location"] == f"{news_index.url}halaman/2/"
    assert client.get(f"{news_index.url}halaman/1/", **HOST).status_code == 404  # an empty list has no page 1


def test_news_index_without_news_says_so(client, news_index):
    response = client.get(news_index.url, **HOST)
    assert response.status_code == 200
    assert "<h1>Berita</h1>" in response.content.decode()


# --- directory -------------------------------------------------------------------------------------------


def test_directory_index_lists_cards_with_category_region_and_last_verified(client, directory_index, health_listing):
    response = client.get(directory_index.url, **HOST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Puskesmas Paringin" in html
    assert REGION_LINKS in html
    assert "3 Agustus 2025" in html
    assert 'href="tel:05262028200"' in html
    assert f'href="{directory_index.url}" aria-current="page"' in html  # "all" is the active filter


def test_category_filter_lists_only_that_category(client, directory_index, health_listing):
    add_listing(directory_index, "Air Terjun Riam Kinarum", "wisata")
    response = client.get("/direktori/kesehatan/", **HOST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Puskesmas Paringin" in html
    assert "Air Terjun Riam Kinarum" not in html
    assert 'href="/direktori/kesehatan/" aria-current="page"' in html

    tourism = client.get("/direktori/wisata/", **HOST).content.decode()
    assert "Air Terjun Riam Kinarum" in tourism
    assert "Puskesmas Paringin" not in tourism


def test_unknown_directory_category_is_not_found(client, directory_index):
    assert client.get("/direktori/tidak-ada/", **HOST).status_code == 404


def test_directory_listing_shows_every_contact_as_a_working_link(admin_client, health_listing):
    response = view_draft(admin_client, health_listing)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Puskesmas Paringin</h1>" in html
    assert "Puskesmas rawat inap." in html
    assert "Jl. Jend. Sudirman No. 12" in html and REGION_LINKS in html
    assert 'href="tel:05262028200"' in html
    assert 'href="https://wa.me/6281251112222"' in html
    assert 'href="mailto:puskesmas@example.id"' in html
    assert 'href="https://puskesmas.example.id/"' in html
    assert ">facebook.com/puskesmasparingin<" in html
    assert "https://www.openstreetmap.org/?mlat=-2.333300&amp;mlon=115.466700" in html
    assert "<iframe" not in html  # no embedded third-party map
    assert "Dinas Kesehatan (Dinkes)" in html
    assert "3 Agustus 2025" in html  # last verified, shown to the public
    assert "07.30–14.00" in html and "Tutup" in html  # opening hours
    assert 'alt="Tampak depan puskesmas"' in html


def test_directory_listing_answers_at_its_public_address(client, health_listing):
    """Category sub-routes (/direktori/kesehatan/) must not swallow listing slugs (/direktori/<listing>/)."""
    response = client.get(health_listing.url, **HOST)
    assert response.status_code == 200
    assert health_listing.title in response.content.decode()


# --- errors ----------------------------------------------------------------------------------------------


def test_missing_page_uses_the_themed_404(client, home_page):
    response = client.get("/halaman-yang-tidak-ada/", **HOST)
    html = response.content.decode()
    assert response.status_code == 404
    assert '<a class="skip-link" href="#main">' in html
    assert "<h1>Page not found</h1>" in html or "<h1>Halaman tidak ditemukan</h1>" in html
    assert 'href="/berita/"' in html


def test_server_error_page_renders_without_request_or_database():
    from django.template.loader import get_template

    html = get_template("500.html").render()  # as Django's server_error view does: no context at all
    assert '<html lang="id">' in html and "<h1>" in html


# --- template helpers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "expected"),
    [("Asia/Jakarta", "14.05 WIB"), ("Asia/Makassar", "15.05 WITA"), ("Asia/Jayapura", "16.05 WIT")],
)
def test_siar_datetime_names_the_zone_it_shows(zone, expected):
    import zoneinfo

    with timezone.override(zoneinfo.ZoneInfo(zone)):
        assert siar_datetime(PUBLISHED) == f"17 Agustus 2026, {expected}"


def test_contact_helpers():
    assert tel_href("0734 421-234") == "tel:0734421234"
    assert tel_href("112") == "tel:112"
    assert whatsapp_href("0812 3456 7890") == "https://wa.me/6281234567890"
    assert display_url("https://www.instagram.com/kim.maju/") == "instagram.com/kim.maju"
    assert tel_href("") == "" and whatsapp_href("") == ""


# --- Wagtail preview -------------------------------------------------------------------------------------


def test_preview_of_unsaved_pages_renders(news_index, directory_index):
    """An editor previews a new item before its first save: no address, no publication date yet."""
    news = NewsPage(title="Pratinjau berita", lead="Belum disimpan.", body=[("paragraph", "<p>Isi</p>")])
    news.set_url_path(news_index)
    listing = DirectoryListingPage(title="Pratinjau tempat", category="kuliner", description="Soto", address="Pasar")
    listing.set_url_path(directory_index)
    for page in (news, listing):
        response = page.make_preview_request()
        assert response.status_code == 200
        assert f"<h1>{page.title}</h1>" in response.content.decode()


def test_video_plays_only_on_request_and_embeds_are_plain_links(client, news_index):
    from django.core.files.base import ContentFile

    from wagtail.documents.models import Document

    video = Document.objects.create(title="Video posyandu", file=ContentFile(b"\x00" * 2048, name="posyandu.mp4"))
    page = add_news(
        news_index,
        "Berita dengan video",
        video=video,
        body=[("embed", "https://www.youtube.com/watch?v=abc123")],
    )
    html = client.get(page.url, **HOST).content.decode()
    assert '<video controls preload="none"' in html  # nothing downloads until the reader presses play
    assert 'type="video/mp4"' in html
    assert video.url in html and "download" in html
    assert 'href="https://www.youtube.com/watch?v=abc123"' in html
    assert "<iframe" not in html  # no provider player on a 3G phone


@pytest.mark.parametrize("card", ["news_card.html", "listing_card.html"])
def test_lists_prefetch_exactly_the_renditions_their_cards_show(card):
    """Lists load only the card's renditions (cms.selectors.CARD_PICTURE_SPEC); a card asking for another size
    would find none prefetched and make Wagtail look each one up again, card by card."""
    from django.conf import settings

    from cms.selectors import CARD_PICTURE_SPEC

    template = (settings.BASE_DIR / "themes/default/templates/includes" / card).read_text()
    pictures = re.findall(r"{% picture \S+ ((?:(?:format|fill)-\S+ ?)+)", template)
    assert ["|".join(picture.split()) for picture in pictures] == [CARD_PICTURE_SPEC]


@pytest.mark.django_db
def test_an_article_shares_one_1200x630_jpeg_in_its_preview_and_its_json_ld(client, news_item):
    import json

    html = client.get(news_item.url).content.decode()
    og_image = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    ld = [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]
    article = next(item for block in ld for item in (block if isinstance(block, list) else [block]))
    assert og_image.startswith("http") and re.search(r"\.fill-1200x630\.[^/]*\.jpg$", og_image)
    assert og_image in json.dumps(article)
