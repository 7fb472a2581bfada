"""Settings › Site releases (Rilis situs): under Settings, beside Sites and Redirects, because releases are site
operations rather than editorial work: editors never need them in their menu, the office's operator finds them
where the other site-wide switches are."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from sitegen.admin_views import ReleaseIndexView, RollbackView, build_now_view, can_see_releases


class ReleasesMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_releases(request.user)


@hooks.register("register_admin_urls")
def register_release_urls():
    return [
        path("rilis-situs/", ReleaseIndexView.as_view(), name="sitegen_releases"),
        path("rilis-situs/bangun/", build_now_view, name="sitegen_build_now"),
        path("rilis-situs/<str:name>/kembalikan/", RollbackView.as_view(), name="sitegen_rollback"),
    ]


@hooks.register("register_settings_menu_item")
def register_releases_menu_item():
    return ReleasesMenuItem(
        _("Site releases"), reverse("sitegen_releases"), name="site-releases", icon_name="rotate", order=900
    )
