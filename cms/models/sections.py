"""Sections of the public site that are not pages of their own but routes of the home page: cek fakta, regions
(districts and villages), agencies (OPD) and KIM groups.

Each is a list of published news, paged by path like the news index: the section's own address shows the newest
items, ``…/halaman/k/`` the k-th oldest page (cms.selectors.StableSlice), so every page of it can be a static file
that a publication leaves alone; sitegen.sections renders them through these same routes. An unknown slug is a
404. Region, agency and KIM addresses use slugs made once from the name (cms.models.slugs): readable, and stable
when a name is corrected. Directory listings of a region or an agency are shown whole on the head (the section's
own address) only.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from wagtail.contrib.routable_page.models import RoutablePageMixin, re_path
from wagtail.models import Page

from cms.selectors import (
    districts_of_site,
    in_district,
    kim_groups_public,
    listings_published_under,
    news_clarifications_under,
    news_list_page,
    news_of_agency,
    news_published_under,
)

PAGE_NUMBER = r"(?P<number>[1-9]\d*)"  # numbered from the oldest; the section's own address is the head
SLUG = r"[-a-zA-Z0-9_]+"
SECTION_NEWS_PER_PAGE = 12  # as NEWS_PER_PAGE: the same cards, the same page weight


class SectionRenderMixin:
    """Renders a route with its own context: the page's own lists (the home's highlights, say) are not read."""

    def render_section(self, request, template: str, context: dict):
        base = Page.get_context(self, request)
        base.update(context)
        return TemplateResponse(request, template, base)

    def section_url(self, request, name: str, *args) -> str:
        return self.get_url(request) + self.reverse_subpage(name, args=list(args))

    def section_news(self, request, items, number, name: str, *args):
        """The head (``number`` None) or a numbered page of a section's news (cms.selectors.news_list_page)."""
        return news_list_page(
            items=items,
            number=None if number is None else int(number),
            per_page=SECTION_NEWS_PER_PAGE,
            base_url=self.section_url(request, name, *args),
        )


class HomeSectionsMixin(SectionRenderMixin, RoutablePageMixin):
    def _districts(self, request):
        from cms.models import SiteProfile

        return districts_of_site(regency_code=SiteProfile.for_request(request).regency_code)

    # Cek fakta ---------------------------------------------------------------------------------------------------

    @re_path(r"^cek-fakta/$", name="fact_checks")
    def fact_checks(self, request, number=None):
        news = self.section_news(request, news_clarifications_under(parent=self), number, "fact_checks")
        return self.render_section(
            request, "cms/sections/fact_checks.html", {"section": "fact_checks", "news_page": news}
        )

    @re_path(rf"^cek-fakta/halaman/{PAGE_NUMBER}/$")
    def fact_checks_page(self, request, number):
        return self.fact_checks(request, number)

    # Regions -----------------------------------------------------------------------------------------------------

    @re_path(r"^wilayah/$", name="regions")
    def regions(self, request):
        from cms.models import Village

        villages = Prefetch("villages", queryset=Village.objects.order_by("name", "pk"))
        districts = self._districts(request).prefetch_related(villages)
        return self.render_section(request, "cms/sections/regions.html", {"section": "regions", "districts": districts})

    @re_path(rf"^wilayah/(?P<district>{SLUG})/$", name="district")
    def district(self, request, district, number=None):
        district = get_object_or_404(self._districts(request), slug=district)
        news = news_published_under(parent=self).filter(in_district(district))
        context = {
            "section": "regions",
            "district": district,
            "villages": district.villages.order_by("name", "pk"),
            "news_page": self.section_news(request, news, number, "district", district.slug),
            "listings": listings_published_under(parent=self).filter(in_district(district)),
        }
        return self.render_section(request, "cms/sections/region.html", context)

    @re_path(rf"^wilayah/(?P<district>{SLUG})/halaman/{PAGE_NUMBER}/$")
    def district_page(self, request, district, number):
        return self.district(request, district, number)

    @re_path(rf"^wilayah/(?P<district>{SLUG})/(?P<village>{SLUG})/$", name="village")
    def village(self, request, district, village, number=None):
        from cms.models import Village

        villages = Village.objects.select_related("district").filter(district__in=self._districts(request))
        village = get_object_or_404(villages, district__slug=district, slug=village)
        news = news_published_under(parent=self).filter(village=village)
        context = {
            "section": "regions",
            "district": village.district,
            "village": village,
            "news_page": self.section_news(request, news, number, "village", village.district.slug, village.slug),
            "listings": listings_published_under(parent=self).filter(village=village),
            "kim_groups": kim_groups_public().filter(village=village),
        }
        return self.render_section(request, "cms/sections/region.html", context)

    @re_path(rf"^wilayah/(?P<district>{SLUG})/(?P<village>{SLUG})/halaman/{PAGE_NUMBER}/$")
    def village_page(self, request, district, village, number):
        return self.village(request, district, village, number)

    # Agencies (OPD) ----------------------------------------------------------------------------------------------

    @re_path(r"^opd/$", name="agencies")
    def agencies(self, request):
        from cms.models import Agency

        agencies = Agency.objects.order_by("name", "pk")
        return self.render_section(request, "cms/sections/agencies.html", {"section": "agencies", "agencies": agencies})

    @re_path(rf"^opd/(?P<slug>{SLUG})/$", name="agency")
    def agency(self, request, slug, number=None):
        from cms.models import Agency

        agency = get_object_or_404(Agency, slug=slug)
        news = news_published_under(parent=self).filter(news_of_agency(agency))
        context = {
            "section": "agencies",
            "agency": agency,
            "social_accounts": agency.social_accounts.order_by("sort_order", "pk"),
            "news_page": self.section_news(request, news, number, "agency", agency.slug),
            "listings": listings_published_under(parent=self).filter(agency=agency),
        }
        return self.render_section(request, "cms/sections/agency.html", context)

    @re_path(rf"^opd/(?P<slug>{SLUG})/halaman/{PAGE_NUMBER}/$")
    def agency_page(self, request, slug, number):
        return self.agency(request, slug, number)

    # KIM groups --------------------------------------------------------------------------------------------------

    @re_path(r"^kim/$", name="kim_groups")
    def kim_groups(self, request):
        context = {"section": "kim_groups", "kim_groups": kim_groups_public()}
        return self.render_section(request, "cms/sections/kim_groups.html", context)

    @re_path(rf"^kim/(?P<slug>{SLUG})/$", name="kim_group")
    def kim_group(self, request, slug, number=None):
        group = get_object_or_404(kim_groups_public(), slug=slug)
        news = news_published_under(parent=self).filter(source_kim_group=group)
        context = {
            "section": "kim_groups",
            "kim_group": group,
            "social_accounts": group.social_accounts.order_by("sort_order", "pk"),
            "news_page": self.section_news(request, news, number, "kim_group", group.slug),
        }
        return self.render_section(request, "cms/sections/kim_group.html", context)

    @re_path(rf"^kim/(?P<slug>{SLUG})/halaman/{PAGE_NUMBER}/$")
    def kim_group_page(self, request, slug, number):
        return self.kim_group(request, slug, number)
