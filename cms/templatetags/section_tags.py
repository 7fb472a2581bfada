"""Addresses of the public sections (categories, tags, regions, agencies, KIM groups, cek fakta) for templates.

Built from the routes of the home page and the news index (cms.models.sections, NewsIndexPage) and the two
pages' addresses, worked out once per request: a list of twelve cards with three links each costs no query.
An empty string means "no page to link to" (an inactive KIM group, a tag without a slug, a site without a
news index): templates then show the name as plain text.
"""

from django import template
from django.urls import NoReverseMatch

from cms.models.verification import VerdictChoice
from cms.templatetags.siar_tags import siar_navigation

register = template.Library()

LIST_ROUTES = {"fact_checks", "regions", "agencies", "kim_groups", "categories"}  # addresses without a slug
HOME_ROUTES = {"fact_checks", "regions", "district", "village", "agencies", "agency", "kim_groups", "kim_group"}
NEWS_ROUTES = {"categories", "category", "tag"}


def _bases(context) -> dict:
    request = context.get("request")
    cached = getattr(request, "_siar_section_bases", None)
    if cached is not None:
        return cached
    from cms.models import HomePage, NewsIndexPage

    nav = siar_navigation(context)
    bases = {}
    for key, page, page_class in (("home", nav.get("home"), HomePage), ("news", nav.get("news"), NewsIndexPage)):
        url = page.get_url(request) if page is not None and page.specific_class is page_class else None
        bases[key] = (url, page_class) if url else None
    if request is not None:
        request._siar_section_bases = bases
    return bases


def _route(context, name: str, *args) -> str:
    base = _bases(context).get("home" if name in HOME_ROUTES else "news")
    if base is None:
        return ""
    url, page_class = base
    try:
        return url + page_class.get_resolver().reverse(name, *args)
    except NoReverseMatch:  # a slug the route cannot carry (typed outside the admin's validation): no page
        return ""


@register.simple_tag(takes_context=True)
def section_url(context, name: str, obj=None) -> str:
    """The address of a section: ``{% section_url "village" page.village %}``, ``{% section_url "regions" %}``."""
    if obj is None:
        return _route(context, name) if name in LIST_ROUTES else ""
    if name in {"district", "village"} and not _in_site_regency(context, obj.code):
        return ""  # a region outside the site's regency has no page here (cms.selectors.districts_of_site)
    if name == "village":
        return _route(context, name, obj.district.slug, obj.slug) if obj.slug and obj.district.slug else ""
    if name == "kim_group" and not obj.is_active:
        return ""  # inactive groups stay on record but have no public page
    return _route(context, name, obj.slug) if getattr(obj, "slug", "") else ""


def _in_site_regency(context, code: str) -> bool:
    from cms.models import SiteProfile

    request = context.get("request")
    regency = (SiteProfile.for_request(request).regency_code if request is not None else "").strip().rstrip(".")
    return not regency or (code or "").startswith(regency + ".")


@register.filter
def verdict_label(value: str) -> str:
    """'false' → Salah (Hoaks): the label of a verdict value annotated on a list item."""
    try:
        return str(VerdictChoice(value).label)
    except ValueError:
        return ""
