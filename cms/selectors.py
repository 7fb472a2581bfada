"""Selectors (reads) that pages, the static build and the app API share, with the joins a list needs.

Lists render a thumbnail, a region and a date per item: without these joins each card costs queries.
"""

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet

from wagtail.images import get_image_model
from wagtail.models import Page

PAGE_PARAMETER = "halaman"


def news_published_under(*, parent: Page) -> QuerySet:
    from cms.models import NewsPage

    return (
        NewsPage.objects.live()
        .descendant_of(parent)
        .select_related("hero_image", "district", "village__district")
        .prefetch_related("hero_image__renditions")
        .order_by("-first_published_at", "-pk")
    )


def listings_published_under(*, parent: Page, category: str | None = None) -> QuerySet:
    from cms.models import DirectoryListingPage, ListingPhoto

    photos = ListingPhoto.objects.select_related("image").prefetch_related(
        Prefetch("image__renditions", queryset=get_image_model().get_rendition_model().objects.all())
    )
    listings = (
        DirectoryListingPage.objects.live()
        .child_of(parent)
        .select_related("district", "village__district")
        .prefetch_related(Prefetch("photos", queryset=photos))
        .order_by("title", "pk")
    )
    return listings.filter(category=category) if category else listings


def paginate(*, items: QuerySet, request, per_page: int) -> PaginatorPage:
    return Paginator(items, per_page).get_page(request.GET.get(PAGE_PARAMETER))
