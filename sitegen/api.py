"""The mobile app's JSON API, written as static files under api/v1/ by every build (SitePlan.outputs).

The app runs on cheap Android phones on weak signal: documents are compact, lists few and paged so that a
publication changes as few files as possible, and a changes feed lets the app fetch only what changed since its
last sync. Every file kind is described in the OpenAPI 3.1 document written beside them (sitegen.api_schema);
tests/sitegen/test_api.py validates every generated file against it.

Fingerprints follow sitegen.versions. A document built from pages (lists, items) digests the versions of those
pages and what this module adds (their last change time, as stored text; the site's address and zone); a small
document read whole from the database while planning (index, regions, agencies, KIM groups, changes, the OpenAPI
document) digests its own data, which is exactly what its bytes depend on. An item's version (in its document,
and in the changes feed while the item is in its window) is made of the page's version and its last change, as
read when the document is rendered or the feed planned: what the item's fingerprint digests.
"""

import datetime
import hashlib
import json
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Prefetch, Q, TextField
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri

from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, Site
from wagtail.rich_text import expand_db_html
from wagtail.whitelist import Whitelister, allow_without_attributes, attribute_rule, check_url

from cms import jsonld
from cms.blocks import OpeningHoursBlock
from cms.models import (
    Agency,
    DirectoryCategory,
    DirectoryListingPage,
    ListingPhoto,
    NewsCategory,
    NewsPage,
    SiteProfile,
    Verdict,
    VerdictChoice,
    VerificationEvent,
    Village,
)
from cms.models.verification import CLARIFICATION_VERDICTS
from cms.selectors import districts_of_site, kim_groups_public
from sitegen.api_schema import (
    CHANGES_WINDOW_DAYS,
    LISTINGS_PER_PAGE,
    NEWS_PER_PAGE,
    openapi_document,
)
from sitegen.outputs import Output, PageLoader, site_path
from sitegen.versions import _files_digest, digest

API_PREFIX = "api/v1"
# Bump when this module changes the bytes of the API for the same content (deploys also run a full build).
API_FORMAT = "1"
CHANGES_WINDOW = datetime.timedelta(days=CHANGES_WINDOW_DAYS)

# Renditions for phones, JPEG and WebP each. The specs are the public site's own (news_card.html, news_page.html,
# captioned_image.html, directory_listing_page.html), so the app and the site share the same files and caches;
# the 1x and 2x sizes of a 360-dp-wide phone screen, nothing larger.
THUMBNAIL_SPECS = ("fill-200x133", "fill-400x267")
HERO_SPECS = ("fill-400x267", "fill-800x533")
BODY_IMAGE_SPECS = ("width-400", "width-800")
PHOTO_SPECS = ("fill-400x267", "fill-800x533")
IMAGE_FORMATS = ("jpeg", "webp")

PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")
UNPUBLISH_ACTIONS = ("wagtail.unpublish", "wagtail.unpublish.scheduled")
DOWN_STATES = ("withdrawn", "expired")

# Rich text the app may render: the editor's features (cms.blocks.RICH_TEXT_FEATURES) and nothing else.
RICH_TEXT_TAGS = ("p", "br", "h2", "h3", "h4", "b", "strong", "i", "em", "ol", "ul", "li", "sub", "sup")
RICH_TEXT_DROPPED = ("script", "style", "template", "noscript", "iframe", "object", "embed")  # with their content


def json_bytes(data) -> bytes:
    """Deterministic and compact: sorted keys, no spaces, UTF-8 (Indonesian text stays readable and short)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _empty_to_none(value):
    return value or None


class _RichTextCleaner(Whitelister):
    """Wagtail's whitelister with the editor's tags only, and links made absolute for an app."""

    def __init__(self, absolute: Callable[[str], str]):
        def href(value):
            checked = check_url(value)
            return absolute(checked) if checked else None

        def drop(tag):
            tag.decompose()

        link_attributes = attribute_rule({"href": href})

        def link(tag):
            link_attributes(tag)
            if not tag.get("href"):  # a refused address (javascript:…) leaves the words, not a dead link
                tag.unwrap()

        self.element_rules = {
            "[document]": allow_without_attributes,
            **dict.fromkeys(RICH_TEXT_TAGS, allow_without_attributes),
            "a": link,
            **dict.fromkeys(RICH_TEXT_DROPPED, drop),
        }


class ApiContext:
    """What every document of one site needs: absolute addresses, the site's zone, renditions, sanitising."""

    def __init__(self, site: Site, profile: SiteProfile | None = None):
        self.site = site
        self.profile = profile or SiteProfile.for_site(site)
        self.root = site.root_url.rstrip("/")
        self.zone = zoneinfo.ZoneInfo(self.profile.time_zone)
        self.publisher = self.profile.office_name or self.profile.name
        self._cleaner = _RichTextCleaner(self.absolute)
        # (image id, specs) → its sizes, looked up once per context (a build, or a search request): a hero image's
        # thumbnail is in every list its item is in, and Wagtail's lookup of a rendition is slow.
        self._sizes: dict[tuple[int, tuple[str, ...]], list[dict]] = {}

    def version(self) -> str:
        """Everything every page-built document depends on besides its pages: addresses, zone, labels."""
        return digest(
            API_FORMAT,
            self.root,
            self.site.root_page.url_path,
            settings.MEDIA_URL,
            self.profile.time_zone,
            self.publisher,
            settings.LANGUAGE_CODE,
            _files_digest([Path(p) for p in settings.LOCALE_PATHS]),  # labels (categories, verdicts, days)
        )

    # Addresses and times -------------------------------------------------------------------------------------

    def absolute(self, address: str) -> str:
        """Absolute (a relative address is on this site) and ASCII (an IRI's characters percent-encoded)."""
        return iri_to_uri(urljoin(self.root + "/", address))

    def api_url(self, relative: str) -> str:
        return f"{self.root}/{API_PREFIX}/{relative}"

    def page_url(self, page) -> str:
        return self.absolute(site_path(self.site, page))

    def time(self, value: datetime.datetime | None) -> str | None:
        return value.astimezone(self.zone).isoformat(timespec="seconds") if value else None

    # Content -------------------------------------------------------------------------------------------------

    def image(self, image, specs: tuple[str, ...], *, alt: str = "") -> dict | None:
        """The image in the given sizes, each as JPEG and WebP (made through Wagtail, as the templates do)."""
        if image is None:
            return None
        key = (image.pk, specs)
        if key not in self._sizes:
            self._sizes[key] = self._image_sizes(image, specs)
        return {"alt": alt or image.default_alt_text, "renditions": self._sizes[key]}

    def _image_sizes(self, image, specs: tuple[str, ...]) -> list[dict]:
        renditions = image.get_renditions(*_rendition_specs(specs))
        sizes, seen = [], set()
        for spec in specs:
            jpeg, webp = (renditions[f"{spec}|format-{fmt}"] for fmt in IMAGE_FORMATS)
            if (jpeg.width, jpeg.height) in seen:  # a small original gives the same size twice
                continue
            seen.add((jpeg.width, jpeg.height))
            sizes.append(
                {
                    "width": jpeg.width,
                    "height": jpeg.height,
                    "jpeg": self.absolute(jpeg.url),
                    "webp": self.absolute(webp.url),
                }
            )
        return sizes

    def rich_text(self, source: str) -> str:
        return self._cleaner.clean(expand_db_html(source))


def _rendition_specs(specs: tuple[str, ...]) -> list[str]:
    return [f"{spec}|format-{fmt}" for spec in specs for fmt in IMAGE_FORMATS]


# Reading pages in bulk ----------------------------------------------------------------------------------------


def _news_bulk(queryset) -> list[NewsPage]:
    """News pages of ``queryset`` with everything their documents show, verdicts and corrections in bulk."""
    pages = queryset.select_related(
        "hero_image",
        "district",
        "village__district",
        "related_agency",
        "source_agency",
        "source_kim_group",
        "video",
    ).prefetch_related("categories", "tags", "hero_image__renditions")
    return _with_verdicts(list(pages))


def _summaries_bulk(queryset) -> list[NewsPage]:
    """News pages of ``queryset`` with only what news_summary shows (lists load many): of the hero image's
    renditions, the thumbnails', as the plain list Wagtail looks for."""
    renditions = (
        get_image_model().get_rendition_model().objects.filter(filter_spec__in=_rendition_specs(THUMBNAIL_SPECS))
    )
    pages = queryset.select_related("hero_image", "district", "village__district").prefetch_related(
        "categories", Prefetch("hero_image__renditions", renditions, to_attr="prefetched_renditions")
    )
    return _with_verdicts(list(pages))


def _with_verdicts(pages: list[NewsPage]) -> list[NewsPage]:
    """The pages, each with its live verdict and its corrections (api_verdict, api_corrections), read in bulk."""
    revisions = [page.live_revision_id for page in pages if page.live_revision_id]
    verdicts = {verdict.revision_id: verdict for verdict in Verdict.objects.filter(revision_id__in=revisions)}
    corrections = defaultdict(list)
    events = VerificationEvent.objects.filter(page_id__in=[page.pk for page in pages], to_state="corrected")
    for event in events.order_by("at", "pk"):
        corrections[event.page_id].append(event)
    for page in pages:
        page.api_verdict = verdicts.get(page.live_revision_id)
        page.api_corrections = corrections[page.pk]
    return pages


def _listings_bulk(queryset) -> list[DirectoryListingPage]:
    renditions = get_image_model().get_rendition_model().objects.all()
    photos = ListingPhoto.objects.select_related("image").prefetch_related(Prefetch("image__renditions", renditions))
    return list(
        queryset.select_related("district", "village__district", "agency").prefetch_related(
            Prefetch("photos", queryset=photos)
        )
    )


def _hash(text: str) -> str:
    """A fingerprint of a text made of digests and stored times: as sitegen.versions.digest, without its JSON."""
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def _in_order(pages: list, ids: list[int]) -> list:
    by_id = {page.pk: page for page in pages}
    return [by_id[pk] for pk in ids if pk in by_id]


def news_load(ids: Iterable[int]) -> list[NewsPage]:
    """Live news pages ready for their documents, in the order of ``ids`` (any no longer live left out)."""
    ids = list(ids)
    return _in_order(_news_bulk(NewsPage.objects.live().filter(pk__in=ids)), ids)


def _news_summaries_load(ids: list[int]) -> list[NewsPage]:
    return _summaries_bulk(NewsPage.objects.live().filter(pk__in=ids))


def listings_load(ids: Iterable[int]) -> list[DirectoryListingPage]:
    ids = list(ids)
    return _in_order(_listings_bulk(DirectoryListingPage.objects.live().filter(pk__in=ids)), ids)


def _updated(page) -> datetime.datetime | None:
    """A news item changes when it is published again, or when a correction note is added to it."""
    times = [page.last_published_at or page.first_published_at]
    times += [event.at for event in getattr(page, "api_corrections", [])]
    return max((t for t in times if t), default=None)


# Documents --------------------------------------------------------------------------------------------------


def _place(item) -> dict:
    return {"code": item.code, "name": item.name}


def _region(page) -> dict | None:
    district = page.district if page.district_id else (page.village.district if page.village_id else None)
    if district is None:
        return None
    return {"district": _place(district), "village": _place(page.village) if page.village_id else None}


def _agency_ref(ctx: ApiContext, agency) -> dict | None:
    if agency is None:
        return None
    return {
        "id": agency.pk,
        "name": agency.name,
        "abbreviation": agency.abbreviation,
        "website": ctx.absolute(agency.website) if agency.website else None,
    }


def news_summary(ctx: ApiContext, page: NewsPage) -> dict:
    verdict = page.api_verdict
    return {
        "id": page.pk,
        "type": "news",
        "title": page.title,
        "lead": page.lead,
        "url": ctx.page_url(page),
        "api_url": ctx.api_url(f"news/{page.pk}.json"),
        "published": ctx.time(page.first_published_at),
        "updated": ctx.time(_updated(page)),
        "categories": [{"id": c.pk, "slug": c.slug, "name": c.name} for c in page.categories.all()],
        "region": _region(page),
        "thumbnail": ctx.image(page.hero_image, THUMBNAIL_SPECS),
        "verdict": verdict.verdict if verdict else None,
        "clarification": bool(verdict and verdict.verdict in CLARIFICATION_VERDICTS),
    }


def _verification(ctx: ApiContext, verdict) -> dict | None:
    """What the page's fact-check box or verified stamp says (includes/fact_check.html), no more."""
    if verdict is None:
        return None
    clarification = verdict.verdict in CLARIFICATION_VERDICTS
    return {
        "verdict": verdict.verdict,
        "label": str(verdict.get_verdict_display()),
        "category": verdict.category if clarification and verdict.category else None,
        "category_label": str(verdict.get_category_display()) if clarification and verdict.category else None,
        "summary": verdict.summary if verdict.verdict != VerdictChoice.TRUE else "",
        "decided_at": ctx.time(verdict.decided_at),
    }


def _body(ctx: ApiContext, page: NewsPage) -> list[dict]:
    blocks = []
    for block in page.body:
        value = block.value
        if block.block_type == "paragraph":
            blocks.append({"type": "paragraph", "html": ctx.rich_text(value.source)})
        elif block.block_type == "image" and value["image"] is not None:
            caption, credit = value["caption"] or "", value["credit"] or ""
            image = ctx.image(value["image"], BODY_IMAGE_SPECS, alt=caption)
            blocks.append({"type": "image", "image": image, "caption": caption, "credit": credit})
        elif block.block_type == "quote":
            blocks.append({"type": "quote", "text": value["text"] or "", "attribution": value["attribution"] or ""})
        elif block.block_type == "embed" and value is not None and value.url:
            blocks.append({"type": "embed", "url": ctx.absolute(value.url)})  # a link, as the page shows it
    return blocks


def news_document(ctx: ApiContext, page: NewsPage) -> dict:
    url = ctx.page_url(page)
    kind = page.source_kind
    data = news_summary(ctx, page)
    data.update(
        {
            "hero_image": ctx.image(page.hero_image, HERO_SPECS),
            "body": _body(ctx, page),
            "tags": sorted(tag.name for tag in page.tags.all()),
            "source": {
                "kind": kind,
                "label": page.source_label,
                "agency": _agency_ref(ctx, page.source_agency) if kind == NewsPage.Source.AGENCY else None,
                "kim_group": {"id": page.source_kim_group.pk, "name": page.source_kim_group.name}
                if kind == NewsPage.Source.KIM and page.source_kim_group
                else None,
            },
            "related_agency": _agency_ref(ctx, page.related_agency),
            "verification": _verification(ctx, page.api_verdict),
            "corrections": [{"at": ctx.time(event.at), "note": event.note} for event in page.api_corrections],
            "claim_review": jsonld.claim_review(
                page=page, verdict=page.api_verdict, url=url, publisher=ctx.publisher, publisher_url=ctx.site.root_url
            ),
            "video": {"url": ctx.absolute(page.video.url)} if page.video_id else None,
        }
    )
    return data


def listing_summary(ctx: ApiContext, page: DirectoryListingPage) -> dict:
    located = page.latitude is not None and page.longitude is not None
    return {
        "id": page.pk,
        "type": "listing",
        "title": page.title,
        "category": {"slug": page.category, "label": str(page.get_category_display())},
        "subcategory": page.subcategory,
        "address": page.address,
        "region": _region(page),
        "location": {"latitude": float(page.latitude), "longitude": float(page.longitude)} if located else None,
        "phone": _empty_to_none(page.phone),
        "whatsapp": _empty_to_none(page.whatsapp),
        "url": ctx.page_url(page),
        "api_url": ctx.api_url(f"directory/{page.pk}.json"),
        "updated": ctx.time(page.last_published_at or page.first_published_at),
        "last_verified": page.last_verified.isoformat(),
        "thumbnail": ctx.image(page.main_photo, THUMBNAIL_SPECS),
    }


def _clock(value) -> str | None:
    return value.strftime("%H:%M") if value else None


def listing_document(ctx: ApiContext, page: DirectoryListingPage) -> dict:
    data = listing_summary(ctx, page)
    days = dict(OpeningHoursBlock.DAYS)
    data.update(
        {
            "description": page.description,
            "email": _empty_to_none(page.email),
            "website": ctx.absolute(page.website) if page.website else None,
            "facebook": ctx.absolute(page.facebook_url) if page.facebook_url else None,
            "instagram": ctx.absolute(page.instagram_url) if page.instagram_url else None,
            "whatsapp_url": page.whatsapp_link or None,
            "opening_hours": [
                {
                    "days": block.value["days"],
                    "days_label": str(days.get(block.value["days"], block.value["days"])),
                    "opens": _clock(block.value["opens"]),
                    "closes": _clock(block.value["closes"]),
                    "note": block.value["note"] or "",
                }
                for block in page.opening_hours
            ],
            "agency": _agency_ref(ctx, page.agency),
            "photos": [
                {"image": ctx.image(photo.image, PHOTO_SPECS, alt=photo.caption), "caption": photo.caption}
                for photo in page.photos.all()
            ],
        }
    )
    return data


# The plan of the API's files ----------------------------------------------------------------------------------


# An item's last publication (its first, if never published again): with its newest correction, its last change.
_CHANGED = Coalesce("last_published_at", "first_published_at")


@dataclass(frozen=True)
class _Row:
    """One live item as planning reads it, without loading the page."""

    pk: int
    # What its summary and document depend on besides the site: its page version and what its last change is made
    # of, "version|last published|first published|newest correction" for news, "version|last or first published"
    # for a listing. Publications are the text the database stores them as (see SitePlan.live_news): equal text, equal
    # time. Fields hold no "|", so lists of these joined stay unambiguous; a string, so digesting them is cheap.
    fingerprint: str


def stable_pages(items: list, per_page: int) -> tuple[list, dict[int, list], int | None]:
    """Split a newest-first list into a head and pages numbered from the oldest.

    Page n holds the n-th oldest ``per_page`` items (newest first inside it), so a new item changes only the head.
    The head holds the newest full page and any items past it (``per_page`` to ``2 * per_page - 1`` once there
    are that many); returns (head, {number: items}, number of the page after the head or None).
    """
    full = len(items) // per_page
    oldest = items[::-1]
    pages = {n: oldest[(n - 1) * per_page : n * per_page][::-1] for n in range(1, full)}
    head = oldest[(full - 1) * per_page :][::-1] if full else items
    return head, pages, (full - 1 if full >= 2 else None)


class _FollowingLoader(PageLoader):
    """Loads, in bulk, only the pages of the outputs this build renders, with what the API's documents need.

    build_all tells SitePlan.want the page of every stale output (ours carry ``page_id`` too), and the plan hands
    that list to its own loaders; this loader wants the same list, with its own queries.
    """

    def __init__(self, leader: PageLoader, queryset, load):
        super().__init__(queryset, load=load)
        self.leader, self.followed = leader, None

    def get(self, pk: int):
        if self.followed is not self.leader.order:
            self.want(self.leader.order)
            self.followed = self.leader.order
        try:
            return super().get(pk)
        except KeyError:
            raise RuntimeError(
                f"Page {pk} stopped being live during the build; the next build leaves it out."
            ) from None


class ApiPlan:
    """The files of the API of one site, given the SitePlan (site, versions, sections) of the build."""

    def __init__(self, plan):
        self.plan, self.site, self.versions = plan, plan.site, plan.versions
        self.news_index, self.directory = plan.news_index, plan.directory
        self.ctx = ApiContext(plan.site)
        # What every page-built document depends on besides its pages (the sizes and specs are code, yet cheap
        # to include: a change of them then rebuilds what it changes even without an API_FORMAT bump).
        self.base = digest(
            self.ctx.version(),
            NEWS_PER_PAGE,
            LISTINGS_PER_PAGE,
            THUMBNAIL_SPECS,
            HERO_SPECS,
            BODY_IMAGE_SPECS,
            PHOTO_SPECS,
            IMAGE_FORMATS,
        )
        self.news_loader = _FollowingLoader(plan.news_loader, NewsPage.objects.live(), _news_bulk)
        self.listing_loader = _FollowingLoader(plan.listing_loader, DirectoryListingPage.objects.live(), _listings_bulk)
        # Memos of this build, filled as list documents are rendered (in any order, any subset): an item is in
        # several lists (all, its categories, district and village, clarifications) and summarised once.
        self.news_summaries: dict[int, dict] = {}
        self.listing_summaries: dict[int, dict] = {}
        with translation.override(settings.LANGUAGE_CODE):
            self._read()

    def _output(self, path: str, fingerprint: str, build: Callable[[], object], page_id: int | None = None):
        def render():
            with translation.override(settings.LANGUAGE_CODE):
                return json_bytes(build())

        return Output(f"{API_PREFIX}/{path}", fingerprint, render, page_id)

    def _data_output(self, path: str, data):
        """A document read whole while planning: its fingerprint is its data."""
        return self._output(path, digest(API_FORMAT, path, data), lambda: data)

    # Reading ----------------------------------------------------------------------------------------------

    def _read(self) -> None:
        pages = self.versions.pages
        self.news: list[_Row] = []
        self.district_news: dict[int, list[_Row]] = defaultdict(list)  # district id → its rows, newest first
        self.village_news: dict[int, list[_Row]] = defaultdict(list)
        self.category_news: dict[int, list[_Row]] = defaultdict(list)
        self.clarifications: list[_Row] = []
        self.corrected: dict[int, datetime.datetime] = {}  # news item id → its newest correction
        if self.news_index is not None:
            # Whole small tables (or the rows that matter of them) are read plainly and matched to the live items
            # here: a subquery of the live items costs more than the rows it saves.
            rows = self.plan.live_news
            ids = {row[0] for row in rows}
            corrected = VerificationEvent.objects.filter(to_state="corrected", page__isnull=False)
            self.corrected = {
                pk: at
                for pk, at in corrected.values("page_id").annotate(at=Max("at")).values_list("page_id", "at")
                if pk in ids
            }
            clarifications = set(
                Verdict.objects.filter(verdict__in=CLARIFICATION_VERDICTS, revision__isnull=False)
                .order_by()
                .values_list("revision_id", flat=True)
            )
            categories = defaultdict(list)
            for page_id, category_id in NewsPage.categories.through.objects.values_list(
                "newspage_id", "newscategory_id"
            ):
                categories[page_id].append(category_id)
            village_district = dict(Village.objects.values_list("pk", "district_id"))
            corrected = self.corrected
            for pk, _url_path, revision, district, village, last, first in rows:
                row = _Row(pk, f"{pages.get(pk, '')}|{last}|{first}|{corrected.get(pk)}")
                self.news.append(row)
                district = district or village_district.get(village)  # as cms.selectors.in_district counts it
                if district:
                    self.district_news[district].append(row)
                if village:
                    self.village_news[village].append(row)
                for category in categories.get(pk, ()):
                    self.category_news[category].append(row)
                if revision in clarifications:
                    self.clarifications.append(row)

        self.listings: list[tuple[_Row, str]] = []
        if self.directory is not None:
            rows = (
                DirectoryListingPage.objects.live()
                .child_of(self.directory)
                .annotate(changed=Cast(_CHANGED, TextField()))
                .order_by("title", "pk")
                .values_list("pk", "category", "changed")
            )
            for pk, category, changed in rows:
                self.listings.append((_Row(pk, f"{pages.get(pk, '')}|{changed}"), category))

        # Reference data of this regency (SiteProfile.regency_code; all when unset), as the public site shows it.
        self.districts = list(districts_of_site(regency_code=self.ctx.profile.regency_code))
        self.villages = list(Village.objects.filter(district__in=self.districts).order_by("name", "pk"))
        self.categories = list(NewsCategory.objects.order_by("name", "pk"))

    # Outputs ----------------------------------------------------------------------------------------------

    def outputs(self) -> Iterator:
        with translation.override(settings.LANGUAGE_CODE):
            regions, agencies, kim_groups = self._regions(), self._agencies(), self._kim_groups()
            index = self._index()
            changes = self._changes(
                {"index": index, "regions": regions, "agencies": agencies, "kim_groups": kim_groups}
            )
        yield self._data_output("index.json", index)
        yield self._data_output("openapi.json", openapi_document(server_url=self.ctx.root))
        yield self._data_output("regions.json", regions)
        yield self._data_output("agencies.json", agencies)
        yield self._data_output("kim-groups.json", kim_groups)
        yield self._data_output("changes.json", changes)
        yield from self._news_lists()
        yield from self._news_items()
        yield from self._listing_lists()
        yield from self._listing_items()

    # News -------------------------------------------------------------------------------------------------

    def _news_lists(self) -> Iterator:
        yield from self._news_list({"kind": "all"}, "news/index.json", "news/page/{}.json", self.news)
        yield from self._news_list(
            {"kind": "clarifications"}, "clarifications.json", "clarifications/page/{}.json", self.clarifications
        )
        for category in self.categories:
            base = f"news/category/{category.slug}"
            ref = {"id": category.pk, "slug": category.slug, "name": category.name}
            filter_ = {"kind": "category", "category": ref}
            yield from self._news_list(
                filter_, f"{base}/index.json", base + "/page/{}.json", self.category_news[category.pk]
            )
        for level, places, rows in (
            ("district", self.districts, self.district_news),
            ("village", self.villages, self.village_news),
        ):
            for place in places:
                base = f"news/region/{place.code}"
                filter_ = {"kind": "region", "region": {"level": level, "code": place.code, "name": place.name}}
                yield from self._news_list(filter_, f"{base}/index.json", base + "/page/{}.json", rows[place.pk])

    def _news_list(self, filter_: dict, head_path: str, page_path: str, rows: list[_Row]) -> Iterator:
        head, pages, head_next = stable_pages(rows, NEWS_PER_PAGE)
        first = self.ctx.api_url(head_path)

        def document(page_rows, number, next_number, total=None):
            data = {
                "filter": filter_,
                "per_page": NEWS_PER_PAGE,
                "page": number,
                "first": first,
                "next": self.ctx.api_url(page_path.format(next_number)) if next_number else None,
                "items": self._summaries(page_rows, self.news_summaries, _news_summaries_load, news_summary),
            }
            if total is not None:
                data["total"] = total
            return data

        listed = digest(self.base, "news-list", filter_, first)  # what every page of this list shows alike

        def fingerprint(page_rows, *extra):
            # Numbers, then rows of a fixed number of fields, none holding "|": joined, they stay unambiguous.
            return _hash("|".join([listed, *map(str, extra), *(row.fingerprint for row in page_rows)]))

        yield self._output(
            head_path,
            fingerprint(head, head_next, len(rows)),
            lambda: document(head, None, head_next, total=len(rows)),
        )
        for number, page_rows in pages.items():
            next_number = number - 1 if number > 1 else None
            yield self._output(
                page_path.format(number),
                fingerprint(page_rows, number, next_number),
                lambda r=page_rows, n=number, m=next_number: document(r, n, m),
            )

    def _news_items(self) -> Iterator:
        for row in sorted(self.news, key=lambda row: row.pk):
            yield self._output(
                f"news/{row.pk}.json",
                _hash(f"{self.base}|news-item|{row.fingerprint}"),
                lambda pk=row.pk: self._item_document("news", news_document, self.news_loader.get(pk)),
                page_id=row.pk,
            )

    # Directory --------------------------------------------------------------------------------------------

    def _listing_lists(self) -> Iterator:
        yield from self._listing_list({"kind": "all"}, "directory", [row for row, _category in self.listings])
        for category in DirectoryCategory:
            ref = {"slug": category.value, "label": str(category.label)}
            rows = [row for row, value in self.listings if value == category.value]
            base = f"directory/category/{category.value}"
            yield from self._listing_list({"kind": "category", "category": ref}, base, rows)

    def _listing_list(self, filter_: dict, base: str, rows: list[_Row]) -> Iterator:
        count = max(1, -(-len(rows) // LISTINGS_PER_PAGE))
        first = self.ctx.api_url(f"{base}/index.json")
        for number in range(1, count + 1):
            chunk = rows[(number - 1) * LISTINGS_PER_PAGE : number * LISTINGS_PER_PAGE]
            next_url = self.ctx.api_url(f"{base}/page/{number + 1}.json") if number < count else None
            total = len(rows) if number == 1 else None

            def document(chunk=chunk, number=number, next_url=next_url, total=total):
                data = {
                    "filter": filter_,
                    "per_page": LISTINGS_PER_PAGE,
                    "page": number,
                    "first": first,
                    "next": next_url,
                    "items": self._summaries(chunk, self.listing_summaries, listings_load, listing_summary),
                }
                if total is not None:
                    data["total"] = total
                return data

            path = f"{base}/index.json" if number == 1 else f"{base}/page/{number}.json"
            fingerprint = digest(
                self.base, "listing-list", filter_, number, next_url, total, [row.fingerprint for row in chunk]
            )
            yield self._output(path, fingerprint, document)

    def _listing_items(self) -> Iterator:
        for row in sorted((row for row, _category in self.listings), key=lambda row: row.pk):
            yield self._output(
                f"directory/{row.pk}.json",
                _hash(f"{self.base}|listing-item|{row.fingerprint}"),
                lambda pk=row.pk: self._item_document("listing", listing_document, self.listing_loader.get(pk)),
                page_id=row.pk,
            )

    def _summaries(self, rows: list[_Row], memo: dict[int, dict], load, summary) -> list[dict]:
        """The summaries of the rows' items, in order, made (loaded in bulk) only for those not made yet in this
        build; an item no longer live is left out."""
        missing = [row.pk for row in rows if row.pk not in memo]
        if missing:
            for page in load(missing):
                memo[page.pk] = summary(self.ctx, page)
        return [memo[row.pk] for row in rows if row.pk in memo]

    def _item_document(self, kind: str, document, page) -> dict:
        """An item's document with its version, made of the loaded page's last change (for a listing, with no
        corrections, its last publication or its first)."""
        return {**document(self.ctx, page), "version": self._item_version(kind, page.pk, _updated(page))}

    def _item_version(self, kind: str, pk: int, at: datetime.datetime | None) -> str:
        """An item's version, written into its document and into the changes feed: an app that holds an item at
        this version skips the entry, so the feed's overlap (see the OpenAPI description) costs nothing. It is
        made of the page's version and its last change (publication or correction), the ones its file's
        fingerprint digests."""
        return digest(self.base, f"{kind}-item", digest(self.versions.pages.get(pk, ""), at))

    # Small documents read whole ---------------------------------------------------------------------------

    def _index(self) -> dict:
        profile, ctx = self.ctx.profile, self.ctx
        news_counts = {category: len(rows) for category, rows in self.category_news.items()}
        listing_counts = defaultdict(int)
        for _row, category in self.listings:
            listing_counts[category] += 1
        social = {
            "facebook": profile.facebook_url,
            "instagram": profile.instagram_url,
            "youtube": profile.youtube_url,
            "x": profile.x_url,
            "tiktok": profile.tiktok_url,
        }
        whatsapp = profile.whatsapp
        return {
            "api_version": 1,
            "site": {
                "name": profile.name,
                "office_name": profile.office_name,
                "tagline": profile.tagline,
                "url": ctx.root + "/",
                "regency_code": profile.regency_code,
                "language": settings.LANGUAGE_CODE,
                "time_zone": profile.time_zone,
                "zone_abbreviation": profile.zone_abbreviation,
                "contacts": {
                    "address": profile.address,
                    "phone": _empty_to_none(profile.phone),
                    "whatsapp": _empty_to_none(whatsapp),
                    "whatsapp_url": f"https://wa.me/{whatsapp.lstrip('+')}" if whatsapp else None,
                    "email": _empty_to_none(profile.email),
                },
                "social": {name: ctx.absolute(url) if url else None for name, url in social.items()},
            },
            "emergency": None,  # the slot for an emergency banner, filled by a later issue
            "counts": {
                "news": len(self.news),
                "clarifications": len(self.clarifications),
                "listings": len(self.listings),
            },
            "links": {
                "news": ctx.api_url("news/index.json"),
                "clarifications": ctx.api_url("clarifications.json"),
                "directory": ctx.api_url("directory/index.json"),
                "regions": ctx.api_url("regions.json"),
                "agencies": ctx.api_url("agencies.json"),
                "kim_groups": ctx.api_url("kim-groups.json"),
                "changes": ctx.api_url("changes.json"),
                "openapi": ctx.api_url("openapi.json"),
                "search": ctx.absolute(reverse("api_search")),
                "submissions": ctx.absolute(reverse("api_submission_create")),
            },
            "news_categories": [
                {
                    "id": category.pk,
                    "slug": category.slug,
                    "name": category.name,
                    "count": news_counts.get(category.pk, 0),
                    "api_url": ctx.api_url(f"news/category/{category.slug}/index.json"),
                }
                for category in self.categories
            ],
            "directory_categories": [
                {
                    "slug": category.value,
                    "label": str(category.label),
                    "count": listing_counts[category.value],
                    "api_url": ctx.api_url(f"directory/category/{category.value}/index.json"),
                }
                for category in DirectoryCategory
            ],
        }

    def _regions(self) -> dict:
        villages = defaultdict(list)
        for village in self.villages:
            villages[village.district_id].append(
                {
                    "id": village.pk,
                    "code": village.code,
                    "name": village.name,
                    "kind": village.kind,
                    "kind_label": str(village.get_kind_display()),
                    "news_api_url": self.ctx.api_url(f"news/region/{village.code}/index.json"),
                }
            )
        return {
            "districts": [
                {
                    "id": district.pk,
                    "code": district.code,
                    "name": district.name,
                    "news_api_url": self.ctx.api_url(f"news/region/{district.code}/index.json"),
                    "villages": villages[district.pk],
                }
                for district in self.districts
            ]
        }

    def _social(self, accounts) -> list[dict]:
        return [{"platform": account.platform, "url": self.ctx.absolute(account.url)} for account in accounts]

    def _agencies(self) -> dict:
        agencies = Agency.objects.order_by("name", "pk").prefetch_related("social_accounts")
        return {
            "agencies": [
                {
                    "id": agency.pk,
                    "name": agency.name,
                    "abbreviation": agency.abbreviation,
                    "description": agency.description,
                    "website": self.ctx.absolute(agency.website) if agency.website else None,
                    "address": agency.address,
                    "phone": _empty_to_none(agency.phone),
                    "email": _empty_to_none(agency.email),
                    "social": self._social(agency.social_accounts.all()),
                }
                for agency in agencies
            ]
        }

    def _kim_groups(self) -> dict:
        # Contact people and members are private: the public list names the group and where it works.
        groups = kim_groups_public().filter(village__district__in=self.districts).prefetch_related("social_accounts")
        return {
            "kim_groups": [
                {
                    "id": group.pk,
                    "name": group.name,
                    "village": _place(group.village),
                    "district": _place(group.village.district),
                    "social": self._social(group.social_accounts.all()),
                }
                for group in groups
            ]
        }

    def _changes(self, references: dict) -> dict:
        """One entry per item that changed within the window: its latest change, upsert if live, else delete.

        The action always matches the files of this release (a live item has its document, a gone one has none),
        and the window is anchored on the newest change, not on the clock, so the file is the same whenever it
        is built from the same content.
        """
        entries: dict[tuple[str, int], tuple[datetime.datetime, str]] = {}
        kinds = {
            ContentType.objects.get_for_model(NewsPage).pk: "news",
            ContentType.objects.get_for_model(DirectoryListingPage).pk: "listing",
        }
        moved = dict(
            PageLogEntry.objects.filter(action="wagtail.move")
            .values("page_id")
            .annotate(at=Max("timestamp"))
            .values_list("page_id", "at")
        )
        # A live item's change is the newest of its last change and its last move. Planning holds the items but
        # not their times (see _Row): the newest of all is read with aggregates, and the times and versions of
        # the few items in the window, once the window is known.
        live = []  # (kind, queryset, ids of the items read by _read, newest correction per item)
        if self.news_index is not None:
            news = NewsPage.objects.live().descendant_of(self.news_index)
            live.append(("news", news, {row.pk for row in self.news}, self.corrected))
        if self.directory is not None:
            listings = DirectoryListingPage.objects.live().child_of(self.directory)
            live.append(("listing", listings, {row.pk for row, _category in self.listings}, {}))
        upserts = []  # the newest change of each kind, and of every correction and move of a live item
        for _kind, queryset, ids, corrected in live:
            upserts.append(queryset.aggregate(at=Max(_CHANGED))["at"])
            upserts += corrected.values()
            upserts += [at for pk, at in moved.items() if pk in ids]

        down = defaultdict(list)
        for page_id, at in (
            PageLogEntry.objects.filter(action__in=UNPUBLISH_ACTIONS).values("page_id").annotate(at=Max("timestamp"))
        ).values_list("page_id", "at"):
            down[page_id].append(at)
        for page_id, at in (
            VerificationEvent.objects.filter(to_state__in=DOWN_STATES, page__isnull=False)
            .values("page_id")
            .annotate(at=Max("at"))
            .values_list("page_id", "at")
        ):
            down[page_id].append(at)
        parents = [parent for parent in (self.news_index, self.directory) if parent is not None]
        for parent in parents:
            gone = (
                Page.objects.descendant_of(parent)
                .filter(live=False, content_type_id__in=list(kinds), first_published_at__isnull=False)
                .values_list("pk", "content_type_id", "last_published_at")
            )
            for pk, content_type, last in gone:
                at = max(down.get(pk, []), default=None) or last
                if at:
                    entries[(kinds[content_type], pk)] = (at, "delete")

        # Deleted pages keep their audit rows; only those that were ever published are news to the app.
        deleted = (
            PageLogEntry.objects.filter(action="wagtail.delete", content_type_id__in=list(kinds))
            .exclude(page_id__in=Page.objects.values("pk"))
            .filter(page_id__in=PageLogEntry.objects.filter(action__in=PUBLISH_ACTIONS).values("page_id"))
            .values("page_id", "content_type_id")
            .annotate(at=Max("timestamp"))
            .values_list("page_id", "content_type_id", "at")
        )
        for pk, content_type, at in deleted:
            entries[(kinds[content_type], pk)] = (at, "delete")

        latest = max([at for at in upserts if at] + [at for at, _action in entries.values()], default=None)
        start = latest - CHANGES_WINDOW if latest else None
        versions = {}
        for kind, queryset, ids, corrected in live if start else ():
            recent = [pk for pk, at in (*corrected.items(), *moved.items()) if pk in ids and at >= start]
            rows = (
                queryset.annotate(changed=_CHANGED)
                .filter(Q(changed__gte=start) | Q(pk__in=recent))
                .values_list("pk", "first_published_at", "last_published_at")
            )
            for pk, first, last in rows:
                if pk not in ids:  # published since _read: not in this release
                    continue
                at = max((t for t in (last or first, corrected.get(pk)) if t), default=None)
                times = [t for t in (at, moved.get(pk)) if t]
                if times:
                    entries[(kind, pk)] = (max(times), "upsert")
                    versions[(kind, pk)] = self._item_version(kind, pk, at)
        listed = sorted(
            ((at, kind, pk, action) for (kind, pk), (at, action) in entries.items() if at >= start),
            reverse=True,
        )
        folders = {"news": "news", "listing": "directory"}
        files = {"index": "index.json", "regions": "regions.json", "agencies": "agencies.json"}
        files["kim_groups"] = "kim-groups.json"
        return {
            "window_days": CHANGES_WINDOW_DAYS,
            "from": self.ctx.time(start),
            "latest": self.ctx.time(latest),
            "references": {
                name: {"url": self.ctx.api_url(files[name]), "version": digest(API_FORMAT, data)}
                for name, data in references.items()
            },
            "changes": [
                {
                    "id": pk,
                    "type": kind,
                    "action": action,
                    "at": self.ctx.time(at),
                    "api_url": self.ctx.api_url(f"{folders[kind]}/{pk}.json") if action == "upsert" else None,
                    "version": versions[(kind, pk)] if action == "upsert" else None,
                }
                for at, kind, pk, action in listed
            ],
        }


def api_outputs(plan) -> Iterator:
    """The API's files for SitePlan.outputs()."""
    return ApiPlan(plan).outputs()
