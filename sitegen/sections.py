"""Static outputs of the public sections: news categories and tags, cek fakta, regions (districts and villages),
agencies (OPD) and KIM groups, every page of every list (the head at the section's address, ``…/halaman/k/``).

Each file is rendered through the route a visitor's request takes (the page's ``resolve_subpage`` and ``serve``,
cms.models.sections and NewsIndexPage), so the file is the page the dynamic site answers. What each holds is
planned from a handful of bulk reads in the views' own order (news newest first, listings by title); a
fingerprint digests the versions of everything the page shows: the section's own rows, the items listed
(``versions.pages``) and where its links go (cms.selectors.StableSlice.placement), never the list's length, so a
publication re-renders a list's head and last page only. ``versions.chrome`` is added as for every page.

The search page (/cari/) is dynamic and has no file here. ``section_urls`` lists the same pages for sitemap.xml.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime

from django.db.models import OuterRef, Subquery
from django.urls import NoReverseMatch

from wagtail.models import Page

from cms.models import (
    Agency,
    AgencySocialAccount,
    DirectoryListingPage,
    HomePage,
    KimSocialAccount,
    NewsCategory,
    NewsPage,
    SiteProfile,
    Village,
)
from cms.models.sections import SECTION_NEWS_PER_PAGE
from cms.models.verification import CLARIFICATION_VERDICTS, Verdict
from cms.selectors import districts_of_site, kim_groups_public, stable_page_url, stable_slices
from sitegen.outputs import Output, SitePlan, html_path, site_path
from sitegen.versions import digest


def section_outputs(plan: SitePlan) -> Iterator[Output]:
    yield from _planned(plan).listed


def section_urls(plan: SitePlan) -> list[tuple[str, datetime | None]]:
    """(address, last modified) of every section page the build writes, for sitemap.xml: planned, not rendered.

    A list page's last modification is the newest last publication among the items it shows (and, on a head, the
    listings it shows); an index of sections has none."""
    return _planned(plan).urls


def _planned(plan: SitePlan) -> "SectionPlan":
    """The sections of one site plan, read and listed once: the outputs and the sitemap share them."""
    if plan.sections is None:
        plan.sections = SectionPlan(plan)
        plan.sections.listed = list(plan.sections.outputs())
    return plan.sections


class SectionPlan:
    def __init__(self, plan: SitePlan):
        self.plan, self.site, self.versions = plan, plan.site, plan.versions
        self.urls: list[tuple[str, datetime | None]] = []
        self.home, self.index = plan.home, plan.news_index
        clarification = Verdict.objects.filter(
            revision_id=OuterRef("live_revision_id"), verdict__in=CLARIFICATION_VERDICTS
        ).values("verdict")[:1]
        # (pk, path, district, village, source agency, related agency, KIM group, clarification verdict), newest first.
        self.news = list(
            NewsPage.objects.live()
            .descendant_of(self.home)
            .annotate(verdict=Subquery(clarification))
            .order_by("-first_published_at", "-pk")
            .values_list(
                "pk",
                "path",
                "district_id",
                "village_id",
                "source_agency_id",
                "related_agency_id",
                "source_kim_group_id",
                "verdict",
            )
        )
        self.listings = list(
            DirectoryListingPage.objects.live()
            .descendant_of(self.home)
            .order_by("title", "pk")
            .values_list("pk", "district_id", "village_id", "agency_id")
        )
        self.published = dict(
            Page.objects.live().descendant_of(self.home).values_list("pk", "last_published_at")
        )  # for sitemap.xml only
        self.village_district = dict(Village.objects.values_list("pk", "district_id"))

    def outputs(self) -> Iterator[Output]:
        if isinstance(self.home, HomePage):
            yield from self._fact_checks()
            yield from self._regions()
            yield from self._agencies()
            yield from self._kim_groups()
        if self.index is not None:
            yield from self._categories()
            yield from self._tags()

    # Rendering ---------------------------------------------------------------------------------------------------

    def _path(self, page, name: str, *args) -> str | None:
        try:
            return site_path(self.site, page) + page.reverse_subpage(name, args=list(args))
        except NoReverseMatch:  # a slug the route cannot carry (typed outside the admin's validation): no page
            return None

    def _output(self, page: Page, path: str, fingerprint: str, shown=()) -> Output:
        """The page at ``path``; ``shown`` are the ids of the items it lists (their publications date it)."""
        dates = [self.published[pk] for pk in shown if self.published.get(pk) is not None]
        self.urls.append((path, max(dates, default=None)))
        renderer = self.plan.renderer

        def render():
            with renderer.active():
                request = renderer.request(path)
                match = page.resolve_subpage("/" + path[len(site_path(self.site, page)) :])
                request.routable_resolver_match = match
                response = page.serve(request, match.func, match.args, match.kwargs)
                response.render()
                return response.content

        return Output(html_path(path), digest(self.versions.chrome, fingerprint), render, shows_cards=True)

    def _news_list(
        self, page: Page, base: str | None, ids: list[int], *parts, listings=(), labels=None
    ) -> Iterator[Output]:
        """Every page of one section's news list (``ids`` newest first): the head, then pages 1…M numbered from the
        oldest. ``parts[0]`` is the section itself (every page names it), the other parts and ``listings``
        (directory listing ids) are what its head shows besides the news. ``labels`` maps an item to what its card
        shows beyond its page version (a clarification's verdict)."""
        if base is None:
            return
        listed = [list(listings), self.versions.of_pages(listings)]
        for part in stable_slices(len(ids), SECTION_NEWS_PER_PAGE):
            chunk = ids[part.newest_first]
            shown = [chunk, self.versions.of_pages(chunk), [labels[pk] for pk in chunk] if labels else None]
            head = (parts, listed) if part.is_head else ()
            fingerprint = digest(base, shown, part.placement, parts[:1], head)
            dated = [*chunk, *listings] if part.is_head else chunk
            yield self._output(page, stable_page_url(base, part.number), fingerprint, dated)

    # Sections of the home page -----------------------------------------------------------------------------------

    def _fact_checks(self) -> Iterator[Output]:
        verdicts = {row[0]: row[7] for row in self.news if row[7]}
        ids = [row[0] for row in self.news if row[7]]
        # Each page shows its items' verdicts (a verdict belongs to a revision): labels of its cards.
        yield from self._news_list(self.home, self._path(self.home, "fact_checks"), ids, "cek-fakta", labels=verdicts)

    def _regions(self) -> Iterator[Output]:
        profile = SiteProfile.for_site(self.site)
        districts = list(districts_of_site(regency_code=profile.regency_code).values_list("pk", "name", "slug", "code"))
        villages = defaultdict(list)
        for row in (
            Village.objects.filter(district__in=[d[0] for d in districts])
            .order_by("name", "pk")
            .values_list("pk", "name", "slug", "code", "kind", "district_id")
        ):
            villages[row[5]].append(row)
        index = self._path(self.home, "regions")
        yield self._output(self.home, index, digest("regions", districts, villages))

        news_by_district, news_by_village = defaultdict(list), defaultdict(list)
        for pk, _path, district, village, *_rest in self.news:
            if district or village:
                for key in {district, self.village_district.get(village)} - {None}:
                    news_by_district[key].append(pk)
            if village:
                news_by_village[village].append(pk)
        listings_by_district, listings_by_village = defaultdict(list), defaultdict(list)
        for pk, district, village, _agency in self.listings:
            for key in {district, self.village_district.get(village)} - {None}:
                listings_by_district[key].append(pk)
            if village:
                listings_by_village[village].append(pk)
        kim_by_village = defaultdict(list)
        for row in kim_groups_public().values_list("pk", "name", "slug", "village_id"):
            kim_by_village[row[3]].append(row)

        for district in districts:
            pk, _name, slug, _code = district
            own = villages.get(pk, [])
            base = self._path(self.home, "district", slug)
            listed = listings_by_district.get(pk, [])
            yield from self._news_list(self.home, base, news_by_district.get(pk, []), district, own, listings=listed)
            for village in own:
                base = self._path(self.home, "village", slug, village[2])
                listed = listings_by_village.get(village[0], [])
                kim = kim_by_village.get(village[0], [])
                yield from self._news_list(
                    self.home, base, news_by_village.get(village[0], []), (village, district), kim, listings=listed
                )

    def _agencies(self) -> Iterator[Output]:
        fields = ("pk", "name", "abbreviation", "slug", "description", "address", "phone", "email", "website")
        agencies = list(Agency.objects.order_by("name", "pk").values_list(*fields))
        yield self._output(self.home, self._path(self.home, "agencies"), digest("agencies", agencies))
        accounts = _social_accounts(AgencySocialAccount, "agency_id")
        news = defaultdict(list)
        for pk, _path, _district, _village, source, related, *_rest in self.news:
            for agency in {source, related} - {None}:
                news[agency].append(pk)
        listings = defaultdict(list)
        for pk, _district, _village, agency in self.listings:
            if agency:
                listings[agency].append(pk)
        for agency in agencies:
            pk, slug = agency[0], agency[3]
            listed = listings.get(pk, [])
            base = self._path(self.home, "agency", slug)
            yield from self._news_list(self.home, base, news.get(pk, []), agency, accounts.get(pk, []), listings=listed)

    def _kim_groups(self) -> Iterator[Output]:
        fields = (
            "pk",
            "name",
            "slug",
            "decree_number",
            "decree_date",
            "village__name",
            "village__slug",
            "village__code",
            "village__district__name",
            "village__district__slug",
            "village__district__code",
        )
        groups = list(kim_groups_public().values_list(*fields))
        yield self._output(self.home, self._path(self.home, "kim_groups"), digest("kim", groups))
        accounts = _social_accounts(KimSocialAccount, "group_id")
        news = defaultdict(list)
        for pk, *_rest, kim, _verdict in self.news:
            if kim:
                news[kim].append(pk)
        for group in groups:
            base = self._path(self.home, "kim_group", group[2])
            yield from self._news_list(self.home, base, news.get(group[0], []), group, accounts.get(group[0], []))

    # Sections of the news index ----------------------------------------------------------------------------------

    def _index_news_by(self, through, key: tuple[str, str]) -> dict[int, list[int]]:
        """News of the index grouped by category or tag, newest first (one pass, however many groups)."""
        groups_of = defaultdict(list)
        for page_id, group_id in through.objects.values_list(*key):
            groups_of[page_id].append(group_id)
        grouped = defaultdict(list)
        for row in self.news:
            if row[1].startswith(self.index.path):
                for group_id in groups_of.get(row[0], ()):
                    grouped[group_id].append(row[0])
        return grouped

    def _categories(self) -> Iterator[Output]:
        index = self.index
        categories = list(NewsCategory.objects.order_by("name", "pk").values_list("pk", "name", "slug", "description"))
        yield self._output(index, self._path(index, "categories"), digest("categories", categories))
        news = self._index_news_by(NewsPage.categories.through, ("newspage_id", "newscategory_id"))
        for category in categories:
            base = self._path(index, "category", category[2])
            yield from self._news_list(index, base, news.get(category[0], []), category)

    def _tags(self) -> Iterator[Output]:
        from taggit.models import Tag

        index = self.index
        news = self._index_news_by(NewsPage.tags.through, ("content_object_id", "tag_id"))
        # Only tags of live news: a tag only drafts carry has no page (the route answers 404).
        for tag in Tag.objects.filter(pk__in=list(news)).order_by("pk").values_list("pk", "name", "slug"):
            if tag[2]:
                yield from self._news_list(index, self._path(index, "tag", tag[2]), news[tag[0]], tag)


def _social_accounts(model, owner: str) -> dict[int, list]:
    accounts = defaultdict(list)
    for row in model.objects.order_by("sort_order", "pk").values_list(owner, "platform", "url"):
        accounts[row[0]].append(row[1:])
    return accounts
