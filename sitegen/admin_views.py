"""Settings › Site releases: the builds of the public site, Build now, and Roll back to this release."""

from kombu.exceptions import OperationalError

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from sitegen.models import SiteRelease
from sitegen.releases import BuildInProgress, ReleaseError, releases_overview, site_rollback
from sitegen.store import SiteStore
from sitegen.tasks import build_site

PERM_VIEW = "sitegen.view_siterelease"
PERM_BUILD = "sitegen.build_siterelease"
PERM_ROLLBACK = "sitegen.rollback_siterelease"


def can_see_releases(user) -> bool:
    return any(user.has_perm(perm) for perm in (PERM_VIEW, PERM_BUILD, PERM_ROLLBACK))


class ReleasesMixin(WagtailAdminTemplateMixin):
    header_icon = "rotate"
    index_breadcrumb = {"url": reverse_lazy("sitegen_releases"), "label": gettext_lazy("Site releases")}

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, self.index_breadcrumb, {"url": "", "label": self.page_title}]


class ReleaseIndexView(ReleasesMixin, View):
    template_name = "sitegen/admin/releases.html"
    page_title = gettext_lazy("Site releases")

    def get(self, request):
        if not can_see_releases(request.user):
            raise PermissionDenied
        try:
            overview = releases_overview()
        except ReleaseError as error:
            messages.error(request, str(error))
            overview = None
        context = self.get_context_data(
            overview=overview,
            can_build=request.user.has_perm(PERM_BUILD),
            can_roll_back=request.user.has_perm(PERM_ROLLBACK),
        )
        return TemplateResponse(request, self.template_name, context)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]  # the index is this page


@require_POST
def build_now_view(request):
    """Queue a full build; the worker makes it live when it is done (or waits for a build already running)."""
    if not request.user.has_perm(PERM_BUILD):
        raise PermissionDenied
    try:
        build_site.delay(trigger=SiteRelease.Trigger.FULL, user_id=request.user.pk)
    except OperationalError:
        messages.error(
            request,
            _(
                "The build could not be queued: the task queue does not answer. Try again in a minute, or ask the "
                "administrator to run manage.py build_site on the server."
            ),
        )
    else:
        messages.success(
            request,
            _(
                "A build of the site was queued. It shows in this list when it starts; the site switches when it "
                "finishes."
            ),
        )
    return redirect("sitegen_releases")


class RollbackView(ReleasesMixin, View):
    """GET asks for confirmation; POST switches the site. Never waits: a button must answer at once."""

    template_name = "sitegen/admin/rollback_confirm.html"
    page_title = gettext_lazy("Roll back the site")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERM_ROLLBACK):
            raise PermissionDenied
        self.release = get_object_or_404(SiteRelease, name=kwargs["name"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, name):
        try:
            live = SiteStore().live_name()
        except ReleaseError as error:
            messages.error(request, str(error))
            return redirect("sitegen_releases")
        context = self.get_context_data(release=self.release, live=live)
        return TemplateResponse(request, self.template_name, context)

    def post(self, request, name):
        try:
            rollback = site_rollback(to=self.release.name, user=request.user, wait=0)
        except BuildInProgress:
            messages.error(
                request,
                _("A build of the site is running right now. Wait until this list shows it finished, then roll back."),
            )
        except ReleaseError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The site now serves release %(to)s (it served %(from)s).")
                % {"to": rollback.to_name, "from": rollback.from_name},
            )
        return redirect(reverse("sitegen_releases"))
