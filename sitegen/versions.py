"""Versions of everything a public output is made from, read in bulk without rendering anything.

An output's fingerprint is a digest of the versions of its inputs. A build compares each fingerprint with the
one recorded in the live release: equal means the bytes would be equal, so the file is reused; different means
it is rendered again. That is the whole dependency map — a page depends on its live revision, the snippets and
images it shows, its correction notes and the site's chrome — and it is why an incremental build equals a full
one byte for byte (tests/sitegen/test_incremental.py checks exactly that).

Everything here is a handful of `values_list` queries over whole tables, so a publish at 10,000 items costs
milliseconds to plan.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max

from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex, Site

# Bump when a change of Siar's code changes the output for the same content (deploys also run a full build).
RENDERER_VERSION = "1"


_ENCODER = json.JSONEncoder(default=str, sort_keys=True, separators=(",", ":"))  # one for all: a plan makes 30,000


def digest(*parts) -> str:
    return hashlib.blake2b(_ENCODER.encode(parts).encode(), digest_size=12).hexdigest()


def _files_digest(roots) -> str:
    hasher = hashlib.blake2b(digest_size=12)
    for root in roots:
        root = Path(root)
        if not root.exists():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            hasher.update(str(path.relative_to(root)).encode())
            hasher.update(path.read_bytes())
    return hasher.hexdigest()


def theme_version() -> str:
    """The templates, static files and translations of the theme: editing any of them rebuilds every page."""
    template_dirs = [d for t in settings.TEMPLATES for d in t.get("DIRS", [])]
    mo_files = [Path(p) for p in settings.LOCALE_PATHS]
    return digest(
        RENDERER_VERSION,
        _files_digest(template_dirs),
        _files_digest(settings.STATICFILES_DIRS),
        _files_digest(mo_files),
        settings.LANGUAGE_CODE,
        settings.LANGUAGES,
    )


def _row_versions(model, fields) -> dict[int, str]:
    return {row[0]: digest(row) for row in model.objects.values_list("pk", *fields)}


@dataclass
class Versions:
    """One consistent reading of the published content's versions."""

    chrome: str = ""
    pages: dict[int, str] = field(default_factory=dict)  # live page id → version of what it shows
    revisions: dict[int, int] = field(default_factory=dict)  # live page id → live revision id (what was built)
    snippets: dict[str, dict[int, str]] = field(default_factory=dict)
    images: dict[int, str] = field(default_factory=dict)

    def of_pages(self, ids) -> list[str]:
        return [self.pages.get(pk, "") for pk in ids]


def _image_versions() -> dict[int, str]:
    fields = (
        "file",
        "file_hash",
        "width",
        "height",
        "focal_point_x",
        "focal_point_y",
        "focal_point_width",
        "focal_point_height",
        "title",
        "description",  # the default alt text (Image.default_alt_text) prefers it to the title
    )
    return _row_versions(get_image_model(), fields)


def _snippet_versions() -> dict[str, dict[int, str]]:
    from cms.models import Agency, District, KimGroup, NewsCategory, Village

    # Slugs make the links to section pages (/wilayah/…, /opd/…, /kim/…); an inactive KIM group has no page to link.
    return {
        "agency": _row_versions(Agency, ("name", "abbreviation", "website", "slug")),
        "kim": _row_versions(KimGroup, ("name", "slug", "is_active")),
        "district": _row_versions(District, ("name", "code", "slug")),
        "village": _row_versions(Village, ("name", "code", "district_id", "slug")),
        "category": _row_versions(NewsCategory, ("name", "slug")),
    }


def _chrome_version() -> str:
    """What every HTML page carries besides its own content: site profile, navigation, sites and addresses."""
    from cms.models import DirectoryIndexPage, HomePage, NewsIndexPage, SiteProfile

    sections = [
        model.objects.live().values_list("pk", "url_path", "title", "live_revision_id").order_by("pk")
        for model in (HomePage, NewsIndexPage, DirectoryIndexPage)
    ]
    sites = Site.objects.order_by("pk")
    for site in sites:
        SiteProfile.for_site(site)  # made on first use; made here, so rendering cannot change what was read
    profiles = SiteProfile.objects.order_by("pk").values()
    sites = sites.values_list("hostname", "port", "root_page_id", "is_default_site")
    return digest(
        theme_version(),
        [list(s) for s in sections],
        list(profiles),
        list(sites),
        settings.STATIC_URL,
        settings.MEDIA_URL,
    )


def _page_image_refs(model) -> dict[int, list[int]]:
    """Images each page shows in its body (StreamField), from Wagtail's reference index of the live rows."""
    page_type = ContentType.objects.get_for_model(model)
    image_type = ContentType.objects.get_for_model(get_image_model())
    refs = defaultdict(list)
    rows = ReferenceIndex.objects.filter(content_type=page_type, to_content_type=image_type).values_list(
        "object_id", "to_object_id"
    )
    for object_id, image_id in rows:
        refs[int(object_id)].append(int(image_id))
    return refs


def versions_read() -> Versions:
    from cms.models import DirectoryListingPage, ListingPhoto, NewsPage
    from cms.models.verification import VerificationEvent

    versions = Versions(chrome=_chrome_version(), snippets=_snippet_versions(), images=_image_versions())
    snippets, images = versions.snippets, versions.images

    categories = defaultdict(list)
    for page_id, category_id in NewsPage.categories.through.objects.values_list("newspage_id", "newscategory_id"):
        categories[page_id].append(category_id)
    tags = defaultdict(list)
    for page_id, name, slug in NewsPage.tags.through.objects.values_list("content_object_id", "tag__name", "tag__slug"):
        tags[page_id].append((name, slug))  # the slug makes the link to the tag's page
    corrections = {
        row["page_id"]: (row["n"], row["last"])
        for row in VerificationEvent.objects.filter(to_state="corrected", page__isnull=False)
        .values("page_id")
        .annotate(n=Count("pk"), last=Max("pk"))
    }
    body_images = _page_image_refs(NewsPage)

    news_fields = (
        "live_revision_id",
        "url_path",
        "first_published_at",
        "hero_image_id",
        "district_id",
        "village_id",
        "source_agency_id",
        "source_kim_group_id",
        "related_agency_id",
    )
    for row in NewsPage.objects.live().values_list("pk", *news_fields):
        pk, revision, _path, _first, hero, district, village, source_agency, source_kim, related = row
        versions.revisions[pk] = revision
        image_ids = [hero, *body_images.get(pk, [])]
        versions.pages[pk] = digest(
            row,
            [images.get(i) for i in image_ids if i],
            snippets["district"].get(district),
            snippets["village"].get(village),
            [snippets["agency"].get(a) for a in (source_agency, related)],
            snippets["kim"].get(source_kim),
            sorted(snippets["category"].get(c, "") for c in categories.get(pk, [])),
            sorted(tags.get(pk, [])),
            corrections.get(pk),
        )

    photos = defaultdict(list)
    for page_id, image_id in ListingPhoto.objects.order_by("sort_order", "pk").values_list("page_id", "image_id"):
        photos[page_id].append(image_id)
    listing_fields = ("live_revision_id", "url_path", "district_id", "village_id", "agency_id")
    for row in DirectoryListingPage.objects.live().values_list("pk", *listing_fields):
        pk, revision, _path, district, village, agency = row
        versions.revisions[pk] = revision
        versions.pages[pk] = digest(
            row,
            [images.get(i) for i in photos.get(pk, [])],
            snippets["district"].get(district),
            snippets["village"].get(village),
            snippets["agency"].get(agency),
        )
    return versions
