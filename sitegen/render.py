"""Rendering a public page to bytes through the same code the live site and the admin preview use.

Each page is rendered by its own ``serve`` (or, for a list page, its routable view) with a request made here, so
the static file is the page a visitor of the dynamic site would get. What the peers spend most of their time
on — routing every page as a request, finding the site again and again — is done once per build instead:
the site, its root paths and the navigation are set on every request up front.
"""

import zoneinfo
from contextlib import contextmanager

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone, translation

from wagtail.models import Site

from cms.fragments import fragments_memoised
from cms.models import SiteProfile
from cms.templatetags.siar_tags import _build_navigation


class PageRenderer:
    """Renders pages of one site; reuse one per build so the shared lookups happen once."""

    def __init__(self, site: Site):
        self.site = site
        self.factory = RequestFactory()
        self.root_paths = Site.get_site_root_paths()
        self.profile = SiteProfile.for_site(site)
        host = site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"
        self.defaults = {"HTTP_HOST": host, "wsgi.url_scheme": "https" if site.port == 443 else "http"}
        self.navigation = _build_navigation(self.request("/"))
        self.fragments: dict = {}  # cards and other repeated fragments, rendered once per build (cms.fragments)

    def request(self, path: str):
        request = self.factory.get(path, **self.defaults)
        request._wagtail_site = self.site
        request._wagtail_cached_site_root_paths = self.root_paths
        request.user = AnonymousUser()
        setattr(request, SiteProfile.get_cache_attr_name(), self.profile)  # what SiteProfile.for_request caches
        if getattr(self, "navigation", None) is not None:
            request._siar_navigation = self.navigation
        return request

    @contextmanager
    def active(self, language: str = "id"):
        """The language and the site's own time zone (WIB/WITA/WIT), as the middleware sets them for a visitor."""
        zone = zoneinfo.ZoneInfo(self.profile.time_zone)
        with translation.override(language), timezone.override(zone), fragments_memoised(self.fragments):
            yield

    def page(self, page, *, path: str, **route_kwargs) -> bytes:
        """The page as served at ``path``: ``route_kwargs`` (number=, category=) pick a page of a routable list."""
        request = self.request(path)
        response = page.render(request, **route_kwargs) if route_kwargs else page.serve(request)
        response.render()
        return response.content

    def template(self, template_name: str, context: dict, *, path: str = "/") -> bytes:
        from django.template.response import TemplateResponse

        response = TemplateResponse(self.request(path), template_name, context)
        response.render()
        return response.content
