"""Selectors (reads) that pages, the static build and the app API share, with the joins a list needs.

Lists render a thumbnail, a region and a date per item: without these joins each card costs queries.
"""

import re

from django.core.paginator import InvalidPage, Paginator
from django.core.paginator import Page as PaginatorPage
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
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
        .prefetch_related("hero_image__renditions", "categories")
        .order_by("-first_published_at", "-pk")
    )


def listings_published_under(*, parent: Page, category: str | None = None) -> QuerySet:
    from cms.models import DirectoryListingPage, ListingPhoto

    photos = ListingPhoto.objects.select_related("image").prefetch_related(
        Prefetch("image__renditions", queryset=get_image_model().get_rendition_model().objects.all())
    )
    listings = (
        DirectoryListingPage.objects.live()
        .descendant_of(parent)  # the directory index, or the home page for a region's or an agency's listings
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


# Sections of the public site: news and listings by category, tag, region, agency and KIM group ------------------


def news_clarifications_under(*, parent: Page) -> QuerySet:
    """Cek fakta: live news whose live revision carries a Salah (Hoaks) or Menyesatkan verdict, newest first.

    Each item has ``clarification_verdict`` (the verdict's value) for the label on its card.
    """
    from cms.models.verification import CLARIFICATION_VERDICTS, Verdict

    verdicts = Verdict.objects.filter(revision_id=OuterRef("live_revision_id"), verdict__in=CLARIFICATION_VERDICTS)
    return (
        news_published_under(parent=parent)
        .annotate(clarification_verdict=Subquery(verdicts.values("verdict")[:1]))
        .filter(clarification_verdict__isnull=False)
    )


def in_district(district) -> Q:
    """Items of a district, whether the editor chose the district or only one of its villages."""
    return Q(district=district) | Q(village__district=district)


def news_of_agency(agency) -> Q:
    """News an agency sent (source) or that concerns it (related agency)."""
    return Q(source_agency=agency) | Q(related_agency=agency)


def districts_of_site(*, regency_code: str = "") -> QuerySet:
    """Districts of the site's regency (SiteProfile.regency_code, as the feeds use it); all when it is unset."""
    from cms.models import District

    code = (regency_code or "").strip().rstrip(".")
    districts = District.objects.order_by("name", "pk")
    return districts.filter(code__startswith=f"{code}.") if code else districts


def kim_groups_public() -> QuerySet:
    """KIM groups the public sees: inactive ones stay on record but are hidden (KimGroup.is_active)."""
    from cms.models import KimGroup

    return KimGroup.objects.filter(is_active=True).select_related("village__district").order_by("name", "pk")


# Search: the site's /cari/ page and the app's /api/v1/search/ ask the same question ------------------------------

SEARCH_MAX_LENGTH = 100
SEARCH_WORD = re.compile(r"\w+")


def search_terms(query: str) -> str:
    """The words of a query: the search backends quote each term, and a stray quote mark breaks SQLite's syntax."""
    return " ".join(SEARCH_WORD.findall(query or ""))


def search_published(*, root: Page, query: str, models=None):
    """Live news and directory listings under ``root`` matching the words of ``query``, best match first.

    Returns Wagtail search results of (non-specific) pages; load the ones shown with the list selectors above.
    A page is live only on a verified revision (the publish gate), so search cannot reach a draft's words.
    """
    from cms.models import DirectoryListingPage, NewsPage

    live = Page.objects.live().descendant_of(root).type(*(models or (NewsPage, DirectoryListingPage)))
    terms = search_terms(query)
    return live.search(terms) if terms else live.none()
