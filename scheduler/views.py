"""The freshness dashboard (Pantauan › Kesegaran kanal) and the per-agency scorecard, with CSV/XLSX export."""

import django_filters

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from cms.models import Agency, District, KimGroup
from scheduler.models import SourceState, WatchedSource
from scheduler.services.dashboard import (
    active_sources,
    days_quiet,
    scorecard_agencies,
    scorecard_rows,
    sparkline,
    weekly_counts,
)

DATETIME_EXPORT = "Y-m-d H:i"


class FreshnessFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=WatchedSource.Kind.choices)
    state = django_filters.ChoiceFilter(label=_("State"), choices=SourceState.choices)
    agency = django_filters.ModelChoiceFilter(label=_("Owner agency"), queryset=Agency.objects.order_by("name"))
    kim_group = django_filters.ModelChoiceFilter(label=_("Owner KIM group"), queryset=KimGroup.objects.order_by("name"))
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        queryset=District.objects.order_by("name"),
        field_name="kim_group__village__district",
        help_text=_("KIM groups of villages in this district (agencies have no district)."),
    )

    class Meta:
        model = WatchedSource
        fields = ["kind", "state", "agency", "kim_group", "district"]


class WatchedSourcePolicyMixin:
    permission_policy = ModelPermissionPolicy(WatchedSource)
    permission_required = "view"
    header_icon = "view"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["states"] = SourceState
        return context


class FreshnessDashboardView(WatchedSourcePolicyMixin, ReportView):
    page_title = _("Channel freshness")
    results_template_name = "scheduler/admin/freshness_results.html"
    filterset_class = FreshnessFilterSet
    index_url_name = "scheduler_freshness:index"
    index_results_url_name = "scheduler_freshness:results"
    export_filename = "kesegaran-kanal"
    list_export = [
        "name",
        "kind_label",
        "owner_label",
        "district_label",
        "state_label",
        "days_quiet",
        "last_item_local",
        "cadence_days",
        "url",
    ]
    export_headings = {
        "name": _("Channel"),
        "kind_label": _("Kind"),
        "owner_label": _("Owner"),
        "district_label": _("District"),
        "state_label": _("State"),
        "days_quiet": _("Days since last update"),
        "last_item_local": _("Last item"),
        "cadence_days": _("Expected cadence (days)"),
        "url": _("Address (URL)"),
    }

    def get_queryset(self):
        sources = active_sources().select_related("agency", "kim_group__village__district")
        return self.filter_queryset(sources.order_by("quiet_since", "name"))

    def get_filtered_queryset(self):
        return self.get_queryset()

    def decorate_paginated_queryset(self, object_list):
        now = timezone.now()
        sources = list(object_list)
        trends = {} if self.is_export else weekly_counts([source.pk for source in sources], now=now)
        for source in sources:
            source.days_quiet = days_quiet(source, now)
            source.kind_label = str(source.get_kind_display())
            source.owner_label = str(source.owner) if source.owner else ""
            district = source.kim_group.village.district if source.kim_group_id else None
            source.district_label = str(district) if district else ""
            source.state_label = str(source.get_state_display())
            local = timezone.localtime(source.last_item_at) if source.last_item_at else None
            source.last_item_local = date_format(local, DATETIME_EXPORT) if local else ""
            if source.pk in trends:
                source.trend = trends[source.pk]
                source.trend_svg = sparkline(source.trend)
        return sources


class AgencyScorecardView(WatchedSourcePolicyMixin, ReportView):
    page_title = _("Agency scorecard")
    header_icon = "table"
    results_template_name = "scheduler/admin/scorecard_results.html"
    index_url_name = "scheduler_scorecard:index"
    index_results_url_name = "scheduler_scorecard:results"
    export_filename = "skor-kesegaran-opd"
    list_export = [
        "agency",
        "channels",
        "fresh",
        "due",
        "stale",
        "unreachable",
        "median_days",
        "share_fresh_percent",
    ]
    export_headings = {
        "agency": _("Agency"),
        "channels": _("Channels"),
        "fresh": SourceState.FRESH.label,
        "due": SourceState.DUE.label,
        "stale": SourceState.STALE.label,
        "unreachable": SourceState.UNREACHABLE.label,
        "median_days": _("Median days since update"),
        "share_fresh_percent": _("Share fresh (%)"),
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.custom_field_preprocess = {
            **self.custom_field_preprocess,
            "agency": {self.FORMAT_CSV: str, self.FORMAT_XLSX: str},
        }

    def get_queryset(self):
        return scorecard_agencies()

    def get_filtered_queryset(self):
        return self.get_queryset()

    def decorate_paginated_queryset(self, object_list):
        return scorecard_rows(object_list, now=timezone.now())
