"""sitemap.xml and robots.txt: every published page of the static site, for search engines.

One ``sitemap.xml`` while the site fits in one file of URLS_PER_FILE addresses; past that, ``sitemap.xml``
becomes a sitemap index over ``sitemap-<kind>-<n>.xml`` files kept beside it at the root (a sitemap may only
list addresses at or below its own folder). Items are listed in page-id order, so a publish rewrites only the
last file of its kind, the one of home and lists, and the small index, not every address of the site.

``lastmod`` is what a crawler should trust: an item's last publication; for a list (home, news, directory and
their numbered pages) the newest publication or unpublication in its section, because any of them moves what
every page of the list shows. Withdrawn items are not here: their addresses answer with a withdrawal notice
that is not meant to be indexed.
"""

import math
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from io import StringIO

from django.db.models import Max, TextField
from django.db.models.functions import Cast, Coalesce
from django.utils.encoding import iri_to_uri
from django.utils.xmlutils import SimplerXMLGenerator

from wagtail.models import PageLogEntry

from cms.models import DirectoryCategory, DirectoryListingPage, NewsPage, SiteProfile
from cms.models.directory import LISTINGS_PER_PAGE
from cms.models.news import NEWS_PER_PAGE
from cms.selectors import list_page_url, stable_page_url, stable_slices
from sitegen.outputs import Output, SitePlan, site_path
from sitegen.sections import section_urls
from sitegen.versions import digest

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# The protocol allows 50,000; 10,000 addresses (about 1.5 MB) keeps each file, and what a publish rewrites, small.
URLS_PER_FILE = 10_000
UNPUBLISH_ACTIONS = ("wagtail.unpublish", "wagtail.unpublish.scheduled")

Url = tuple[str, datetime | None]  # (site-relative address, last modified)


@dataclass
class _Kind:
    """The addresses of one kind, as planning reads them and as a file of them is rendered.

    ``keys`` are what fingerprints digest, one per address in order: the address and its last modification, or
    for items the text the database stores that time as (equal text, equal time; converting 10,000 timestamps
    is most of what reading them costs, and a plan renders nothing). ``urls`` and ``newest`` give the addresses
    ``start:stop`` with their times, and the newest of those times, when a file is rendered.
    """

    name: str
    keys: list[tuple[str, object]]
    urls: Callable[[int, int], list[Url]]
    newest: Callable[[int, int], datetime | None]


def _planned(name: str, urls: list[Url]) -> _Kind:
    """A kind whose times planning already holds (home, lists, sections: a few thousand at most)."""

    def newest(start: int, stop: int) -> datetime | None:
        return _newest(*(lastmod for _url, lastmod in urls[start:stop]))

    return _Kind(name, urls, lambda start, stop: urls[start:stop], newest)


def sitemap_outputs(plan: SitePlan) -> Iterator[Output]:
    root_url = plan.site.root_url
    zone = SiteProfile.for_site(plan.site).time_zone
    kinds = [_planned("halaman", _lists(plan)), _news_items(plan), _listings(plan)]
    kinds.append(_planned("bagian", section_urls(plan)))  # category, tag, cek fakta, region, agency and KIM pages
    if sum(len(kind.keys) for kind in kinds) <= URLS_PER_FILE:
        everything = [key for kind in kinds for key in kind.keys]

        def urls() -> list[Url]:
            return [url for kind in kinds for url in kind.urls(0, len(kind.keys))]

        yield Output("sitemap.xml", digest("sitemap", root_url, zone, everything), _urlset(root_url, zone, urls))
    else:
        parts = []  # (address of the part, its fingerprint, its kind, start, stop)
        for kind in kinds:
            for number, start in enumerate(range(0, len(kind.keys), URLS_PER_FILE), 1):
                stop = start + URLS_PER_FILE
                path = f"sitemap-{kind.name}-{number}.xml"
                fingerprint = digest("sitemap", root_url, zone, kind.keys[start:stop])
                parts.append((f"/{path}", fingerprint, kind, start, stop))
                yield Output(path, fingerprint, _urlset(root_url, zone, lambda k=kind, a=start, b=stop: k.urls(a, b)))

        def index() -> list[Url]:
            return [(path, kind.newest(start, stop)) for path, _fingerprint, kind, start, stop in parts]

        # A part's newest time is one of its times: its fingerprint covers it.
        listed = [(path, fingerprint) for path, fingerprint, _kind, _start, _stop in parts]
        yield Output("sitemap.xml", digest("sitemap index", root_url, zone, listed), _index(root_url, zone, index))
    robots = f"User-agent: *\nDisallow: /admin/\n\nSitemap: {root_url}/sitemap.xml\n"
    yield Output("robots.txt", digest("robots", robots), lambda: robots.encode())


# What is listed ------------------------------------------------------------------------------------------------


def _lists(plan: SitePlan) -> list[Url]:
    """Home, and every page of the news and directory lists, exactly the ones SitePlan writes."""
    site, home = plan.site, plan.home
    urls = []
    news_changed = None
    if plan.news_index is not None:
        index = plan.news_index
        items = NewsPage.objects.live().descendant_of(index)
        news_changed = _section_changed(index, items)
        base = site_path(site, index)  # the head, then pages 1…M numbered from the oldest (cms.selectors.StableSlice)
        urls += [
            (stable_page_url(base, part.number), news_changed)
            for part in stable_slices(len(plan.live_news), NEWS_PER_PAGE)
        ]
    urls.insert(0, (site_path(site, home), _newest(home.last_published_at, news_changed)))
    if plan.directory is not None:
        index = plan.directory
        listings = DirectoryListingPage.objects.live().child_of(index)
        changed = _section_changed(index, listings)
        categories = list(listings.values_list("category", flat=True))
        base = site_path(site, index)
        for category in [None, *DirectoryCategory.values]:
            count = sum(1 for value in categories if category is None or value == category)
            list_base = base + index.reverse_subpage("category", args=[category]) if category else base
            pages = max(1, math.ceil(count / LISTINGS_PER_PAGE))
            urls += [(list_page_url(list_base, number), changed) for number in range(1, pages + 1)]
    return urls


def _section_changed(index, live_pages) -> datetime | None:
    """The newest publication or unpublication under a list page: either changes what the list shows."""
    published = live_pages.aggregate(newest=Max("last_published_at"))["newest"]
    unpublished = (
        PageLogEntry.objects.filter(action__in=UNPUBLISH_ACTIONS, page__path__startswith=index.path)
        .exclude(page_id=index.pk)
        .aggregate(newest=Max("timestamp"))["newest"]
    )
    return _newest(index.last_published_at, published, unpublished)


def _news_items(plan: SitePlan) -> _Kind:
    if plan.news_index is None:
        return _planned("berita", [])
    queryset = NewsPage.objects.live().descendant_of(plan.news_index)
    rows = sorted((pk, url_path, last or first) for pk, url_path, _revision, _d, _v, last, first in plan.live_news)
    return _items(plan, "berita", queryset, rows)


def _listings(plan: SitePlan) -> _Kind:
    if plan.directory is None:
        return _planned("direktori", [])
    return _items(plan, "direktori", DirectoryListingPage.objects.live().child_of(plan.directory))


def _items(plan: SitePlan, name: str, queryset, rows: list[tuple] | None = None) -> _Kind:
    """The items of ``queryset`` in page-id order, each dated by its last publication (its first, if never
    published again). ``rows`` are (pk, url_path, that time as stored text), when planning already read them."""
    prefix = len(plan.site.root_page.url_path)
    changed = Coalesce("last_published_at", "first_published_at")
    if rows is None:
        rows = list(
            queryset.annotate(changed=Cast(changed, TextField()))
            .order_by("pk")
            .values_list("pk", "url_path", "changed")
        )
    keys = [("/" + url_path[prefix:], text) for _pk, url_path, text in rows]

    def between(start: int, stop: int):
        """The live items start:stop of the plan, read again by their range of ids when a file is rendered."""
        chunk = rows[start:stop]
        return queryset.filter(pk__gte=chunk[0][0], pk__lte=chunk[-1][0]) if chunk else queryset.none()

    def urls(start: int, stop: int) -> list[Url]:
        times = dict(between(start, stop).annotate(changed=changed).values_list("pk", "changed"))
        pairs = zip(rows[start:stop], keys[start:stop], strict=True)
        return [(path, times.get(pk)) for (pk, _url_path, _text), (path, _text) in pairs]

    def newest(start: int, stop: int) -> datetime | None:
        return between(start, stop).aggregate(newest=Max(changed))["newest"]

    return _Kind(name, keys, urls, newest)


def _newest(*values: datetime | None) -> datetime | None:
    return max((value for value in values if value is not None), default=None)


# Files ---------------------------------------------------------------------------------------------------------


def _lastmod(value: datetime, zone: str) -> str:
    return value.astimezone(zoneinfo.ZoneInfo(zone)).isoformat(timespec="seconds")


def _urlset(root_url: str, zone: str, urls: Callable[[], list[Url]]):
    def render() -> bytes:
        return _document("urlset", "url", root_url, zone, urls())

    return render


def _index(root_url: str, zone: str, parts: Callable[[], list[Url]]):
    def render() -> bytes:
        return _document("sitemapindex", "sitemap", root_url, zone, parts())

    return render


def _document(root: str, element: str, root_url: str, zone: str, urls: list[Url]) -> bytes:
    out = StringIO()
    xml = SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)
    xml.startDocument()
    xml.startElement(root, {"xmlns": SITEMAP_NS})
    for path, lastmod in urls:
        xml.startElement(element, {})
        xml.addQuickElement("loc", root_url + iri_to_uri(path))
        if lastmod is not None:
            xml.addQuickElement("lastmod", _lastmod(lastmod, zone))
        xml.endElement(element)
    xml.endElement(root)
    xml.endDocument()
    return out.getvalue().encode()
