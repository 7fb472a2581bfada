"""News lists are numbered from the oldest (cms.selectors.StableSlice), so a publication changes one end only.

The rules on their own first (any per-page size: the helpers take it as an argument), then the live site's news
index and a village following them: head sizes, the "newer" and "older" links, 404 past the end, and every item
exactly once along the "older" links from the head.
"""

import datetime
import re

import pytest

from cms.models import NewsPage
from cms.models import news as news_module
from cms.models import sections as sections_module
from cms.selectors import stable_head, stable_page, stable_page_count, stable_slices
from tests.factories import verified_publish
from tests.section_support import CARD_TITLE, HOST, listing, news, section_content

P = 5
BASE = "/berita/"


def _url(number: int | None) -> str:
    return BASE if number is None else f"{BASE}halaman/{number}/"


# The rules ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "head_size", "older"),
    [
        (0, 0, None),
        (1, 1, None),
        (P - 1, P - 1, None),
        (P, P, None),
        (P + 1, P + 1, None),  # page 2 holds one item: the head shows pages 2 and 1, everything
        (2 * P - 1, 2 * P - 1, None),
        (2 * P, P, 1),  # page 2 is full: the head shows it alone and leads to page 1
        (2 * P + 1, P + 1, 1),
        (3 * P, P, 2),
        (3 * P + 1, P + 1, 2),
    ],
)
def test_the_head_shows_the_last_page_and_the_one_before_while_the_last_is_not_full(count, head_size, older):
    head = stable_head(count, P)
    assert head.is_head and head.number is None
    assert head.stop == count and head.stop - head.start == head_size
    assert head.older == older and head.older_url(BASE) == ("" if older is None else _url(older))
    assert head.newer_url(BASE) == ""  # nothing is newer than the head


@pytest.mark.parametrize("count", range(1, 4 * P + 2))
def test_numbered_pages_hold_fixed_positions_and_link_to_their_neighbours(count):
    pages = stable_page_count(count, P)
    assert pages == -(-count // P)
    for number in range(1, pages + 1):
        page = stable_page(count, P, number)
        assert (page.start, page.stop) == ((number - 1) * P, min(number * P, count))
        assert page.older_url(BASE) == (_url(number - 1) if number > 1 else "")
        assert page.newer_url(BASE) == (_url(None) if number == pages else _url(number + 1))
        assert page.last == (number == pages)
    assert stable_page(count, P, 0) is None and stable_page(count, P, pages + 1) is None


def test_an_empty_list_has_a_head_and_no_numbered_page():
    assert [part.number for part in stable_slices(0, P)] == [None]
    assert stable_page(0, P, 1) is None


@pytest.mark.parametrize("count", range(4 * P + 2))
def test_following_older_links_from_the_head_shows_every_item_once_newest_first(count):
    newest_first = list(range(count - 1, -1, -1))  # an item is its position counted from the oldest
    seen, part = [], stable_head(count, P)
    while True:
        seen += newest_first[part.newest_first]
        if part.older is None:
            break
        part = stable_page(count, P, part.older)
    assert seen == newest_first
    for number in range(1, stable_page_count(count, P) + 1):  # and each numbered page is newest first too
        assert newest_first[stable_page(count, P, number).newest_first] == sorted(
            range((number - 1) * P, min(number * P, count)), reverse=True
        )


@pytest.mark.parametrize("count", range(4 * P + 1))
def test_a_publication_changes_the_head_and_the_last_page_only(count):
    """An item's position (from the oldest) never changes when one is published: a page whose positions and
    placement (number, last page or not) are the same shows the same items with the same links."""

    def pages(n):
        return {part.number: (part.start, part.stop, part.placement) for part in stable_slices(n, P)}

    before, after = pages(count), pages(count + 1)
    last_before, last_after = stable_page_count(count, P), stable_page_count(count + 1, P)
    changed = {number for number in after if before.get(number) != after[number]}
    assert changed == {None, last_after, last_before} - {0}  # page M, or M and the new M+1


# The live site --------------------------------------------------------------------------------------------------

NAV = re.compile(r'<nav class="pagination".*?</nav>', re.S)
OLDER = re.compile(r'href="([^"]+)" rel="next"')
NEWER = re.compile(r'href="([^"]+)" rel="prev"')


def _get(client, url, status=200) -> str:
    response = client.get(url, **HOST)
    assert response.status_code == status, url
    return response.content.decode()


def _titles(html: str) -> list[str]:
    return [title for _href, title in CARD_TITLE.findall(html)]


def _check_list(client, base: str, newest_first: list[str], per_page: int, others=()):
    """The head, every numbered page and their links at ``base``, against the list's titles (newest first).
    ``others`` are card titles that are not news (a region's listings) and are left out of the comparison."""

    def news_titles(html):
        return [title for title in _titles(html) if title not in others]

    count = len(newest_first)
    pages = stable_page_count(count, per_page)
    head = _get(client, base)
    head_size = len(newest_first[stable_head(count, per_page).newest_first])
    assert news_titles(head) == newest_first[:head_size]
    assert not NEWER.search(head)
    # Along the "older" links from the head: every item exactly once, newest first.
    seen, html = [], head
    while True:
        seen += news_titles(html)
        older = OLDER.search(html)
        if older is None:
            break
        html = _get(client, older.group(1))
    assert seen == newest_first
    for number in range(1, pages + 1):
        html = _get(client, f"{base}halaman/{number}/")
        oldest_first = newest_first[::-1]
        assert news_titles(html) == oldest_first[(number - 1) * per_page : number * per_page][::-1]
        newer = NEWER.search(html).group(1)
        assert newer == (base if number == pages else f"{base}halaman/{number + 1}/")
        older = OLDER.search(html)
        assert (older and older.group(1)) == (f"{base}halaman/{number - 1}/" if number > 1 else None)
        nav = NAV.search(html).group(0)
        assert str(number) in nav and " of " not in nav and " dari " not in nav  # no total: it changes with M
    _get(client, f"{base}halaman/{pages + 1}/", status=404)
    _get(client, f"{base}halaman/0/", status=404)


@pytest.mark.django_db
def test_the_news_index_follows_the_rules_at_every_size(client, news_index, monkeypatch):
    per_page = 3
    monkeypatch.setattr(news_module, "NEWS_PER_PAGE", per_page)
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    newest_first: list[str] = []
    for count in range(2 * per_page + 3):  # n = 0, 1, P-1, P, P+1, 2P-1, 2P, 2P+1, 2P+2
        if count:
            title = f"Berita Nomor {count:02d}"
            page = news_index.add_child(
                instance=NewsPage(title=title, lead="Ringkasan.", body=[("paragraph", "<p>Isi.</p>")])
            )
            verified_publish(page)
            NewsPage.objects.filter(pk=page.pk).update(first_published_at=start + datetime.timedelta(days=count))
            newest_first.insert(0, title)
        _check_list(client, news_index.url, newest_first, per_page)


@pytest.mark.django_db
def test_a_news_item_published_with_an_older_date_takes_its_place_by_date(client, news_index, monkeypatch):
    """Oldest first means by first publication, then by id: a backdated item sorts among the old ones."""
    monkeypatch.setattr(news_module, "NEWS_PER_PAGE", 2)
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for day, title in ((3, "Ketiga"), (1, "Pertama"), (2, "Kedua"), (1, "Pertama Juga")):
        page = news_index.add_child(instance=NewsPage(title=title, lead="R.", body=[("paragraph", "<p>I.</p>")]))
        verified_publish(page)
        NewsPage.objects.filter(pk=page.pk).update(first_published_at=start + datetime.timedelta(days=day))
    _check_list(client, news_index.url, ["Ketiga", "Kedua", "Pertama Juga", "Pertama"], 2)


@pytest.mark.django_db
def test_a_region_shows_its_listings_and_kim_groups_on_its_head_only(
    client, home_page, news_index, directory_index, moderator, monkeypatch
):
    per_page = 2
    monkeypatch.setattr(sections_module, "SECTION_NEWS_PER_PAGE", per_page)
    c = section_content(moderator)
    listing("Balai Desa Pagar Agung", category="wisata", village=c.pagar)
    newest_first = [NewsPage.objects.get(pk=c.vaccine.pk).title]  # the village's one item so far
    for number in range(2 * per_page):  # 2P + 1 items: the head shows pages 3 and 2
        newest_first.insert(0, news(f"Kabar Pagar Agung {number}", village=c.pagar).title)
    base = "/wilayah/lawang-kidul/pagar-agung/"
    _check_list(client, base, newest_first, per_page, others={"Balai Desa Pagar Agung"})
    head = _get(client, base)
    assert "Balai Desa Pagar Agung" in head and 'id="kim-heading"' in head
    for number in (1, 2, 3):
        html = _get(client, f"{base}halaman/{number}/")
        assert "Balai Desa Pagar Agung" not in html and 'id="kim-heading"' not in html
