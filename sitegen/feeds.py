"""News feeds of the static site: RSS 2.0, Atom 1.0 and JSON Feed 1.1, for all news, per category, per region
and for fact-check clarifications.

    feeds/berita.{xml,atom,json}                 all news
    feeds/kategori/<category slug>.{…}           one news category
    feeds/wilayah/<Kemendagri code>.{…}          one district (16.03.01) or one village (16.03.01.2001)
    feeds/cek-fakta.{…}                          clarifications of hoaxes (a Salah (Hoaks) or Menyesatkan verdict)

Agency sites, aggregators, other regencies and the kiosks read these, so every feed holds only live news (the
publish gate guarantees a live revision is verified) and an item's id is built from the page id, never its
address: a slug change must not make readers see the item twice.

A feed holds the newest FEED_ITEMS items. Fifty is more than the busiest office publishes in a day, so a reader
that polls once a day misses nothing, while a feed with full bodies stays around a few hundred kilobytes for a
kiosk on a village connection; older news stays reachable through the site's lists and the sitemap.

Clarifications carry their schema.org ClaimReview (the dict cms.jsonld builds for the page's JSON-LD), so
fact-check aggregators get the verdict with the item: in JSON Feed as the extension member ``_claim_review``,
exactly the page's JSON-LD object (its ``@context`` and ``@type`` say what it is; the spec's optional ``about``
is left out because in JSON-LD it would claim schema.org's own ``about`` property); in RSS and Atom as a
``schema:ClaimReview`` element in the ``https://schema.org/`` namespace whose children are the same properties,
nested objects as elements with their ``@type`` in a ``type`` attribute. Readers that do not know the member or
the element ignore it, as all three formats require.

An empty feed (a category or village without news yet) still exists, so a subscription never breaks; its
updated time is the news index's last publication (the Unix epoch for an index made by a migration, never
published through the admin), so it stays byte-identical until an item arrives.
"""

import json
import uuid
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from io import StringIO
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from bs4.dammit import EntitySubstitution
from bs4.element import PreformattedString
from bs4.formatter import HTMLFormatter

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.encoding import iri_to_uri
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from wagtail.images import get_image_model
from wagtail.models import Site

from cms import jsonld
from cms.models import District, NewsCategory, NewsPage, SiteProfile, Village
from cms.models.news import _publisher_name
from cms.models.verification import CLARIFICATION_VERDICTS, Verdict, VerificationEvent
from cms.templatetags.siar_tags import siar_datetime
from sitegen.outputs import Output, SitePlan, _with_verification, site_path
from sitegen.versions import digest, theme_version

FEED_ITEMS = 50
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FEEDS_DIR = "feeds"
IMAGE_SPEC = "fill-1200x630|format-jpeg"  # the rendition the page's Open Graph tag and JSON-LD already use

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
SCHEMA_NS = "https://schema.org/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
MEDIA_TYPES = {"xml": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}

# Tags a feed reader can show; anything else is unwrapped (its text kept) or, for the ones below, dropped whole.
ALLOWED_TAGS = {
    "a": {"href"},
    "b": set(),
    "blockquote": set(),
    "br": set(),
    "em": set(),
    "figcaption": set(),
    "figure": set(),
    "h2": set(),
    "h3": set(),
    "h4": set(),
    "i": set(),
    "img": {"src", "alt", "width", "height"},
    "li": set(),
    "ol": set(),
    "p": set(),
    "strong": set(),
    "time": {"datetime"},
    "ul": set(),
}
DROPPED_TAGS = {"script", "style", "iframe", "object", "embed", "form", "input", "button", "source", "template"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Characters XML 1.0 cannot carry at all (an editor's paste from a word processor can hold them).
_XML_INVALID = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])


@dataclass(frozen=True)
class Entry:
    """One news item as every feed format writes it."""

    id: str
    url: str
    title: str
    summary: str
    content_html: str
    published: datetime
    updated: datetime
    categories: tuple[tuple[str, str], ...]  # (slug, name)
    tags: tuple[str, ...]
    image: tuple[str, int] | None  # (absolute URL of a JPEG rendition, its size in bytes)
    claim_review: dict | None


@dataclass
class Feed:
    """What one feed is about; its entries are rendered only when one of its files must be written."""

    path: str  # "feeds/kategori/kesehatan" (no extension)
    title: Callable[[], str]  # translated inside the renderer's language
    ids: list[int] = field(default_factory=list)
    version: object = None  # the rows of the category/region the title and path are made from
    items: list | None = None  # what its fingerprints digest of its items, made once for its three formats


class FeedPlan:
    """Feeds of one site for one build: which items each feed holds, read in bulk, and how each is rendered."""

    def __init__(self, plan: SitePlan):
        self.plan, self.site = plan, plan.site
        self.profile = SiteProfile.for_site(self.site)
        self.root_url = self.site.root_url
        self.index = plan.news_index
        section = self.index or plan.home
        self.home_page_url = self._absolute(site_path(self.site, section))
        self.empty_updated = section.last_published_at or section.first_published_at or EPOCH
        self.rows = self._rows()
        self.published = {row[0]: row[3] for row in self.rows}
        self.zone = zoneinfo.ZoneInfo(self.profile.time_zone)
        # Memos of this build, filled as files are rendered (in any order, any subset): an item sits in up to five
        # feeds of three formats each, and is made once. At most FEED_ITEMS entries per feed are ever held.
        self.items: dict[int, Entry] = {}
        self.images: dict[int, tuple[str, int]] = {}  # hero image id → (URL, size): many items share an image
        self.site_version = self._site_version()

    # What the feeds hold -------------------------------------------------------------------------------------

    def _rows(self) -> list[tuple]:
        """(pk, district, village, last published, clarification?) of every live item, newest first.

        The last publication is the text the database stores it as (SitePlan.live_news, read once per plan):
        it is only digested into fingerprints, an item's entry is made from its loaded page. Clarifications are
        the live revisions with a clarification verdict."""
        if self.index is None:
            return []
        clarifications = set(  # of any revision, a small set: matching it here is cheaper than a subquery
            Verdict.objects.filter(verdict__in=CLARIFICATION_VERDICTS, revision__isnull=False)
            .order_by()
            .values_list("revision_id", flat=True)
        )
        return [
            (pk, district, village, last, revision in clarifications)
            for pk, _url_path, revision, district, village, last, _first in self.plan.live_news
        ]

    def feeds(self) -> Iterator[Feed]:
        name = self.profile.name
        by_category, by_district, by_village = defaultdict(list), defaultdict(list), defaultdict(list)
        categories = defaultdict(list)
        for page_id, category_id in NewsPage.categories.through.objects.values_list("newspage_id", "newscategory_id"):
            categories[page_id].append(category_id)
        for pk, district, village, _published, _clarification in self.rows:
            for category in categories.get(pk, ()):
                ids = by_category[category]
                if len(ids) < FEED_ITEMS:
                    ids.append(pk)
            if district and len(ids := by_district[district]) < FEED_ITEMS:
                ids.append(pk)
            if village and len(ids := by_village[village]) < FEED_ITEMS:
                ids.append(pk)

        # Titles are functions: they are translated when a file is rendered, inside the site's language.
        yield Feed(f"{FEEDS_DIR}/berita", lambda: _("News from %(site)s") % {"site": name}, self._newest())
        yield Feed(
            f"{FEEDS_DIR}/cek-fakta",
            lambda: _("Fact checks from %(site)s") % {"site": name},
            self._newest(lambda row: row[4]),
        )
        for row in NewsCategory.objects.order_by("slug").values_list("pk", "slug", "name"):
            yield Feed(
                f"{FEEDS_DIR}/kategori/{row[1]}",
                lambda n=row[2]: _("%(category)s: news from %(site)s") % {"category": n, "site": name},
                by_category.get(row[0], []),
                row,
            )
        for row in self._regions(District).values_list("pk", "code", "name"):
            yield Feed(
                f"{FEEDS_DIR}/wilayah/{row[1]}",
                lambda n=row[2]: _("District %(district)s: news from %(site)s") % {"district": n, "site": name},
                by_district.get(row[0], []),
                row,
            )
        kinds = dict(Village.Kind.choices)
        for row in self._regions(Village).values_list("pk", "code", "name", "kind", "district__name"):
            yield Feed(
                f"{FEEDS_DIR}/wilayah/{row[1]}",
                lambda r=row: (
                    _("%(kind)s %(village)s (%(district)s): news from %(site)s")
                    % {"kind": kinds.get(r[3], ""), "village": r[2], "district": r[4], "site": name}
                ),
                by_village.get(row[0], []),
                row,
            )

    def _newest(self, keep=lambda row: True) -> list[int]:
        ids = []
        for row in self.rows:
            if keep(row):
                ids.append(row[0])
                if len(ids) == FEED_ITEMS:
                    break
        return ids

    def _regions(self, model):
        """Districts and villages of this regency (the site profile's Kemendagri code), ordered by code: on an
        installation that serves many regencies, one site's feeds list only its own regions."""
        regions = model.objects.order_by("code")
        code = (self.profile.regency_code or "").strip().rstrip(".")
        return regions.filter(code__startswith=f"{code}.") if code else regions

    # Fingerprints ----------------------------------------------------------------------------------------------

    def _site_version(self) -> str:
        """Everything every feed is made from besides its items: theme (block templates, translations), site
        address and profile, the news index the feeds point to and an empty feed's updated time."""
        sites = list(Site.objects.order_by("pk").values_list("hostname", "port", "root_page_id", "is_default_site"))
        profile = self.profile
        return digest(
            theme_version(),
            sites,
            self.site.pk,
            (profile.name, profile.office_name, profile.tagline, profile.time_zone, profile.regency_code),
            self.home_page_url,
            self.empty_updated,
            settings.MEDIA_URL,
        )

    def fingerprint(self, feed: Feed, extension: str) -> str:
        # An item's version is versions.pages, the one dependency map of the site: it also covers what only the
        # item's page shows (its region's and source's names), so renaming a district re-renders the feeds
        # holding its items to the same bytes, a rare edit. It lacks last_published_at, which a re-publish of
        # the same revision moves (the item's and the feed's updated time).
        # The last publication is the stored text of the timestamp (see _rows): equal text, equal time.
        if feed.items is None:
            pages = self.plan.versions.pages
            feed.items = [(pk, pages.get(pk, ""), self.published.get(pk)) for pk in feed.ids]
        return digest("feed", extension, feed.path, self.site_version, feed.version, feed.items)

    # Items -------------------------------------------------------------------------------------------------------

    def entries(self, ids: list[int]) -> list[Entry]:
        """The feed's entries, each made once per build; an item no longer live is left out."""
        missing = [pk for pk in ids if pk not in self.items]
        if missing:
            for page in self._load(missing):
                self.items[page.pk] = self._entry(page)
        return [self.items[pk] for pk in ids if pk in self.items]

    def _load(self, ids: list[int]) -> list[NewsPage]:
        """The pages in one go, with only what an entry shows: of the hero image's renditions, the feeds' one.
        Prefetches go to plain lists (``to_attr``), much cheaper than a related manager per page."""
        renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=IMAGE_SPEC)
        pages = (
            NewsPage.objects.live()
            .filter(pk__in=ids)
            .select_related("hero_image")
            .prefetch_related(
                Prefetch("categories", to_attr="feed_categories"),
                Prefetch("tags", to_attr="feed_tags"),
                Prefetch("hero_image__renditions", renditions, to_attr="prefetched_renditions"),  # Wagtail reads it
            )
        )
        return list(_with_verification(list(pages), Verdict, VerificationEvent))

    def _entry(self, page) -> Entry:
        url = self._absolute(site_path(self.site, page))
        verdict = page.public_verification["verdict"]
        publisher = {"publisher": _publisher_name(self.profile), "publisher_url": self.root_url}
        review = jsonld.claim_review(page=page, verdict=verdict, url=url, **publisher)
        return Entry(
            id=self.item_id(page.pk),
            url=url,
            title=_xml_text(page.title),
            summary=_xml_text(page.lead),
            content_html=_xml_text(self._content(page, verdict)),
            published=page.first_published_at,
            updated=page.last_published_at or page.first_published_at,
            categories=tuple((c.slug, c.name) for c in page.feed_categories),
            tags=tuple(sorted(tag.name for tag in page.feed_tags)),
            image=self._image(page),
            claim_review=review,
        )

    def item_id(self, pk: int) -> str:
        """urn:uuid from the site's host name and the page id: stable across slug changes, moves and a switch to
        https, unique across the regencies an aggregator reads."""
        return uuid.uuid5(uuid.NAMESPACE_URL, f"{self.site.hostname}/news/{pk}").urn

    def _content(self, page, verdict) -> str:
        """The body as the page shows it (its blocks' own templates), with a clarification's verdict first and
        correction notes last, cleaned for feed readers and with every address made absolute."""
        parts = []
        if verdict is not None and verdict.verdict in CLARIFICATION_VERDICTS:
            parts.append(render_to_string("includes/fact_check.html", {"verdict": verdict}))
        parts.extend(block.render() for block in page.body)
        corrections = page.public_verification["corrections"]
        if corrections:
            rows = format_html_join("", "<li>{}: {}</li>", ((siar_datetime(c.at), c.note) for c in corrections))
            parts.append(format_html("<h2>{}</h2><ul>{}</ul>", _("Corrections"), rows))
        return clean_html("".join(str(part) for part in parts), base=self.root_url + "/")

    def _image(self, page) -> tuple[str, int] | None:
        if not page.hero_image_id:
            return None
        if page.hero_image_id not in self.images:
            rendition = page.hero_image.get_rendition(IMAGE_SPEC)
            self.images[page.hero_image_id] = (self._absolute(rendition.url), rendition.file.size)
        return self.images[page.hero_image_id]

    def _absolute(self, url: str) -> str:
        return iri_to_uri(urljoin(self.root_url + "/", url))

    def feed_url(self, feed: Feed, extension: str) -> str:
        return self._absolute(f"/{feed.path}.{extension}")

    def updated(self, entries: list[Entry]) -> datetime:
        return max((entry.updated for entry in entries), default=self.empty_updated)

    def local(self, value: datetime) -> datetime:
        return value.astimezone(self.zone)

    def description(self) -> str:
        return self.profile.tagline or _("Verified news from the communication office of %(site)s.") % {
            "site": self.profile.name
        }

    def author(self) -> str:
        return _publisher_name(self.profile)


# Formats -------------------------------------------------------------------------------------------------------


def _rfc3339(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def rss(plan: FeedPlan, feed: Feed, entries: list[Entry]) -> bytes:
    out = StringIO()
    xml = SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)
    xml.startDocument()
    namespaces = {"xmlns:atom": ATOM_NS, "xmlns:content": CONTENT_NS, "xmlns:dc": DC_NS, "xmlns:schema": SCHEMA_NS}
    xml.startElement("rss", {"version": "2.0", **namespaces})
    xml.startElement("channel", {})
    xml.addQuickElement("title", _xml_text(feed.title()))
    xml.addQuickElement("link", plan.home_page_url)
    xml.addQuickElement("description", _xml_text(plan.description()))
    xml.addQuickElement("language", "id")
    xml.addQuickElement(
        "atom:link", None, {"href": plan.feed_url(feed, "xml"), "rel": "self", "type": MEDIA_TYPES["xml"]}
    )
    if entries:
        xml.addQuickElement("lastBuildDate", format_datetime(plan.local(plan.updated(entries))))
    xml.addQuickElement("generator", "Siar")
    for entry in entries:
        xml.startElement("item", {})
        xml.addQuickElement("title", entry.title)
        xml.addQuickElement("link", entry.url)
        xml.addQuickElement("guid", entry.id, {"isPermaLink": "false"})
        # RSS readers take description as HTML: the plain-text lead is escaped once more for them.
        xml.addQuickElement("description", escape(entry.summary))
        xml.addQuickElement("content:encoded", entry.content_html)
        xml.addQuickElement("pubDate", format_datetime(plan.local(entry.published)))
        xml.addQuickElement("dc:creator", _xml_text(plan.author()))
        for _slug, name in entry.categories:
            xml.addQuickElement("category", _xml_text(name))
        for tag in entry.tags:
            xml.addQuickElement("category", _xml_text(tag))
        if entry.image:
            url, length = entry.image
            xml.addQuickElement("enclosure", None, {"url": url, "length": str(length), "type": "image/jpeg"})
        if entry.claim_review:
            _schema_element(xml, "ClaimReview", entry.claim_review)
        xml.endElement("item")
    xml.endElement("channel")
    xml.endElement("rss")
    xml.endDocument()
    return out.getvalue().encode()


def atom(plan: FeedPlan, feed: Feed, entries: list[Entry]) -> bytes:
    out = StringIO()
    xml = SimplerXMLGenerator(out, "utf-8", short_empty_elements=True)
    xml.startDocument()
    xml.startElement("feed", {"xmlns": ATOM_NS, "xmlns:schema": SCHEMA_NS, "xml:lang": "id"})
    xml.addQuickElement("title", _xml_text(feed.title()))
    xml.addQuickElement("subtitle", _xml_text(plan.description()))
    xml.addQuickElement("id", plan.feed_url(feed, "atom"))
    xml.addQuickElement("link", None, {"rel": "self", "type": MEDIA_TYPES["atom"], "href": plan.feed_url(feed, "atom")})
    xml.addQuickElement("link", None, {"rel": "alternate", "type": "text/html", "href": plan.home_page_url})
    xml.addQuickElement("updated", _rfc3339(plan.local(plan.updated(entries))))
    _atom_author(xml, plan)
    xml.addQuickElement("generator", "Siar")
    for entry in entries:
        xml.startElement("entry", {})
        xml.addQuickElement("id", entry.id)
        xml.addQuickElement("title", entry.title, {"type": "text"})
        xml.addQuickElement("link", None, {"rel": "alternate", "type": "text/html", "href": entry.url})
        if entry.image:
            url, length = entry.image
            xml.addQuickElement(
                "link", None, {"rel": "enclosure", "type": "image/jpeg", "length": str(length), "href": url}
            )
        xml.addQuickElement("published", _rfc3339(plan.local(entry.published)))
        xml.addQuickElement("updated", _rfc3339(plan.local(entry.updated)))
        _atom_author(xml, plan)
        for slug, name in entry.categories:
            xml.addQuickElement("category", None, {"term": slug, "label": _xml_text(name)})
        for tag in entry.tags:
            xml.addQuickElement("category", None, {"term": _xml_text(tag)})
        xml.addQuickElement("summary", entry.summary, {"type": "text"})
        xml.addQuickElement("content", entry.content_html, {"type": "html"})
        if entry.claim_review:
            _schema_element(xml, "ClaimReview", entry.claim_review)
        xml.endElement("entry")
    xml.endElement("feed")
    xml.endDocument()
    return out.getvalue().encode()


def _atom_author(xml: SimplerXMLGenerator, plan: FeedPlan) -> None:
    xml.startElement("author", {})
    xml.addQuickElement("name", _xml_text(plan.author()))
    xml.addQuickElement("uri", plan.root_url + "/")
    xml.endElement("author")


def json_feed(plan: FeedPlan, feed: Feed, entries: list[Entry]) -> bytes:
    author = {"name": plan.author(), "url": plan.root_url + "/"}
    data = {
        "version": JSON_FEED_VERSION,
        "title": feed.title(),
        "home_page_url": plan.home_page_url,
        "feed_url": plan.feed_url(feed, "json"),
        "description": plan.description(),
        "language": "id",
        "authors": [author],
        "items": [_json_item(plan, entry, author) for entry in entries],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _json_item(plan: FeedPlan, entry: Entry, author: dict) -> dict:
    item = {
        "id": entry.id,
        "url": entry.url,
        "title": entry.title,
        "summary": entry.summary,
        "content_html": entry.content_html,
        "date_published": _rfc3339(plan.local(entry.published)),
        "date_modified": _rfc3339(plan.local(entry.updated)),
        "authors": [author],
        "tags": [name for _slug, name in entry.categories] + list(entry.tags),
    }
    if entry.image:
        item["image"] = entry.image[0]
    if entry.claim_review:
        item["_claim_review"] = entry.claim_review
    return item


def _schema_element(xml: SimplerXMLGenerator, name: str, data: dict) -> None:
    """A JSON-LD object as XML in the schema.org namespace: properties become child elements, ``@type`` an
    attribute of a nested object (the top element is named by it), ``@context`` is the namespace itself."""
    attrs = {"type": data["@type"]} if "@type" in data and name != data["@type"] else {}
    xml.startElement(f"schema:{name}", attrs)
    for key, value in data.items():
        if key.startswith("@"):
            continue
        for one in value if isinstance(value, list) else [value]:
            if isinstance(one, dict):
                _schema_element(xml, key, one)
            elif one is not None:
                xml.addQuickElement(f"schema:{key}", _xml_text(str(one)))
    xml.endElement(f"schema:{name}")


FORMATS = {"xml": rss, "atom": atom, "json": json_feed}


# HTML for feed readers -------------------------------------------------------------------------------------------


def _xml_text(value: str) -> str:
    return (value or "").translate(_XML_INVALID)


def clean_html(markup: str, *, base: str) -> str:
    """Only tags and attributes a feed reader shows safely; every address absolute (a reader has no page address
    to resolve /berita/… against); a responsive <picture> becomes its largest JPEG <img>."""
    soup = BeautifulSoup(markup, "html.parser")
    for node in soup.find_all(string=lambda text: isinstance(text, PreformattedString)):
        node.extract()  # comments, CDATA, doctypes, processing instructions
    for picture in soup.find_all("picture"):
        img = picture.find("img")
        if img is not None:
            _largest_source(img)
        picture.unwrap()
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        if tag.name in DROPPED_TAGS:
            tag.decompose()
            continue
        allowed = ALLOWED_TAGS.get(tag.name)
        if allowed is None:
            tag.unwrap()
            continue
        tag.attrs = {key: value for key, value in tag.attrs.items() if key in allowed}
        for key in ("href", "src"):
            if key in tag.attrs:
                address = urljoin(base, tag.attrs[key].strip())
                if urlsplit(address).scheme in URL_SCHEMES:
                    tag.attrs[key] = address
                else:
                    del tag.attrs[key]
    return soup.decode(formatter=_HTML5).strip()


def _html5_entities(text: str) -> str:
    """bs4's "html5" entity substitution, skipped for text it leaves unchanged: its regular expression of every
    HTML5 entity is slow, and on ASCII it only replaces < and > (and escapes an entity-like &…;)."""
    if text.isascii() and "<" not in text and ">" not in text and "&" not in text:
        return text
    return EntitySubstitution.substitute_html5(text)


# bs4's "html5" formatter (HTMLFormatter.REGISTRY["html5"]) with the fast path above.
_HTML5 = HTMLFormatter(
    entity_substitution=_html5_entities, void_element_close_prefix="", empty_attributes_are_booleans=True
)


def _largest_source(img) -> None:
    """The widest candidate of the <img>'s own srcset (the JPEG fallback of a <picture>), without its now wrong
    width and height."""
    candidates = []
    for candidate in (img.get("srcset") or "").split(","):
        bits = candidate.split()
        if len(bits) == 2 and bits[1].endswith("w") and bits[1][:-1].isdigit():
            candidates.append((int(bits[1][:-1]), bits[0]))
    if candidates:
        img["src"] = max(candidates)[1]
        img.attrs.pop("width", None)
        img.attrs.pop("height", None)


# Outputs ---------------------------------------------------------------------------------------------------------


def feed_outputs(plan: SitePlan) -> Iterator[Output]:
    """Every feed file, the sitemap and robots.txt of the site (hooked into SitePlan.outputs)."""
    from sitegen.sitemap import sitemap_outputs

    feeds = FeedPlan(plan)
    for feed in feeds.feeds():
        for extension, write in FORMATS.items():

            def render(feed=feed, write=write):
                with plan.renderer.active():
                    return write(feeds, feed, feeds.entries(feed.ids))

            yield Output(f"{feed.path}.{extension}", feeds.fingerprint(feed, extension), render)
    yield from sitemap_outputs(plan)
