"""News lists in the built site are numbered from the oldest (cms.selectors.StableSlice), so one publication
re-renders only the head and the last numbered page(s) of each list it is on, and every other page of every
list is reused: the same file (a hard link to the live release's, sitegen.releases), not merely the same bytes.

Lists are made long (more than three pages) by a small per-page size, patched wherever it is read.
"""

import hashlib
import re
from pathlib import Path

import pytest

from cms.models import NewsPage, VerdictChoice
from cms.models import news as news_module
from cms.models import sections as cms_sections
from cms.services.verification import news_withdraw
from sitegen import outputs as sitegen_outputs
from sitegen import sections as sitegen_sections
from sitegen import sitemap as sitegen_sitemap
from sitegen.build import site_build
from tests.factories import NewsPageFactory, verify_revision
from tests.section_support import HOST, card_titles, clarification, news, section_content

pytestmark = pytest.mark.django_db

PER_PAGE = 2
NEW = "Kabar Bohong Jembatan Pagar Agung Putus"
# Every kind of news list the new item is on, and lists it is not on (their files must all be reused).
ITS_LISTS = (
    "berita/",
    "berita/kategori/kesehatan/",
    "berita/tag/posyandu/",
    "cek-fakta/",
    "wilayah/lawang-kidul/",
    "wilayah/lawang-kidul/pagar-agung/",
    "opd/dinas-kesehatan/",
    "kim/maju-bersama/",
)
OTHER_LISTS = (
    "berita/kategori/pendidikan/",
    "berita/tag/balita/",
    "wilayah/ujan-mas/",
    "wilayah/ujan-mas/guci/",
    "opd/dinas-pendidikan/",
)


@pytest.fixture
def content(home_page, news_index, directory_index, moderator, monkeypatch):
    for module, name in (
        (news_module, "NEWS_PER_PAGE"),
        (sitegen_outputs, "NEWS_PER_PAGE"),
        (sitegen_sitemap, "NEWS_PER_PAGE"),
        (cms_sections, "SECTION_NEWS_PER_PAGE"),
        (sitegen_sections, "SECTION_NEWS_PER_PAGE"),
    ):
        monkeypatch.setattr(module, name, PER_PAGE)
    c = section_content(moderator)
    kim_news = {"source_kind": NewsPage.Source.KIM, "source_kim_group": c.kim, "related_agency": c.dinkes}
    for number in range(9):
        news(f"Kabar Posyandu Nomor {number}", tags=["posyandu"], village=c.pagar, categories=[c.health], **kim_news)
    for number in range(8):
        clarification(f"Kabar Bohong Nomor {number}", village=c.pagar, categories=[c.health])
    c.kim_news = kim_news
    return c


def _build(settings, root: Path, trigger: str):
    settings.SIAR_SITE_ROOT = root
    release = site_build(trigger=trigger)
    assert release.status == "live"
    return release


def _files(root: Path) -> dict[str, tuple[int, str]]:
    """Every file of the live release: (inode, hash of its bytes). A reused file keeps its inode."""
    live = (root / "current").resolve()
    return {
        path.relative_to(live).as_posix(): (path.stat().st_ino, hashlib.sha256(path.read_bytes()).hexdigest())
        for path in sorted(live.rglob("*"))
        if path.is_file()
    }


def _numbered(files: dict, base: str) -> dict[int, tuple[int, str]]:
    pattern = re.compile(rf"{re.escape(base)}halaman/(\d+)/index\.html")
    return {int(match.group(1)): files[path] for path in files if (match := pattern.fullmatch(path))}


def _publish_everywhere(c) -> NewsPage:
    """A clarification on every kind of list: news, category, tag, cek fakta, district, village, agency, KIM."""
    page = NewsPageFactory(title=f"[HOAKS] {NEW}", live=False, village=c.pagar, categories=[c.health], **c.kim_news)
    page.tags.add("posyandu")
    revision = page.save_revision()
    verify_revision(revision, verdict=VerdictChoice.FALSE)
    revision.publish()
    return page


def test_a_publication_re_renders_only_the_head_and_the_last_pages_of_its_lists(settings, tmp_path, client, content):
    root = tmp_path / "incremental"
    _build(settings, root, "full")
    before = _files(root)
    _publish_everywhere(content)
    _build(settings, root, "incremental")
    after = _files(root)

    grown = same = 0
    for base in ITS_LISTS:
        old, new = _numbered(before, base), _numbered(after, base)
        last_before, last_after = max(old), max(new)
        assert last_before > 3, base  # a long list
        assert set(old) == set(range(1, last_before + 1)) and set(new) == set(range(1, last_after + 1))
        assert last_after in (last_before, last_before + 1), base
        grown, same = grown + (last_after > last_before), same + (last_after == last_before)
        rendered = {number for number in new if old.get(number, (None,))[0] != new[number][0]}
        assert rendered == {last_before, last_after}, base  # the last page, and the new one after it
        assert before[f"{base}index.html"][0] != after[f"{base}index.html"][0], base  # the head
        assert f"[HOAKS] {NEW}" in card_titles((root / "current" / base / "index.html").read_text()), base
        last = (root / "current" / base / f"halaman/{last_after}/index.html").read_text()
        assert f"[HOAKS] {NEW}" in card_titles(last), base
    assert grown and same  # both cases: a new last page, and a last page that filled up
    for base in OTHER_LISTS:
        files = [f"{base}index.html", *(f"{base}halaman/{n}/index.html" for n in _numbered(before, base))]
        assert all(before[path] == after[path] for path in files), base  # same inode: reused

    # What was reused is what Django answers now, and the incremental build equals a full one.
    for base in (*ITS_LISTS, *OTHER_LISTS):
        for path in [f"{base}index.html", *(f"{base}halaman/{n}/index.html" for n in _numbered(after, base))]:
            address = "/" + path.removesuffix("index.html")
            assert (root / "current" / path).read_bytes() == client.get(address, **HOST).content, address
    _build(settings, tmp_path / "full", "full")
    assert {path: digest for path, (_inode, digest) in after.items()} == {
        path: digest for path, (_inode, digest) in _files(tmp_path / "full").items()
    }


def test_withdrawing_an_old_item_moves_only_the_pages_after_it(settings, tmp_path, content, moderator):
    root = tmp_path / "incremental"
    _build(settings, root, "full")
    before = _files(root)
    oldest_first = list(
        NewsPage.objects.live().order_by("first_published_at", "pk").values_list("pk", "title", named=True)
    )
    withdrawn = next(row for row in oldest_first if row.title == "Kabar Posyandu Nomor 4")
    page_of_it = oldest_first.index(withdrawn) // PER_PAGE + 1
    news_withdraw(page=NewsPage.objects.get(pk=withdrawn.pk), actor=moderator, explanation="Keliru.")
    _build(settings, root, "incremental")
    after = _files(root)

    old, new = _numbered(before, "berita/"), _numbered(after, "berita/")
    assert page_of_it > 2
    assert all(new[number][0] == old[number][0] for number in range(1, page_of_it))  # older pages: reused
    assert all(new[number][1] != old[number][1] for number in range(page_of_it, max(new) + 1))  # later ones move
    _build(settings, tmp_path / "full", "full")
    assert {path: digest for path, (_inode, digest) in after.items()} == {
        path: digest for path, (_inode, digest) in _files(tmp_path / "full").items()
    }
