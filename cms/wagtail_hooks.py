"""The admin, organised around the office's work: Berita, Direktori, KIM, Instansi, Wilayah."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.admin_views import RegionImportView
from cms.models import Agency, DirectoryListingPage, District, KimGroup, NewsCategory, NewsPage, Village


class NewsListingViewSet(PageListingViewSet):
    model = NewsPage
    icon = "doc-full"
    menu_label = _("All news")
    name = "berita"
    add_to_admin_menu = False
    list_filter = ["categories", "district", "source_kind", "live"]


class NewsCategoryViewSet(SnippetViewSet):
    model = NewsCategory
    icon = "tag"
    menu_label = _("News categories")
    list_display = ["name", "slug"]
    search_fields = ["name"]


class NewsGroup(ViewSetGroup):
    menu_label = _("News")
    menu_icon = "doc-full"
    menu_order = 100
    items = (NewsListingViewSet, NewsCategoryViewSet)


class DirectoryListingViewSet(PageListingViewSet):
    model = DirectoryListingPage
    icon = "list-ul"
    menu_label = _("Directory")
    name = "direktori"
    list_filter = ["category", "district", "live"]
    menu_order = 110
    add_to_admin_menu = True


class KimGroupViewSet(SnippetViewSet):
    model = KimGroup
    icon = "group"
    menu_label = _("KIM")
    menu_order = 120
    add_to_admin_menu = True
    list_display = ["name", "village", "contact_name", "is_active"]
    list_filter = ["is_active", "village__district"]
    search_fields = ["name"]


class AgencyViewSet(SnippetViewSet):
    model = Agency
    icon = "home"
    menu_label = _("Agencies")
    menu_order = 130
    add_to_admin_menu = True
    list_display = ["name", "abbreviation", "contact_name", "website"]
    search_fields = ["name", "abbreviation"]


class DistrictViewSet(SnippetViewSet):
    model = District
    icon = "site"
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


class VillageViewSet(SnippetViewSet):
    model = Village
    icon = "pick"
    list_display = ["code", "name", "kind", "district"]
    list_filter = ["kind", "district"]
    search_fields = ["name", "code"]


class RegionGroup(SnippetViewSetGroup):
    menu_label = _("Regions")
    menu_icon = "site"
    menu_order = 140
    items = (DistrictViewSet, VillageViewSet)

    def get_submenu_items(self):
        import_item = RegionImportMenuItem(
            _("Import from CSV"), reverse("cms_import_regions"), icon_name="upload", order=len(self.items) + 1
        )
        return [*super().get_submenu_items(), import_item]


class RegionImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("cms.add_district") and request.user.has_perm("cms.add_village")


@hooks.register("register_admin_viewset")
def register_news_group():
    return NewsGroup()


@hooks.register("register_admin_viewset")
def register_directory_listing():
    return DirectoryListingViewSet()


@hooks.register("register_admin_viewset")
def register_snippets():
    return [KimGroupViewSet(), AgencyViewSet(), RegionGroup()]


@hooks.register("register_admin_urls")
def register_region_import_url():
    return [path("wilayah/impor/", RegionImportView.as_view(), name="cms_import_regions")]
