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
from collections.abc import Iterator
from datetime import datetime
from io import StringIO

from django.db.models import Max
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


def sitemap_outputs(plan: SitePlan) -> Iterator[Output]:
    root_url = plan.site.root_url
    zone = SiteProfile.for_site(plan.site).time_zone
    sections = [("halaman", _lists(plan)), ("berita", _news_items(plan)), ("direktori", _listings(plan))]
    sections.append(("bagian", section_urls(plan)))  # category, tag, cek fakta, region, agency and KIM pages
    everything = [url for _kind, urls in sections for url in urls]
    if len(everything) <= URLS_PER_FILE:
        yield Output("sitemap.xml", digest("sitemap", root_url, zone, everything), _urlset(root_url, zone, everything))
    else:
        parts = []
        for kind, urls in sections:
            for number, start in enumerate(range(0, len(urls), URLS_PER_FILE), 1):
                chunk = urls[start : start + URLS_PER_FILE]
                path = f"sitemap-{kind}-{number}.xml"
                parts.append((f"/{path}", _newest(*(lastmod for _url, lastmod in chunk))))
                yield Output(path, digest("sitemap", root_url, zone, chunk), _urlset(root_url, zone, chunk))
        yield Output("sitemap.xml", digest("sitemap index", root_url, zone, parts), _index(root_url, zone, parts))
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
            (stable_page_url(base, part.number), news_changed) for part in stable_slices(items.count(), NEWS_PER_PAGE)
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


def _news_items(plan: SitePlan) -> list[Url]:
    if plan.news_index is None:
        return []
    return _pages(plan, NewsPage.objects.live().descendant_of(plan.news_index))


def _listings(plan: SitePlan) -> list[Url]:
    if plan.directory is None:
        return []
    return _pages(plan, DirectoryListingPage.objects.live().child_of(plan.directory))


def _pages(plan: SitePlan, queryset) -> list[Url]:
    prefix = len(plan.site.root_page.url_path)
    rows = queryset.order_by("pk").values_list("url_path", "first_published_at", "last_published_at")
    return [("/" + url_path[prefix:], last or first) for url_path, first, last in rows.iterator(chunk_size=2000)]


def _newest(*values: datetime | None) -> datetime | None:
    return max((value for value in values if value is not None), default=None)


# Files ---------------------------------------------------------------------------------------------------------


def _lastmod(value: datetime, zone: str) -> str:
    return value.astimezone(zoneinfo.ZoneInfo(zone)).isoformat(timespec="seconds")


def _urlset(root_url: str, zone: str, urls: list[Url]):
    def render() -> bytes:
        return _document("urlset", "url", root_url, zone, urls)

    return render


def _index(root_url: str, zone: str, parts: list[Url]):
    def render() -> bytes:
        return _document("sitemapindex", "sitemap", root_url, zone, parts)

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
