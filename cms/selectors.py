"""Selectors (reads) that pages, the static build and the app API share, with the joins a list needs.

Lists render a thumbnail, a region and a date per item: without these joins each card costs queries.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.paginator import InvalidPage, Paginator
from django.core.paginator import Page as PaginatorPage
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404, HttpResponsePermanentRedirect

from wagtail.images import get_image_model
from wagtail.models import Page

PAGE_PARAMETER = "halaman"
# The picture of a card (themes/default/templates/includes/news_card.html and listing_card.html use this spec).
CARD_PICTURE_SPEC = "format-{webp,jpeg}|fill-{200x133,400x267,800x533}"


def card_renditions() -> QuerySet:
    """Only the renditions a card shows: an image has many more (the article's, the feeds', the app's sizes), and
    loading them all for every list page was most of what a list page cost."""
    from wagtail.images.models import Filter

    specs = Filter.expand_spec(CARD_PICTURE_SPEC)
    return get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)


def news_published_under(*, parent: Page) -> QuerySet:
    from cms.models import NewsPage

    return (
        NewsPage.objects.live()
        .descendant_of(parent)
        .select_related("hero_image", "district", "village__district")
        .prefetch_related(Prefetch("hero_image__renditions", queryset=card_renditions()), "categories")
        .order_by("-first_published_at", "-pk")
    )


def listings_published_under(*, parent: Page, category: str | None = None) -> QuerySet:
    from cms.models import DirectoryListingPage, ListingPhoto

    photos = ListingPhoto.objects.select_related("image").prefetch_related(
        Prefetch("image__renditions", queryset=card_renditions())
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
    """A page of a list numbered from its start (the directory's): page 1 is the list's own address."""
    return base_url if number <= 1 else f"{base_url}{PAGE_PARAMETER}/{number}/"


# News lists: stable pages, numbered from the oldest --------------------------------------------------------------


@dataclass(frozen=True)
class StableSlice:
    """Which items of a news list one of its pages shows, and where its links go.

    Items are counted from the oldest (position 0, in (first_published_at, pk) order) and cut into fixed pages of
    P: numbered page k (``<list>/halaman/k/``, k = 1…M, M = ceil(n/P)) holds positions (k-1)·P … k·P-1, shown
    newest first. The head (the list's own address, ``number`` None) shows page M, and page M-1 too while page M
    is not full: P to 2P-1 items once there are P, all of them before. So a publication changes only the head and
    page M (or adds page M+1, and page M's "newer" link then moves from the head to it): the static build
    re-renders two or three pages of a list, not all of them. Withdrawing an item shifts every later position
    by one, so the pages after it change too; withdrawals are rare and that is accepted.
    No page says how many pages there are: that would change every page whenever M changes.
    """

    count: int  # items in the whole list
    number: int | None  # None: the head
    start: int  # positions, counted from the oldest: [start, stop)
    stop: int
    older: int | None  # the page the "older" link goes to (None: no link)
    last: bool  # the last numbered page (M), whose "newer" link goes to the head

    @property
    def is_head(self) -> bool:
        return self.number is None

    @property
    def newest_first(self) -> slice:
        """The page's items as a slice of the newest-first list (a list, or a queryset: only the page is read)."""
        return slice(self.count - self.stop, self.count - self.start)

    @property
    def placement(self) -> tuple:
        """What the page's title and links depend on besides its items (for static build fingerprints).

        A numbered page's "newer" link depends on whether it is the last one, never on the total."""
        return ("head", self.older) if self.is_head else (self.number, self.last)

    def newer_url(self, base_url: str) -> str:
        if self.is_head:
            return ""
        return stable_page_url(base_url, None if self.last else self.number + 1)

    def older_url(self, base_url: str) -> str:
        return stable_page_url(base_url, self.older) if self.older else ""


def stable_page_count(count: int, per_page: int) -> int:
    return -(-count // per_page)


def stable_head(count: int, per_page: int) -> StableSlice:
    pages = stable_page_count(count, per_page)
    lowest = max(1, pages - 1 if count % per_page else pages)  # the oldest page the head shows
    return StableSlice(count, None, (lowest - 1) * per_page, count, (lowest - 1) or None, False)


def stable_page(count: int, per_page: int, number: int) -> StableSlice | None:
    """Numbered page ``number``, or None past the end (there is no page 0, and none at all in an empty list)."""
    pages = stable_page_count(count, per_page)
    if not 1 <= number <= pages:
        return None
    start = (number - 1) * per_page
    return StableSlice(count, number, start, min(start + per_page, count), (number - 1) or None, number == pages)


def stable_slices(count: int, per_page: int) -> Iterator[StableSlice]:
    """Every page of a list of ``count`` items: the head, then pages 1…M."""
    yield stable_head(count, per_page)
    for number in range(1, stable_page_count(count, per_page) + 1):
        yield stable_page(count, per_page, number)


def stable_page_url(base_url: str, number: int | None) -> str:
    """The head (None) is the list's own address; numbered pages, page 1 included, are ``<list>/halaman/k/``."""
    return base_url if number is None else f"{base_url}{PAGE_PARAMETER}/{number}/"


class NewsListPage:
    """One page of a news list, as templates use it: its items (newest first), ``number`` (None on the head),
    ``is_head``, ``newer_url`` and ``older_url`` ("" for no link). ``stable`` tells includes/pagination.html."""

    stable = True

    def __init__(self, part: StableSlice, object_list: list, base_url: str):
        self.part, self.object_list, self.base_url = part, object_list, base_url
        self.number, self.is_head = part.number, part.is_head
        self.newer_url, self.older_url = part.newer_url(base_url), part.older_url(base_url)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def news_list_page(*, items: QuerySet, number: int | None, per_page: int, base_url: str) -> NewsListPage:
    """The head (``number`` None) or numbered page of a news list; ``items`` newest first, as
    news_published_under orders them. Two queries: the count, then the page's items. Past the end: Http404."""
    count = items.count()
    part = stable_head(count, per_page) if number is None else stable_page(count, per_page, number)
    if part is None:
        raise Http404(f"no page {number} in this list")
    return NewsListPage(part, list(items[part.newest_first]), base_url)


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
