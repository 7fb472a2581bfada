"""Error pages of the public site. A withdrawn news item's address answers 410 Gone with the public explanation,
so a reader following an old link (shared on WhatsApp, say) learns why the item is gone instead of a bare 404."""

from django.template.response import TemplateResponse
from django.utils import translation
from django.views import defaults

from wagtail.models import Site

from cms.selectors import news_withdrawal_at


def _wagtail_url_path(request) -> str | None:
    site = Site.find_for_request(request)
    if site is None:
        return None
    path = request.path_info
    language = translation.get_language_from_path(path)
    if language:
        path = path[len(language) + 1 :]
    return site.root_page.url_path + path.strip("/") + "/"


def page_not_found(request, exception):
    url_path = _wagtail_url_path(request)
    withdrawal = news_withdrawal_at(url_path=url_path) if url_path else None
    if withdrawal is None:
        return defaults.page_not_found(request, exception)
    page, event = withdrawal
    return TemplateResponse(request, "cms/news_withdrawn.html", {"withdrawn": page, "event": event}, status=410)
