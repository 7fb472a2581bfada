"""Show times in the zone of the site being served (WIB/WITA/WIT); storage stays UTC."""

import zoneinfo

from django.utils import timezone

from wagtail.models import Site

from cms.models import SiteProfile


class SiteTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        site = Site.find_for_request(request)
        if site is not None:
            timezone.activate(zoneinfo.ZoneInfo(SiteProfile.for_request(request).time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
