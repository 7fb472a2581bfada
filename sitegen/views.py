"""Search for the app: the one part of its API that cannot be a static file (GET /api/v1/search/?q=…&page=).

Wagtail search over this site's live news and directory listings, answered in the summary shapes of the static
lists (sitegen.api), so the app draws search results with the same code as its lists. Errors say in the
client's language (Accept-Language; Indonesian by default) what to change.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wagtail.models import Site

from cms.models import DirectoryListingPage, NewsPage
from cms.selectors import SEARCH_MAX_LENGTH, search_published
from cms.services.ratelimit import SEARCH_PER_ADDRESS, client_ip, ip_rate_key, limit_hit
from sitegen.api import ApiContext, listing_summary, listings_load, news_load, news_summary
from sitegen.api_schema import SEARCH_PER_PAGE

CACHE_SECONDS = 60
TYPES = {"news": NewsPage, "listing": DirectoryListingPage}


def _language(request) -> str:
    # The API lives outside i18n_patterns: follow the client's Accept-Language (Indonesian by default).
    return translation.get_language_from_request(request, check_path=False)


def _json(data: dict, status: int = 200, *, cache: bool = True, **headers) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}" if cache else "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _error(message: str, status: int, **kwargs) -> JsonResponse:
    response = _json({"error": message}, status, **kwargs)
    response["Content-Language"] = translation.get_language()
    response["Vary"] = "Accept-Language"
    return response


@require_safe
def api_search(request):
    with translation.override(_language(request)):
        state = limit_hit(SEARCH_PER_ADDRESS, ip_rate_key(client_ip(request)))
        if not state.allowed:
            message = _("Too many searches from your connection. Try again in %(seconds)d seconds.") % {
                "seconds": state.retry_after
            }
            return _error(message, 429, cache=False, Retry_After=str(state.retry_after))
        query = request.GET.get("q", "").strip()
        if not query:
            return _error(_("Type what to search for in q, for example ?q=posyandu."), 400)
        if len(query) > SEARCH_MAX_LENGTH:
            message = _("The search text is too long: use at most %(count)d characters.") % {"count": SEARCH_MAX_LENGTH}
            return _error(message, 400)
        kind = request.GET.get("type") or None
        if kind is not None and kind not in TYPES:
            return _error(_("The type must be news or listing, or left out to search both."), 400)
        raw_number = request.GET.get("page", "1")
        if not raw_number.isascii() or not raw_number.isdigit() or int(raw_number) < 1:
            return _error(_("The page number must be a whole number of 1 or more."), 400)
        number = int(raw_number)

        site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
        models = [TYPES[kind]] if kind else list(TYPES.values())
        # The same question as the site's /cari/ page: live (so verified) items of this site, best match first.
        paginator = Paginator(search_published(root=site.root_page, query=query, models=models), SEARCH_PER_PAGE)
        pages = max(1, paginator.num_pages)
        if number > pages:
            message = _("There is no page %(page)d: the results have %(pages)d pages.") % {
                "page": number,
                "pages": pages,
            }
            return _error(message, 404)
        found = list(paginator.page(number).object_list) if paginator.count else []

    ctx = ApiContext(site)
    with translation.override(settings.LANGUAGE_CODE):  # the labels of the static files, whatever the client
        specific = {page.pk: page for page in news_load(p.pk for p in found if p.specific_class is NewsPage)}
        listings = listings_load(p.pk for p in found if p.specific_class is DirectoryListingPage)
        specific.update({page.pk: page for page in listings})
        items = []
        for page in found:
            loaded = specific.get(page.pk)
            if loaded is None:
                continue
            summary = listing_summary if isinstance(loaded, DirectoryListingPage) else news_summary
            items.append(summary(ctx, loaded))

    def page_url(target: int) -> str:
        parameters = {"q": query, "page": target, **({"type": kind} if kind else {})}
        return ctx.absolute(f"{request.path}?{urlencode(parameters)}")

    return _json(
        {
            "query": query,
            "type": kind,
            "page": number,
            "pages": pages,
            "per_page": SEARCH_PER_PAGE,
            "total": paginator.count,
            "next": page_url(number + 1) if number < pages else None,
            "previous": page_url(number - 1) if number > 1 else None,
            "items": items,
        }
    )
