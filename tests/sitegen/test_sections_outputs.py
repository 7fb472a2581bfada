"""The sections in the built site: every page of every section is a file, byte for byte the page Django answers,
every internal link has a file, and an incremental build after each kind of editorial change equals a full one.

Builds run through sitegen.build.site_build into a temporary SIAR_SITE_ROOT, as in test_site_outputs.py.
"""

import hashlib
import re
from pathlib import Path

import html5lib
import pytest

from cms.models import NewsPage
from sitegen.build import site_build
from tests.factories import verified_publish
from tests.section_support import HOST, card_titles, clarification, listing, news, section_content

pytestmark = pytest.mark.django_db

# Addresses served by Django, not by the static tree.
DYNAMIC_PREFIXES = ("/kirim/", "/cari/", "/api/", "/admin/", "/media/", "/i18n/", "/en/", "/documents/")
HREF = re.compile(r'(?:href|src)="(/[^"#?]*)[^"]*"')
SECTION_PAGES = (
    "/berita/kategori/",
    "/berita/kategori/kesehatan/",
    "/berita/kategori/kesehatan/halaman/1/",
    "/berita/kategori/pendidikan/",
    "/berita/tag/posyandu/",
    "/berita/tag/balita/",
    "/cek-fakta/",
    "/wilayah/",
    "/wilayah/lawang-kidul/",
    "/wilayah/lawang-kidul/halaman/1/",
    "/wilayah/lawang-kidul/tanjung-enim/",
    "/wilayah/lawang-kidul/pagar-agung/",
    "/wilayah/ujan-mas/",
    "/wilayah/ujan-mas/guci/",
    "/opd/",
    "/opd/dinas-kesehatan/",
    "/opd/dinas-pendidikan/",
    "/kim/",
    "/kim/maju-bersama/",
)


@pytest.fixture
def content(home_page, news_index, directory_index, moderator):
    return section_content(moderator)


def _build(settings, root: Path, trigger: str) -> dict[str, str]:
    settings.SIAR_SITE_ROOT = root
    release = site_build(trigger=trigger)
    assert release.status == "live", release.error if hasattr(release, "error") else release
    live = (root / "current").resolve()
    return {
        path.relative_to(live).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(live.rglob("*"))
        if path.is_file()
    }


def _file(root: Path, address: str) -> Path:
    inner = address.strip("/")
    return root / "current" / (f"{inner}/index.html" if inner else "index.html")


def _html(root: Path, address: str) -> str:
    return _file(root, address).read_text()


def test_every_section_page_is_built_and_is_the_page_django_answers(settings, tmp_path, client, content):
    root = tmp_path / "site"
    _build(settings, root, "full")
    for address in SECTION_PAGES:
        assert _file(root, address).is_file(), address
        assert _file(root, address).read_bytes() == client.get(address, **HOST).content, address
    # Nothing that a visitor would get a 404 for: no tag of a withdrawn item, no inactive group, no second page.
    for address in ("/berita/tag/beras/", "/kim/lama-tidur/", "/berita/kategori/kesehatan/halaman/2/"):
        assert not _file(root, address).exists(), address
    assert card_titles(_html(root, "/cek-fakta/")) == {"[HOAKS] Air Sumur Tanjung Enim Beracun"}
    tanjung = _html(root, "/wilayah/lawang-kidul/tanjung-enim/")
    assert "Puskesmas Tanjung Enim" in tanjung and "Draf Rahasia" not in tanjung and "Bantuan Beras" not in tanjung
    assert not (root / "current" / "cari").exists()  # search is Django's
    sitemap = (root / "current" / "sitemap.xml").read_text()
    for address in SECTION_PAGES:
        assert f"<loc>http://localhost{address}</loc>" in sitemap, address


def test_long_sections_are_built_page_by_page(settings, tmp_path, content):
    for number in range(13):
        news(f"Kabar Desa Pagar Agung Nomor {number}", village=content.pagar)
    root = tmp_path / "site"
    _build(settings, root, "full")
    # 14 items in the village: page 1 holds the oldest 12, page 2 the newest 2, the head both (page 2 is not full).
    head = card_titles(_html(root, "/wilayah/lawang-kidul/pagar-agung/"))
    first = card_titles(_html(root, "/wilayah/lawang-kidul/pagar-agung/halaman/1/"))
    second = card_titles(_html(root, "/wilayah/lawang-kidul/pagar-agung/halaman/2/"))
    assert len(first) == 12 and len(second) == 2 and first.isdisjoint(second) and head == first | second
    assert not _file(root, "/wilayah/lawang-kidul/pagar-agung/halaman/3/").exists()
    assert _file(root, "/wilayah/lawang-kidul/halaman/2/").is_file()


def test_the_built_site_parses_and_has_no_broken_internal_link(settings, tmp_path, content):
    root = tmp_path / "site"
    _build(settings, root, "full")
    live = (root / "current").resolve()
    parser = html5lib.HTMLParser(strict=True)
    broken = []
    for page in live.rglob("*.html"):
        markup = page.read_text()
        parser.parse(markup)  # raises on any parse error
        for address in HREF.findall(markup):
            if address.startswith(DYNAMIC_PREFIXES):
                continue
            target = live / address.lstrip("/")
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append((page.relative_to(live).as_posix(), address))
    assert broken == []


# Incremental equals full after each kind of change a section shows ----------------------------------------------


def _rename_category(c):
    c.health.name = "Kesehatan Masyarakat"
    c.health.save()
    return "/berita/kategori/kesehatan/", "Kesehatan Masyarakat"


def _tag_an_item(c):
    page = NewsPage.objects.get(pk=c.school.pk)
    page.tags.add("sekolah")
    verified_publish(page)
    return "/berita/tag/sekolah/", "Sekolah Dasar Baru Dibuka di Guci"


def _move_an_item_to_another_village(c):
    page = NewsPage.objects.get(pk=c.posyandu.pk)
    page.village, page.district = c.guci, c.ujan
    verified_publish(page)
    return "/wilayah/ujan-mas/guci/", "Posyandu Tanjung Enim Layani Seratus Balita"


def _move_a_listing_to_another_village(c):
    page = type(c.puskesmas).objects.get(pk=c.puskesmas.pk)
    page.village = c.pagar
    verified_publish(page)
    return "/wilayah/lawang-kidul/pagar-agung/", "Puskesmas Tanjung Enim"


def _rename_an_agency(c):
    c.dinkes.name = "Dinas Kesehatan dan Keluarga Berencana"
    c.dinkes.save()
    return "/opd/dinas-kesehatan/", "Dinas Kesehatan dan Keluarga Berencana"


def _publish_a_clarification(c):
    clarification("Jembatan Pagar Agung Ambruk", village=c.pagar)
    return "/cek-fakta/", "[HOAKS] Jembatan Pagar Agung Ambruk"


def _rename_a_village(c):
    c.tanjung.name = "Tanjung Enim Selatan"
    c.tanjung.save()
    return "/wilayah/lawang-kidul/tanjung-enim/", "Tanjung Enim Selatan"


def _deactivate_a_kim_group(c):
    c.kim.is_active = False
    c.kim.save()
    return "/kim/", None


def _add_a_listing(c):
    listing("Pasar Kalangan Guci", category="kuliner", village=c.guci, agency=c.disdik)
    return "/opd/dinas-pendidikan/", "Pasar Kalangan Guci"


CHANGES = [
    _rename_category,
    _tag_an_item,
    _move_an_item_to_another_village,
    _move_a_listing_to_another_village,
    _rename_an_agency,
    _publish_a_clarification,
    _rename_a_village,
    _deactivate_a_kim_group,
    _add_a_listing,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_each_change_builds_incrementally_to_the_bytes_of_a_full_build(settings, tmp_path, content, change):
    before = _build(settings, tmp_path / "incremental", "full")
    address, shown = change(content)
    incremental = _build(settings, tmp_path / "incremental", "incremental")
    full = _build(settings, tmp_path / "full", "full")
    assert incremental == full
    assert incremental != before
    page = _html(tmp_path / "incremental", address)
    if shown is not None:
        assert shown in page
    else:
        assert "KIM Maju Bersama" not in page and not _file(tmp_path / "full", "/kim/maju-bersama/").exists()
