"""The public sections a resident browses: news by category and tag, cek fakta, districts and villages, agencies
(OPD), KIM groups, and the search page.

Each section lists exactly the published, verified items that belong to it (no draft, no unverified edit, no
withdrawn item), pages by path like the news index, answers 404 past its end and for an unknown address, links
items and sections both ways, and costs the same number of queries for 3 items or 13.
"""

import re
import time
from types import SimpleNamespace

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from wagtail.models import Site

from cms.models import NewsCategory, NewsPage, SiteProfile
from cms.models.sections import SECTION_NEWS_PER_PAGE
from cms.selectors import SEARCH_MAX_LENGTH
from cms.services import ratelimit
from cms.services.ratelimit import SEARCH_PER_ADDRESS, ip_rate_key, limit_hit
from tests.factories import AgencyFactory, DistrictFactory, KimGroupFactory, VillageFactory
from tests.section_support import HOST, card_titles, clarification, listing, news, section_content

pytestmark = pytest.mark.django_db

POSYANDU = "Posyandu Tanjung Enim Layani Seratus Balita"
SCHOOL = "Sekolah Dasar Baru Dibuka di Guci"
ROAD = "Jalan Kecamatan Lawang Kidul Diperbaiki"
VACCINE = "Jadwal Vaksinasi Campak"
HOAX = "[HOAKS] Air Sumur Tanjung Enim Beracun"
PUSKESMAS = "Puskesmas Tanjung Enim"
WATERFALL = "Air Terjun Bedegung"
# Words that must never reach a public section: a draft, an unverified edit, a withdrawn item, an unpublished listing.
HIDDEN = ("Draf Rahasia Posyandu", "Diubah Tanpa Verifikasi", "Bantuan Beras", "Klinik Yang Belum Terbit")


@pytest.fixture
def content(home_page, news_index, directory_index, moderator):
    return section_content(moderator)


def get(client, url, status=200):
    response = client.get(url, **HOST)
    assert response.status_code == status, url
    return response.content.decode()


def indonesian(message: str) -> str:
    """What the page says for one of our strings (Indonesian once translated), escaped as the template does."""
    with translation.override("id"):
        return escape(gettext(message))


# Each section lists exactly its own published items -------------------------------------------------------------

SECTIONS = {
    "/berita/kategori/kesehatan/": {POSYANDU, VACCINE, HOAX},
    "/berita/kategori/pendidikan/": {SCHOOL, ROAD},
    "/berita/tag/posyandu/": {POSYANDU},
    "/cek-fakta/": {HOAX},
    "/wilayah/lawang-kidul/": {POSYANDU, ROAD, VACCINE, HOAX, PUSKESMAS},
    "/wilayah/lawang-kidul/tanjung-enim/": {POSYANDU, HOAX, PUSKESMAS},
    "/wilayah/lawang-kidul/pagar-agung/": {VACCINE},
    "/wilayah/ujan-mas/guci/": {SCHOOL, WATERFALL},
    "/opd/dinas-kesehatan/": {POSYANDU, VACCINE, PUSKESMAS},  # related or source agency; its listings
    "/opd/dinas-pendidikan/": {SCHOOL},
    "/kim/maju-bersama/": {POSYANDU},
}


@pytest.mark.parametrize("url", SECTIONS)
def test_each_section_lists_exactly_its_published_items(client, content, url):
    html = get(client, url)
    assert card_titles(html) == SECTIONS[url]
    for words in HIDDEN:
        assert words not in html


def test_index_pages_list_their_sections(client, content):
    regions = get(client, "/wilayah/")
    for href in ("/wilayah/lawang-kidul/", "/wilayah/lawang-kidul/tanjung-enim/", "/wilayah/ujan-mas/guci/"):
        assert f'href="{href}"' in regions
    assert "Lawang Kidul" in regions and "Pagar Agung" in regions

    agencies = get(client, "/opd/")
    assert 'href="/opd/dinas-kesehatan/">Dinas Kesehatan</a>' in agencies
    kim = get(client, "/kim/")
    assert 'href="/kim/maju-bersama/">KIM Maju Bersama</a>' in kim
    assert "KIM Lama Tidur" not in kim  # inactive groups are hidden from the public
    categories = get(client, "/berita/kategori/")
    assert 'href="/berita/kategori/kesehatan/">Kesehatan</a>' in categories


def test_a_village_page_names_its_kim_groups_and_invites_news(client, content):
    html = get(client, "/wilayah/lawang-kidul/tanjung-enim/")
    assert 'href="/kim/maju-bersama/"' in html and "KIM Lama Tidur" not in html
    assert 'href="/kirim/"' in html
    assert "<h1>" in html and 'href="/wilayah/lawang-kidul/"' in html  # breadcrumb up to the district


def test_a_district_page_lists_its_villages(client, content):
    html = get(client, "/wilayah/lawang-kidul/")
    assert 'href="/wilayah/lawang-kidul/tanjung-enim/"' in html
    assert 'href="/wilayah/lawang-kidul/pagar-agung/"' in html
    assert "/wilayah/ujan-mas/guci/" not in html


def test_the_fact_check_page_states_each_verdict(client, content):
    html = get(client, "/cek-fakta/")
    with translation.override("id"):
        assert f'card__verdict--false">{escape(gettext("False (hoax)"))}</p>' in html


def test_a_kim_group_page_keeps_members_and_phones_private(client, content):
    html = get(client, "/kim/maju-bersama/")
    assert content.kim.contact_phone not in html and content.kim.contact_name not in html
    assert 'href="/wilayah/lawang-kidul/tanjung-enim/"' in html


def test_an_agency_page_shows_its_contacts(client, content):
    html = get(client, "/opd/dinas-kesehatan/")
    assert 'href="tel:0734421234"' in html
    assert f'href="{content.dinkes.website}"' in html


# Unknown addresses and pages past the end -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/berita/kategori/tidak-ada/",
        "/berita/tag/tidak-ada/",
        "/berita/tag/beras/",  # only a withdrawn item carries it
        "/wilayah/tidak-ada/",
        "/wilayah/lawang-kidul/tidak-ada/",
        "/wilayah/ujan-mas/tanjung-enim/",  # a village of another district
        "/opd/tidak-ada/",
        "/kim/tidak-ada/",
        "/kim/lama-tidur/",  # inactive
    ],
)
def test_unknown_section_addresses_are_not_found(client, content, url):
    get(client, url, status=404)


@pytest.mark.parametrize("url", list(SECTIONS))
def test_a_page_past_the_end_is_not_found(client, content, url):
    get(client, url + "halaman/2/", status=404)


def test_sections_page_by_path_numbered_from_the_oldest(client, content):
    for number in range(2 * SECTION_NEWS_PER_PAGE - 3):
        news(f"Kabar Kesehatan Nomor {number}", village=content.pagar, categories=[content.health])
    # 2P items with the posyandu, vaccination and hoax ones: the head shows the newest P (page 2), page 1 the oldest.
    head = get(client, "/berita/kategori/kesehatan/")
    first = get(client, "/berita/kategori/kesehatan/halaman/1/")
    second = get(client, "/berita/kategori/kesehatan/halaman/2/")
    assert len(card_titles(head)) == len(card_titles(first)) == SECTION_NEWS_PER_PAGE
    assert card_titles(head) == card_titles(second) and card_titles(head).isdisjoint(card_titles(first))
    assert POSYANDU in card_titles(first)  # the oldest items are on page 1, and stay there
    assert 'href="/berita/kategori/kesehatan/halaman/1/" rel="next"' in head
    assert 'href="/berita/kategori/kesehatan/halaman/2/" rel="prev"' in first
    assert 'href="/berita/kategori/kesehatan/" rel="prev"' in second
    get(client, "/berita/kategori/kesehatan/halaman/3/", status=404)

    # 2P + 1 items in the district: page 3 holds one, so the head shows pages 3 and 2 and leads to page 1.
    district = get(client, "/wilayah/lawang-kidul/")
    assert len(card_titles(district) - {PUSKESMAS}) == SECTION_NEWS_PER_PAGE + 1
    assert 'href="/wilayah/lawang-kidul/halaman/1/" rel="next"' in district
    district_one = get(client, "/wilayah/lawang-kidul/halaman/1/")
    assert PUSKESMAS in district and PUSKESMAS not in district_one  # listings are on the head only
    assert 'href="/wilayah/lawang-kidul/halaman/2/" rel="prev"' in district_one


# Links between items and sections -------------------------------------------------------------------------------


def test_a_news_item_links_to_its_category_tags_region_source_and_agency(client, content):
    html = get(client, content.posyandu.url)
    for href in (
        "/berita/kategori/kesehatan/",
        "/berita/tag/posyandu/",
        "/berita/tag/balita/",
        "/wilayah/lawang-kidul/tanjung-enim/",
        "/wilayah/lawang-kidul/",
        "/kim/maju-bersama/",
        "/opd/dinas-kesehatan/",
    ):
        assert f'href="{href}"' in html, href
        get(client, href)  # and each of them is there


def test_an_inactive_groups_news_names_it_without_a_link(client, content):
    content.kim.is_active = False
    content.kim.save()
    html = get(client, content.posyandu.url)
    assert "KIM Maju Bersama" in html and 'href="/kim/maju-bersama/"' not in html


def test_a_listing_links_to_its_region_and_agency(client, content):
    html = get(client, content.puskesmas.url)
    for href in ("/wilayah/lawang-kidul/tanjung-enim/", "/wilayah/lawang-kidul/", "/opd/dinas-kesehatan/"):
        assert f'href="{href}"' in html, href


def test_cards_link_their_categories_and_regions(client, content):
    html = get(client, "/berita/")
    assert '<a href="/berita/kategori/kesehatan/">Kesehatan</a>' in html
    assert '<a href="/wilayah/lawang-kidul/tanjung-enim/">Tanjung Enim</a>, <a href="/wilayah/lawang-kidul/">' in html
    directory = get(client, "/direktori/")
    assert '<a href="/wilayah/ujan-mas/guci/">Guci</a>' in directory


def test_section_pages_link_to_their_items(client, content):
    html = get(client, "/wilayah/lawang-kidul/tanjung-enim/")
    assert f'href="{content.posyandu.url}"' in html and f'href="{content.puskesmas.url}"' in html


def test_the_header_links_fact_checks_and_every_page_has_a_search_form(client, content):
    html = get(client, "/")
    assert 'href="/cek-fakta/"' in html
    assert re.search(r'<form class="site-search" role="search" action="/cari/" method="get">', html)
    assert 'href="/cek-fakta/" aria-current="page"' in get(client, "/cek-fakta/")


def test_regions_are_those_of_the_sites_regency(client, content):
    DistrictFactory(code="16.04.01", name="Kecamatan Tetangga")
    profile = SiteProfile.for_site(Site.objects.get(is_default_site=True))
    profile.regency_code = "16.03"
    profile.save()
    assert "Kecamatan Tetangga" not in get(client, "/wilayah/")
    get(client, "/wilayah/kecamatan-tetangga/", status=404)


# Slugs ----------------------------------------------------------------------------------------------------------


def test_slugs_are_made_from_names_unique_and_kept_on_rename(db):
    district = DistrictFactory(code="16.03.20", name="Semende Darat Laut")
    assert district.slug == "semende-darat-laut"
    twin = DistrictFactory(code="16.03.21", name="Semende Darat Laut")
    assert twin.slug == "semende-darat-laut-2"
    # Village names repeat across districts: unique within one district is enough.
    here = VillageFactory(code="16.03.20.2001", name="Sukamaju", district=district)
    there = VillageFactory(code="16.03.21.2001", name="Sukamaju", district=twin)
    again = VillageFactory(code="16.03.20.2002", name="Sukamaju", district=district)
    assert (here.slug, there.slug, again.slug) == ("sukamaju", "sukamaju", "sukamaju-2")

    agency = AgencyFactory(name="Dinas Kesehatan")
    agency.name = "Dinas Kesehatan dan Keluarga Berencana"
    agency.save()
    agency.refresh_from_db()
    assert agency.slug == "dinas-kesehatan"  # links people shared keep working
    assert KimGroupFactory(name="KIM Maju Bersama").slug == "maju-bersama"
    assert NewsCategory.objects.create(name="Pertanian & Pangan").slug == "pertanian-pangan"


def test_a_news_item_cannot_take_the_address_of_the_category_list(news_index):
    from django.core.exceptions import ValidationError

    page = NewsPage(title="Kategori", slug="kategori", lead="Ringkasan.", body=[("paragraph", "<p>Isi.</p>")])
    with pytest.raises(ValidationError) as error:
        news_index.add_child(instance=page)
    assert "slug" in error.value.message_dict


# Constant queries -----------------------------------------------------------------------------------------------

LISTS = [
    "/berita/kategori/",
    "/berita/kategori/kesehatan/",
    "/berita/tag/posyandu/",
    "/cek-fakta/",
    "/wilayah/",
    "/wilayah/lawang-kidul/",
    "/wilayah/lawang-kidul/tanjung-enim/",
    "/opd/",
    "/opd/dinas-kesehatan/",
    "/kim/",
    "/kim/maju-bersama/",
    "/cari/?q=tanjung",  # news and listings alike (a kind with no result skips its prefetch queries)
]


def _queries(client, url) -> int:
    client.get(url, **HOST)  # warm renditions: the first view of an image creates them
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **HOST).status_code == 200
    return len(queries)


def _more_of_everything(content, count):
    for _ in range(count):
        n = NewsPage.objects.count()
        news(
            f"Posyandu Tambahan Nomor {n}",
            village=content.tanjung,
            categories=[content.health, content.education],
            tags=["posyandu"],
            source_kind=NewsPage.Source.KIM,
            source_kim_group=content.kim,
            related_agency=content.dinkes,
            hero_image=content.posyandu.hero_image,
        )
        clarification(f"Kabar Bohong Tambahan Nomor {n}", village=content.tanjung, categories=[content.health])
        listing(f"Posyandu Tanjung Nomor {n}", category="kesehatan", village=content.tanjung, agency=content.dinkes)
        district = DistrictFactory(code=f"16.03.{40 + n}", name=f"Kecamatan Tambahan {n}")
        VillageFactory(code=f"16.03.{40 + n}.2001", name=f"Desa Tambahan {n}", district=district)
        AgencyFactory(name=f"Badan Tambahan {n}")
        KimGroupFactory(name=f"KIM Tambahan {n}", village=content.tanjung)
        NewsCategory.objects.create(name=f"Kategori Tambahan {n}")


def test_every_list_costs_the_same_queries_for_few_or_many_items(client, content):
    few = {url: _queries(client, url) for url in LISTS}
    _more_of_everything(content, 8)
    many = {url: _queries(client, url) for url in LISTS}
    assert many == few
    assert len(card_titles(get(client, "/kim/maju-bersama/"))) == 9  # the lists did grow


# Search ---------------------------------------------------------------------------------------------------------


def test_search_finds_published_items_by_title_lead_and_description(client, content):
    by_title = get(client, "/cari/?q=sekolah")
    assert card_titles(by_title) == {SCHOOL}
    by_lead = get(client, "/cari/?q=vitamin")  # a word only in the posyandu item's lead
    assert card_titles(by_lead) == {POSYANDU}
    by_description = get(client, "/cari/?q=persalinan")  # only in the puskesmas listing's description
    assert card_titles(by_description) == {PUSKESMAS}


def test_search_never_finds_drafts_unverified_edits_or_withdrawn_items(client, content):
    for words in ("rahasia", "Diubah Tanpa Verifikasi", "beras", "klinik"):
        html = get(client, f"/cari/?q={words}")
        assert card_titles(html) == set(), words
    assert card_titles(get(client, "/cari/?q=vaksinasi")) == {VACCINE}  # its live, verified title


def test_search_says_what_to_do_with_an_empty_or_too_long_query(client, content):
    empty = get(client, "/cari/")
    assert indonesian("Type one or more words, for example posyandu or puskesmas, and press Search.") in empty
    assert '<input id="search-q" type="search" name="q" value=""' in empty
    assert indonesian("Type one or more words, for example posyandu or puskesmas, and press Search.") in get(
        client, "/cari/?q=%20%20"
    )
    too_long = get(client, "/cari/?q=" + "a" * (SEARCH_MAX_LENGTH + 1), status=400)
    with translation.override("id"):
        message = gettext("The search text is too long: use at most %(count)d characters.") % {
            "count": SEARCH_MAX_LENGTH
        }
    assert escape(message) in too_long
    nothing = get(client, "/cari/?q=durian")
    assert card_titles(nothing) == set() and 'href="/berita/"' in nothing


def test_search_results_are_not_indexed_but_the_search_page_is(client, content):
    response = client.get("/cari/?q=posyandu", **HOST)
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    landing = client.get("/cari/", **HOST)
    assert "X-Robots-Tag" not in landing and "noindex" not in landing.content.decode()
    assert '<meta name="description"' in landing.content.decode()


def test_search_pages_follow_halaman(client, content):
    for number in range(12):
        news(f"Posyandu Desa Contoh {number}", village=content.pagar)
    first = get(client, "/cari/?q=posyandu")
    second = get(client, "/cari/?q=posyandu&halaman=2")
    assert len(card_titles(first)) == 12 and len(card_titles(second)) == 1
    assert 'href="/cari/?q=posyandu&amp;halaman=2" rel="next"' in first
    get(client, "/cari/?q=posyandu&halaman=3", status=404)


def test_search_is_limited_per_address(client, content, monkeypatch):
    # Fixed windows: the clock stands still in the middle of one, so the count cannot straddle a window's end.
    middle = (time.time() // SEARCH_PER_ADDRESS.window_seconds + 0.5) * SEARCH_PER_ADDRESS.window_seconds
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: middle))
    for _ in range(SEARCH_PER_ADDRESS.count):  # this address has searched as often as a minute allows
        limit_hit(SEARCH_PER_ADDRESS, ip_rate_key("127.0.0.1"))
    response = client.get("/cari/?q=posyandu", **HOST)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= SEARCH_PER_ADDRESS.window_seconds
    assert card_titles(response.content.decode()) == set()
    assert client.get("/cari/", **HOST).status_code == 200  # the empty form costs nothing and stays open
    other = client.get("/cari/?q=posyandu", REMOTE_ADDR="10.20.30.40", **HOST)
    assert other.status_code == 200 and POSYANDU in card_titles(other.content.decode())


# The map of a listing -------------------------------------------------------------------------------------------


def test_a_listing_with_coordinates_has_map_links_and_a_map_only_on_request(client, content):
    html = get(client, content.puskesmas.url)
    assert 'href="https://www.openstreetmap.org/?mlat=-3.745000&amp;mlon=103.801000' in html
    assert 'href="geo:-3.745000,103.801000"' in html
    assert re.search(r'<button type="button" class="button map__open" hidden>', html)  # shown by the script
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script src="/static/js/map.js" defer>']  # first party, deferred: nothing blocks
    assert "tile.openstreetmap.org" not in html and "leaflet" not in " ".join(scripts)


def test_a_listing_without_coordinates_has_no_script(client, content):
    html = get(client, content.waterfall.url)
    assert "<script" not in html and "data-map" not in html


def test_sections_have_no_script_at_all(client, content):
    for url in ("/cek-fakta/", "/wilayah/lawang-kidul/tanjung-enim/", "/opd/dinas-kesehatan/", "/cari/?q=posyandu"):
        assert "<script" not in get(client, url), url
