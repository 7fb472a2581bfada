from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.urls import api_urlpatterns, public_urlpatterns
from sitegen.views import api_search

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    *api_urlpatterns,
    path("api/v1/search/", api_search, name="api_search"),  # the app's one dynamic read (its files are static)
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Indonesian pages live at the root; English ones under /en/.
# The submission form comes before Wagtail's catch-all, which would otherwise look for a page called kirim.
urlpatterns += i18n_patterns(*public_urlpatterns, path("", include(wagtail_urls)), prefix_default_language=False)

# A withdrawn news item's address explains the withdrawal (410) instead of a bare "not found".
handler404 = "cms.views.public.page_not_found"
