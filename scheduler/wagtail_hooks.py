"""Admin menu "Watched channels" (Pantauan): the sources Siar watches, their items and state changes."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from scheduler.models import FeedItem, StateTransition, WatchedSource


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Rows written only by the poller: users with the view permission may look, nobody may edit."""

    WRITE_ACTIONS = {"add", "change", "delete", "lock", "unlock", "publish"}

    def user_has_permission(self, user, action):
        return action not in self.WRITE_ACTIONS and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action not in self.WRITE_ACTIONS])


register_permission_policy(FeedItem, ReadOnlyPermissionPolicy(FeedItem), exact_class=True)
register_permission_policy(StateTransition, ReadOnlyPermissionPolicy(StateTransition), exact_class=True)


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


class WatchedChannelsGroup(SnippetViewSetGroup):
    menu_label = _("Watched channels")
    menu_icon = "view"
    menu_order = 135
    items = (WatchedSourceViewSet, FeedItemViewSet, StateTransitionViewSet)


@hooks.register("register_admin_viewset")
def register_watched_channels():
    return WatchedChannelsGroup()
