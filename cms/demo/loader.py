"""Load the whole demo in one transaction: regions, agencies, KIM, site profile, images, news, directory."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from cms.demo.agencies import load_agencies
from cms.demo.directory import load_listings
from cms.demo.images import load_logo, load_theme_images
from cms.demo.kim import load_kim_groups
from cms.demo.news import World, load_categories, load_news
from cms.demo.pages import deferred_indexing, quiet_wagtail_logger, reindex_pages
from cms.demo.regions import demo_village_codes, load_regions
from cms.demo.site_profile import load_site_profile
from cms.models import DirectoryListingPage, KimGroup, NewsPage, Village

DEFAULT_NEWS = 300
DEFAULT_LISTINGS = 120


@dataclass(frozen=True)
class DemoSummary:
    news_created: int
    listings_created: int


def build_world(agencies: dict, kim_groups: dict, categories: dict, images: dict) -> World:
    """Only the demo's own regions and groups, so places an editor added never change the generated news."""
    villages = Village.objects.filter(code__in=demo_village_codes()).select_related("district").order_by("code")
    groups = KimGroup.objects.filter(pk__in=[g.pk for g in kim_groups.values()])
    return World(
        villages=list(villages),
        agencies=agencies,
        kim_groups=list(groups.select_related("village__district").prefetch_related("members").order_by("name")),
        categories=categories,
        images=images,
    )


def load_demo_content(
    *, news: int = DEFAULT_NEWS, listings: int = DEFAULT_LISTINGS, report: Callable[[str], None] = lambda _: None
) -> DemoSummary:
    """Create what is missing and refresh the reference data; safe to run again (nothing is duplicated)."""
    with transaction.atomic(), quiet_wagtail_logger():
        districts = load_regions()
        report(f"Wilayah: {len(districts)} kecamatan, {Village.objects.count()} desa/kelurahan")
        agencies = load_agencies()
        report(f"Instansi: {len(agencies)}")
        kim_groups = load_kim_groups()
        report(f"KIM: {len(kim_groups)}")
        images = load_theme_images()
        load_site_profile(logo=load_logo())
        report(f"Gambar: {sum(len(v) for v in images.values()) + 1}; profil situs diisi")
        world = build_world(agencies, kim_groups, load_categories(), images)
        with deferred_indexing(NewsPage, DirectoryListingPage):
            created_news = load_news(count=news, world=world, report=report)
            created_listings = load_listings(count=listings, agencies=agencies, images=images, report=report)
        reindex_pages(created_news + created_listings)
        report("Indeks pencarian diperbarui")
    return DemoSummary(news_created=len(created_news), listings_created=len(created_listings))
