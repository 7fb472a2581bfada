"""The admin, organised around the office's work: Berita, Direktori, KIM, Instansi, Wilayah."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import IndexView, InspectView, SnippetViewSet, SnippetViewSetGroup

from cms.admin_views import (
    ApiKeyIssueView,
    ApiKeyRevokeView,
    RegionImportView,
    SubmissionVerificationView,
    evidence_file_view,
    submission_photo_view,
)
from cms.filters import OPEN, OVERDUE, QUEUE_ORDERING, KimSubmissionFilterSet, queue_annotate, queue_url
from cms.models import (
    Agency,
    DirectoryListingPage,
    District,
    KimGroup,
    KimGroupApiKey,
    KimSubmission,
    NewsCategory,
    NewsPage,
    Village,
)
from cms.views.reports import VerificationReportViewSet, can_view_reports


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
    menu_label = _("All KIM groups")
    list_display = ["name", "village", "contact_name", "is_active"]
    list_filter = ["is_active", "village__district"]
    search_fields = ["name"]


class IntakePermissionPolicy(ModelPermissionPolicy):
    """Submissions and API keys are created only by the intake (form, API, key issuing), never edited as
    a form: no add, no change, for anyone. Viewing and deleting follow the ordinary model permissions."""

    DENIED = {"add", "change"}

    def user_has_permission(self, user, action):
        return action not in self.DENIED and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action not in self.DENIED])


register_permission_policy(KimSubmission, IntakePermissionPolicy(KimSubmission), exact_class=True)
register_permission_policy(KimGroupApiKey, IntakePermissionPolicy(KimGroupApiKey), exact_class=True)


class SubmissionInspectView(InspectView):
    def get_field_label(self, field_name, field):
        if field_name == "photo_gallery":
            return _("Photos")
        if field_name == "verification_link":
            return _("Verification")
        return super().get_field_label(field_name, field)

    def get_photo_gallery_display_value(self):
        photos = list(self.object.photos.all())
        if not photos:
            return "-"
        return format_html_join(
            "",
            '<a href="{0}" target="_blank" rel="noopener"><img src="{0}" alt="{1}" width="{2}" height="{3}" '
            'style="max-width:20rem;height:auto;margin:0 .5rem .5rem 0" loading="lazy"></a>',
            (
                (reverse("cms_submission_photo", args=[photo.pk]), photo.original_name, photo.width, photo.height)
                for photo in photos
            ),
        )

    def get_verification_link_display_value(self):
        return format_html(
            '<a class="button button-small" href="{}">{}</a>',
            reverse("cms_submission_verification", args=[self.object.pk]),
            _("Verification and audit trail"),
        )

    def get_link_display_value(self):
        link = self.object.link
        return format_html('<a href="{0}" rel="noopener noreferrer nofollow">{0}</a>', link) if link else "-"


class VerificationTitleColumn(TitleColumn):
    """The queue's first column opens the submission's verification page, where a verifier acts on it."""

    def get_link_url(self, instance, parent_context):
        return reverse("cms_submission_verification", args=[instance.pk])


class SubmissionQueueIndexView(IndexView):
    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        user = self.request.user
        if user.has_perm("cms.triage_submission") or user.has_perm("cms.verify_submission"):
            column_class = VerificationTitleColumn
        return super()._get_title_column(field_name, column_class, **kwargs)


class KimSubmissionViewSet(SnippetViewSet):
    model = KimSubmission
    icon = "mail"
    menu_label = _("KIM submissions")
    url_prefix = "kim/kiriman"
    inspect_view_enabled = True
    inspect_view_class = SubmissionInspectView
    inspect_view_fields = [
        "receipt",
        "status",
        "verification_link",
        "public_status",
        "public_reason",
        "created_at",
        "channel",
        "group",
        "contributor_name",
        "contributor_phone",
        "title",
        "story",
        "category",
        "village",
        "event_date",
        "link",
        "photo_gallery",
    ]
    list_display = [
        "receipt",
        "title",
        "group",
        "village",
        "status",
        "status_changed_at",
        "confirmation_due_at",
        "created_at",
    ]
    index_view_class = SubmissionQueueIndexView
    filterset_class = KimSubmissionFilterSet  # status, group, village, district… plus queue, age and overdue
    # A queue: open submissions first, the longest waiting on top (first in, first verified); closed ones after.
    ordering = QUEUE_ORDERING
    search_fields = ["receipt", "title"]
    list_per_page = 50

    def get_queryset(self, request):
        return queue_annotate(KimSubmission.objects.select_related("group", "village__district"))


class ApiKeyIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("cms.add_kimgroupapikey"):
            buttons.append(HeaderButton(_("Issue an API key"), url=reverse("cms_api_key_issue"), icon_name="plus"))
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.revoked_at is None and self.request.user.has_perm("cms.change_kimgroupapikey"):
            buttons.append(
                Button(_("Revoke"), url=reverse("cms_api_key_revoke", args=[instance.pk]), icon_name="cross")
            )
        return buttons


class KimGroupApiKeyViewSet(SnippetViewSet):
    model = KimGroupApiKey
    icon = "key"
    menu_label = _("API keys")
    url_prefix = "kim/kunci-api"
    index_view_class = ApiKeyIndexView
    list_display = ["prefix", "group", "label", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["group"]
    search_fields = ["prefix", "label"]

    def get_queryset(self, request):
        return KimGroupApiKey.objects.select_related("group")


class KimMenuGroup(SnippetViewSetGroup):
    menu_label = _("KIM")
    menu_icon = "group"
    menu_order = 120
    items = (KimGroupViewSet, KimSubmissionViewSet, VerificationReportViewSet, KimGroupApiKeyViewSet)


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
    return [KimMenuGroup(), AgencyViewSet(), RegionGroup()]


@hooks.register("register_admin_urls")
def register_region_import_url():
    return [path("wilayah/impor/", RegionImportView.as_view(), name="cms_import_regions")]


@hooks.register("register_admin_urls")
def register_kim_intake_urls():
    return [
        path("kim/kiriman/foto/<int:pk>/", submission_photo_view, name="cms_submission_photo"),
        path("kim/bukti/<int:pk>/", evidence_file_view, name="cms_evidence_file"),
        path(
            "kim/kiriman/<int:pk>/verifikasi/", SubmissionVerificationView.as_view(), name="cms_submission_verification"
        ),
        path("kim/kunci-api/terbitkan/", ApiKeyIssueView.as_view(), name="cms_api_key_issue"),
        path("kim/kunci-api/<int:pk>/cabut/", ApiKeyRevokeView.as_view(), name="cms_api_key_revoke"),
    ]


@hooks.register("register_snippet_listing_buttons")
def kim_group_api_key_button(snippet, user, next_url=None):
    if isinstance(snippet, KimGroup) and user.has_perm("cms.add_kimgroupapikey"):
        yield Button(
            _("Issue an API key"),
            url=f"{reverse('cms_api_key_issue')}?group={snippet.pk}",
            icon_name="key",
            priority=60,
        )


# Verification gate in the admin ----------------------------------------------------------------------------


def _refuse_unverified(request, page):
    from django.contrib import messages
    from django.shortcuts import redirect

    from cms.models.verification import revision_carry_verdict, revision_publishable

    if not isinstance(page.specific, NewsPage):
        return None
    revision = page.latest_revision
    if revision is not None:
        revision_carry_verdict(revision)
        if revision_publishable(revision):
            return None
    messages.error(
        request,
        _(
            "This news item has not been verified, so it cannot be published. The version was saved as a "
            "draft: submit it to the Verification workflow, and publish once a verdict is recorded."
        ),
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_publish_page")
def refuse_publishing_unverified_news(request, page):
    return _refuse_unverified(request, page)


@hooks.register("before_copy_page")
def refuse_copying_news_live(request, page):
    """A copy is new content: it starts as a draft and is verified on its own."""
    from django.contrib import messages
    from django.shortcuts import redirect

    if request.method == "POST" and request.POST.get("publish_copies") and isinstance(page.specific, NewsPage):
        messages.error(request, _("A copy of a news item cannot be published straight away; copy it as a draft."))
        return redirect("wagtailadmin_pages:copy", page.pk)
    return None


class VerificationPanel(Component):
    name = "siar_verification"
    order = 90
    template_name = "cms/admin/verification_panel.html"

    def get_context_data(self, parent_context=None):
        from cms.services.verification import pending_counts

        user = getattr((parent_context or {}).get("request"), "user", None)
        return {
            **pending_counts(),  # each count links to the queue filtered to exactly the rows it counted
            "pending_url": queue_url(queue=OPEN),
            "overdue_url": queue_url(overdue=OVERDUE),
            "reports_url": reverse("cms_verification_reports:index") if user and can_view_reports(user) else "",
        }


@hooks.register("construct_homepage_panels")
def add_verification_panel(request, panels):
    if request.user.has_perm("cms.triage_submission") or request.user.has_perm("cms.verify_submission"):
        panels.append(VerificationPanel())


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_unverified_news(request, action_type, objects, action_class_instance):
    """Bulk publish goes through revision.publish(), which the gate refuses; say so before, not with a 403."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from cms.models.verification import revision_carry_verdict, revision_publishable

    if action_type != "publish":
        return None
    pages = [obj.specific for obj in objects if getattr(obj, "specific_class", None) is NewsPage]
    unverified = []
    for page in pages:
        revision = page.latest_revision
        if revision is None or not (revision_carry_verdict(revision) and revision_publishable(revision)):
            unverified.append(page)
    if not unverified:
        return None
    messages.error(
        request,
        _("These news items have not been verified, so nothing was published: %(titles)s")
        % {"titles": ", ".join(page.get_admin_display_title() for page in unverified)},
    )
    return redirect(request.GET.get("next") or reverse("wagtailadmin_explore_root"))


# After publication: correction notes and withdrawal with a public explanation -------------------------------


@hooks.register("register_admin_urls")
def register_after_publication_urls():
    from cms.admin_news import NewsCorrectView, NewsWithdrawView

    return [
        path("berita/<int:pk>/tarik/", NewsWithdrawView.as_view(), name="cms_news_withdraw"),
        path("berita/<int:pk>/koreksi/", NewsCorrectView.as_view(), name="cms_news_correct"),
    ]


def _after_publication_buttons(page, user):
    if not (page.live and page.specific_class is NewsPage and user.has_perm("cms.verify_submission")):
        return
    if not page.permissions_for_user(user).can_unpublish():
        return
    yield Button(
        _("Record a correction"), url=reverse("cms_news_correct", args=[page.pk]), icon_name="edit", priority=62
    )
    yield Button(_("Withdraw news"), url=reverse("cms_news_withdraw", args=[page.pk]), icon_name="cross", priority=63)


@hooks.register("register_page_header_buttons")
def news_after_publication_header_buttons(page, user, view_name, next_url=None):
    yield from _after_publication_buttons(page, user)


@hooks.register("register_page_listing_more_buttons")
def news_after_publication_listing_buttons(page, user, next_url=None):
    yield from _after_publication_buttons(page, user)


@hooks.register("before_unpublish_page")
def unpublish_news_through_withdrawal(request, page):
    """Wagtail's Unpublish of a news item asks for the public explanation first."""
    from django.shortcuts import redirect

    if page.specific_class is NewsPage:
        return redirect("cms_news_withdraw", page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_unpublishing_news(request, action_type, objects, action_class_instance):
    """Each withdrawal needs its own public explanation, so news items are withdrawn one at a time."""
    from django.contrib import messages
    from django.shortcuts import redirect

    if action_type != "unpublish" or not any(getattr(o, "specific_class", None) is NewsPage for o in objects):
        return None
    messages.error(
        request,
        _("News items are withdrawn one at a time, each with its public explanation: use Withdraw news on each."),
    )
    return redirect(request.GET.get("next") or reverse("wagtailadmin_explore_root"))
