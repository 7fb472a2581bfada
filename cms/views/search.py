"""/cari/?q=…: the site's search page, one of the few dynamic public pages (nginx hands /cari/ to Django, as the
static tree has no file there).

Wagtail search over the site's live news and directory listings (cms.selectors.search_published, which the app's
/api/v1/search/ asks too), the results drawn with the same cards as the lists. Pages follow ``?halaman=N``.
A plain GET form, so it works without script; never indexed by search engines; limited per address.
"""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wagtail.models import Site

from cms.selectors import (
    PAGE_PARAMETER,
    SEARCH_MAX_LENGTH,
    listings_published_under,
    news_published_under,
    search_published,
    search_terms,
)
from cms.services.ratelimit import SEARCH_PER_ADDRESS, client_ip, ip_rate_key, limit_hit

RESULTS_PER_PAGE = 12


def _page_number(request) -> int:
    value = request.GET.get(PAGE_PARAMETER, "1")
    return int(value) if value.isascii() and value.isdigit() and int(value) > 0 else 1


def _results_page(request, root, query: str, number: int):
    """One page of results, each loaded as its specific page with what its card shows (constant queries)."""
    paginator = Paginator(search_published(root=root, query=query), RESULTS_PER_PAGE)
    try:
        page = paginator.page(number)
    except InvalidPage as error:
        raise Http404(str(error)) from error
    found = list(page.object_list)
    ids = [item.pk for item in found]
    news = {item.pk: item for item in news_published_under(parent=root).filter(pk__in=ids)}
    listings = {item.pk: item for item in listings_published_under(parent=root).filter(pk__in=ids)}
    page.results = [news.get(pk) or listings[pk] for pk in ids if pk in news or pk in listings]  # in rank order

    def url(target: int) -> str:
        return f"{request.path}?{urlencode({'q': query, PAGE_PARAMETER: target})}"

    page.previous_url = url(number - 1) if page.has_previous() else ""
    page.next_url = url(number + 1) if page.has_next() else ""
    return page


@require_safe
def search(request):
    query = request.GET.get("q", "").strip()
    context = {"query": query, "max_length": SEARCH_MAX_LENGTH}
    status = 200
    if not query:
        context["message"] = _("Type one or more words, for example posyandu or puskesmas, and press Search.")
    elif len(query) > SEARCH_MAX_LENGTH:
        context["message"] = _("The search text is too long: use at most %(count)d characters.") % {
            "count": SEARCH_MAX_LENGTH
        }
        status = 400
    elif not search_terms(query):
        context["message"] = _("Search with letters or numbers, for example posyandu or puskesmas.")
    else:
        state = limit_hit(SEARCH_PER_ADDRESS, ip_rate_key(client_ip(request)))
        if not state.allowed:
            context["message"] = _(
                "Too many searches from your connection. Wait %(seconds)d seconds and try again."
            ) % {"seconds": state.retry_after}
            response = TemplateResponse(request, "cms/search.html", context, status=429)
            response["Retry-After"] = str(state.retry_after)
            return _noindex(response)
        site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
        context["results"] = _results_page(request, site.root_page, query, _page_number(request))
    response = TemplateResponse(request, "cms/search.html", context, status=status)
    return _noindex(response) if query else response


def _noindex(response):
    # Result pages are not pages to index: a crawler following the form would only multiply thin pages. The
    # search page itself (no query) is a landing page people look for ("cari puskesmas <kabupaten>").
    response["X-Robots-Tag"] = "noindex"
    return response
