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


def news_public_verification(*, page) -> dict:
    """What readers are told about a live news item's verification: its verdict and any correction notes."""
    from cms.models.verification import VerificationEvent, revision_verdict

    if page.pk is None:  # a preview of a page never saved
        return {"verdict": None, "corrections": []}
    verdict = revision_verdict(page.live_revision) if page.live_revision_id else None
    corrections = VerificationEvent.objects.filter(page=page, to_state="corrected").order_by("at", "pk")
    return {"verdict": verdict, "corrections": list(corrections)}


def news_withdrawal_at(*, url_path: str):
    """The withdrawal of the news item that lived at this Wagtail url_path, if that is why it is gone.

    Returns (page, event) when the page is not live and its last going-down was a withdrawal (an expired item
    is simply gone; a withdrawn one keeps telling readers why).
    """
    from cms.models import NewsPage
    from cms.models.verification import VerificationEvent

    page = NewsPage.objects.filter(url_path=url_path, live=False).first()
    if page is None:
        return None
    event = (
        VerificationEvent.objects.filter(page=page, to_state__in=("withdrawn", "expired"))
        .order_by("-at", "-pk")
        .first()
    )
    if event is None or event.to_state != "withdrawn" or not event.note:
        return None
    return page, event
