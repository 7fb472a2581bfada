"""Selectors (reads) that pages, the static build and the app API share, with the joins a list needs.

Lists render a thumbnail, a region and a date per item: without these joins each card costs queries.
"""

from django.core.paginator import InvalidPage, Paginator
from django.core.paginator import Page as PaginatorPage
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponsePermanentRedirect

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


def paginate(*, items: QuerySet, number: int, per_page: int, base_url: str) -> PaginatorPage:
    """One page of a list at a path of its own (``<list>/halaman/2/``), so every page can be a static file.

    A number past the end raises Http404, as the static site has no file there either. ``previous_url`` and
    ``next_url`` on the result are the addresses the pagination links go to (page 1 is the list itself).
    """
    paginator = Paginator(items, per_page, allow_empty_first_page=True)
    try:
        page = paginator.page(number)
    except InvalidPage as error:
        raise Http404(str(error)) from error
    page.base_url = base_url
    page.previous_url = list_page_url(base_url, number - 1) if page.has_previous() else ""
    page.next_url = list_page_url(base_url, number + 1) if page.has_next() else ""
    return page


def list_page_url(base_url: str, number: int) -> str:
    return base_url if number <= 1 else f"{base_url}{PAGE_PARAMETER}/{number}/"


def legacy_page_redirect(request, base_url: str):
    """Old ``?halaman=N`` links (before lists had paths) move permanently to the path of that page."""
    value = request.GET.get(PAGE_PARAMETER, "")
    if not value:
        return None
    number = int(value) if value.isdigit() else 1
    return HttpResponsePermanentRedirect(list_page_url(base_url, number))


def news_public_verification(*, page) -> dict:
    """What readers are told about a live news item's verification: its verdict and any correction notes.

    The static build reads these for thousands of pages at once and hands them over as
    ``page.public_verification`` (see sitegen.outputs); a single page looks them up here.
    """
    from cms.models.verification import VerificationEvent, revision_verdict

    if hasattr(page, "public_verification"):
        return page.public_verification
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
