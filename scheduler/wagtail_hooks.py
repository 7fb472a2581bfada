"""Admin menu "Watched channels" (Pantauan): the sources Siar watches, their items and state changes."""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from scheduler.models import AlertDelivery, DigestRun, FeedItem, SourceState, StateTransition, WatchedSource
from scheduler.services.dashboard import days_quiet, stalest, state_counts
from scheduler.views import AgencyScorecardView, FreshnessDashboardView

VIEW_PERMISSION = "scheduler.view_watchedsource"


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Rows written only by the poller: users with the view permission may look, nobody may edit."""

    WRITE_ACTIONS = {"add", "change", "delete", "lock", "unlock", "publish"}

    def user_has_permission(self, user, action):
        return action not in self.WRITE_ACTIONS and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action not in self.WRITE_ACTIONS])


register_permission_policy(FeedItem, ReadOnlyPermissionPolicy(FeedItem), exact_class=True)
register_permission_policy(StateTransition, ReadOnlyPermissionPolicy(StateTransition), exact_class=True)
register_permission_policy(AlertDelivery, ReadOnlyPermissionPolicy(AlertDelivery), exact_class=True)
register_permission_policy(DigestRun, ReadOnlyPermissionPolicy(DigestRun), exact_class=True)


class ViewPermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)


class ReportViewSet(ViewSet):
    """A report (listing with filters and CSV/XLSX export) as a menu item of the group."""

    view_class = None

    def get_urlpatterns(self):
        return [
            path("", self.view_class.as_view(), name="index"),
            path("hasil/", self.view_class.as_view(results_only=True), name="results"),
        ]

    def get_menu_item(self, order=None):
        return ViewPermissionMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=order if order is not None else self.menu_order,
        )


class FreshnessDashboardViewSet(ReportViewSet):
    name = "scheduler_freshness"
    url_prefix = "pantauan/kesegaran"
    icon = "view"
    menu_label = _("Freshness dashboard")
    view_class = FreshnessDashboardView


class AgencyScorecardViewSet(ReportViewSet):
    name = "scheduler_scorecard"
    url_prefix = "pantauan/skor-opd"
    icon = "table"
    menu_label = _("Agency scorecard")
    view_class = AgencyScorecardView


class WatchedSourceViewSet(SnippetViewSet):
    model = WatchedSource
    icon = "view"
    menu_label = _("Channels")
    list_display = ["name", "kind", "owner", "state", "last_item_at", "consecutive_failures", "last_error"]
    list_filter = ["state", "kind", "is_active"]
    search_fields = ["name", "url", "person_in_charge"]
    inspect_view_enabled = True
    ordering = ["name"]


class FeedItemViewSet(SnippetViewSet):
    model = FeedItem
    icon = "doc-full"
    menu_label = _("Items from channels")
    list_display = ["title", "source", "published_at", "fetched_at"]
    list_filter = ["source__state", "source__kind"]
    search_fields = ["title", "summary"]
    inspect_view_enabled = True


class StateTransitionViewSet(SnippetViewSet):
    model = StateTransition
    icon = "history"
    menu_label = _("State changes")
    list_display = ["source", "from_state", "to_state", "at"]
    list_filter = ["to_state"]
    inspect_view_enabled = True


class AlertDeliveryViewSet(SnippetViewSet):
    model = AlertDelivery
    icon = "mail"
    menu_label = _("Alerts sent")
    list_display = ["transition", "channel", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "channel"]
    inspect_view_enabled = True


class WatchedChannelsGroup(SnippetViewSetGroup):
    menu_label = _("Watched channels")
    menu_icon = "view"
    menu_order = 135
    items = (
        FreshnessDashboardViewSet,
        AgencyScorecardViewSet,
        WatchedSourceViewSet,
        FeedItemViewSet,
        StateTransitionViewSet,
        AlertDeliveryViewSet,
    )


@hooks.register("register_admin_viewset")
def register_watched_channels():
    return WatchedChannelsGroup()


class FreshnessPanel(Component):
    """Wagtail home: channels per state and the five quiet the longest."""

    name = "siar_freshness"
    order = 90
    template_name = "scheduler/admin/home_panel.html"

    def get_context_data(self, parent_context=None):
        now = timezone.now()
        counts = state_counts()
        sources = list(stalest(5))
        for source in sources:
            source.days_quiet = days_quiet(source, now)
        return {
            "counts": [(state.value, state.label, counts[state]) for state in SourceState],
            "stalest": sources,
        }


@hooks.register("construct_homepage_panels")
def add_freshness_panel(request, panels):
    if request.user.has_perm(VIEW_PERMISSION):
        panels.append(FreshnessPanel())
