"""Admin: the verification reports (KIM › Laporan verifikasi), shown on a page and downloaded as CSV or XLSX.

The view only reads the chosen period and district, asks cms.services.reports for the figures and lays them
out as tables (siar.exports): the page, each CSV and the workbook are made from the same tables.
"""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import AdminDateInput

from cms.filters import queue_url, site_zone
from cms.models import District
from cms.services import reports
from cms.services.verification import PERM_VERIFY
from siar.exports import DATETIME, INTEGER, NUMBER, Column, Table, csv_response, xlsx_response

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
PERIOD_CHOICES = [
    (reports.PERIOD_THIS_MONTH, gettext_lazy("This month")),
    (reports.PERIOD_LAST_MONTH, gettext_lazy("Last month")),
    (reports.PERIOD_LAST_90_DAYS, gettext_lazy("Last 90 days")),
    (reports.PERIOD_CUSTOM, gettext_lazy("Custom period")),
]


def can_view_reports(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm(PERM_VERIFY))


class ReportForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=PERIOD_CHOICES, required=False)
    first = forms.DateField(
        label=gettext_lazy("First day"),
        required=False,
        widget=AdminDateInput,
        input_formats=DATE_INPUT_FORMATS,
        help_text=gettext_lazy("For a custom period."),
    )
    last = forms.DateField(
        label=gettext_lazy("Last day"),
        required=False,
        widget=AdminDateInput,
        input_formats=DATE_INPUT_FORMATS,
        help_text=gettext_lazy("For a custom period."),
    )
    district = forms.ModelChoiceField(
        label=gettext_lazy("District"),
        queryset=District.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("All districts"),
    )
    quiet_days = forms.IntegerField(
        label=gettext_lazy("Quiet groups: no submission for (days)"),
        min_value=1,
        max_value=365,
        required=False,
        widget=forms.NumberInput(attrs={"placeholder": reports.QUIET_DAYS}),
    )

    def clean(self):
        data = super().clean()
        data["period"] = data.get("period") or reports.PERIOD_THIS_MONTH
        data["quiet_days"] = data.get("quiet_days") or reports.QUIET_DAYS
        first, last = data.get("first"), data.get("last")
        if data["period"] == reports.PERIOD_CUSTOM and "first" not in self.errors and "last" not in self.errors:
            if not (first and last):
                raise forms.ValidationError(_("Give the first and the last day of the custom period."))
            if last < first:
                raise forms.ValidationError(_("The last day is before the first day: swap them or choose another."))
        data["first"], data["last"] = reports.period_days(
            choice=data["period"], today=timezone.localdate(), first=first, last=last
        )
        return data


# Tables ----------------------------------------------------------------------------------------------------


def _hours(duration: datetime.timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 3600, 1)


def turnaround_table(rows: list[reports.Turnaround]) -> Table:
    return Table(
        name="waktu-proses",
        empty_message=_("Nothing to count in this period. Choose a longer period or another district."),
        title=_("Turnaround per state"),
        description=_(
            "Submissions received in the period: time spent in each state (a state visited twice counts both "
            "visits; a stay not yet ended is not counted), then from receipt to the verdict and to publication. "
            "The 90th percentile is the time within which nine in ten were done."
        ),
        columns=[
            Column("label", _("Stage")),
            Column("count", _("Submissions counted"), INTEGER),
            Column("median", _("Median (hours)"), NUMBER),
            Column("p90", _("90th percentile (hours)"), NUMBER),
        ],
        rows=[
            {"label": row.label, "count": row.count, "median": _hours(row.median), "p90": _hours(row.p90)}
            for row in rows
        ],
    )


def verdicts_table(rows: list[reports.VerdictCount]) -> Table:
    return Table(
        name="putusan",
        empty_message=_("Nothing to count in this period. Choose a longer period or another district."),
        title=_("Verdicts per category"),
        description=_(
            "Verdicts decided in the period, on KIM submissions and on versions of news items. A verdict carried "
            "over unchanged (for example onto the news draft made from a submission) is counted once."
        ),
        columns=[
            Column("verdict", _("Verdict")),
            Column("category", _("Hoax category")),
            Column("submissions", _("On submissions"), INTEGER),
            Column("news_versions", _("On news versions"), INTEGER),
            Column("total", _("Total"), INTEGER),
        ],
        rows=[
            {
                "verdict": row.verdict_label,
                "category": row.category_label,
                "submissions": row.submissions,
                "news_versions": row.news_versions,
                "total": row.total,
            }
            for row in rows
        ],
    )


def _figures(figures: reports.Contribution) -> dict:
    return {
        "submitted": figures.submitted,
        "published": figures.published,
        "rejected": figures.rejected,
        "hoax": figures.hoax,
        "last_submission_at": figures.last_submission_at,
    }


def _figure_columns() -> list[Column]:
    return [
        Column("submitted", _("Submissions"), INTEGER),
        Column("published", _("Published"), INTEGER),
        Column("rejected", _("Rejected"), INTEGER),
        Column("hoax", _("Rated a hoax"), INTEGER),
        Column("last_submission_at", _("Last submission"), DATETIME),
    ]


def groups_table(rows: list[reports.GroupContribution]) -> Table:
    return Table(
        name="kontribusi-kim",
        empty_message=_("Nothing to count in this period. Choose a longer period or another district."),
        title=_("Contributions per KIM group"),
        description=_(
            "Submissions received in the period from each active KIM group (and from any other that sent some). "
            "Published counts those that reached the public, also if later corrected or withdrawn; rejected, those "
            "turned away at triage; rated a hoax, verdict False. The last submission is the latest before the "
            "period's end."
        ),
        columns=[
            Column("group", _("KIM group")),
            Column("village", _("Village")),
            Column("district", _("District")),
            *_figure_columns(),
        ],
        rows=[
            {
                "group": row.group.name,
                "village": row.group.village.name,
                "district": row.group.village.district.name,
                **_figures(row.figures),
            }
            for row in rows
        ],
        links=[queue_url(group=row.group.pk) for row in rows],
    )


def villages_table(rows: list[reports.VillageContribution]) -> Table:
    return Table(
        name="kontribusi-desa",
        empty_message=_("Nothing to count in this period. Choose a longer period or another district."),
        title=_("Contributions per village"),
        description=_(
            "Villages with an active KIM group or a submission in the period, counted by the village each "
            "submission is about."
        ),
        columns=[
            Column("village", _("Village")),
            Column("district", _("District")),
            Column("active_groups", _("Active KIM groups"), INTEGER),
            *_figure_columns(),
        ],
        rows=[
            {
                "village": row.village.name,
                "district": row.village.district.name,
                "active_groups": row.active_groups,
                **_figures(row.figures),
            }
            for row in rows
        ],
        links=[queue_url(village=row.village.pk) for row in rows],
    )


def quiet_table(rows: list[reports.QuietGroup], *, days: int) -> Table:
    return Table(
        name="kim-diam",
        empty_message=_("No active KIM group has gone that long without a submission."),
        title=_("Quiet KIM groups"),
        description=_(
            "Active KIM groups that sent nothing in the last %(days)d days, counted to today whatever the period: "
            "the quietest first. A group that never sent anything counts from when it was entered in Siar (or its "
            "founding decree); with neither, its days are unknown and it is listed first."
        )
        % {"days": days},
        columns=[
            Column("group", _("KIM group")),
            Column("village", _("Village")),
            Column("district", _("District")),
            Column("contact_name", _("Contact person")),
            Column("contact_phone", _("Contact phone")),
            Column("last_submission_at", _("Last submission"), DATETIME),
            Column("days_quiet", _("Days without a submission"), INTEGER),
        ],
        rows=[
            {
                "group": row.group.name,
                "village": row.group.village.name,
                "district": row.group.village.district.name,
                "contact_name": row.group.contact_name,
                "contact_phone": row.group.contact_phone,
                "last_submission_at": row.last_submission_at,
                "days_quiet": row.days_quiet,
            }
            for row in rows
        ],
        links=[queue_url(group=row.group.pk) for row in rows],
    )


def report_tables(*, first: datetime.date, last: datetime.date, district, quiet_days: int) -> list[Table]:
    since, until = reports.period_bounds(first, last)
    period = {"since": since, "until": until, "district": district}
    return [
        turnaround_table(reports.turnaround_per_state(**period)),
        verdicts_table(reports.verdicts_per_category(**period)),
        groups_table(reports.contributions_per_group(**period)),
        villages_table(reports.contributions_per_village(**period)),
        quiet_table(reports.quiet_groups(days=quiet_days, district=district), days=quiet_days),
    ]


# The page --------------------------------------------------------------------------------------------------


class VerificationReportView(WagtailAdminTemplateMixin, View):
    template_name = "cms/admin/reports.html"
    page_title = gettext_lazy("Verification reports")
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def _export_url(self, export: str, table: str = "") -> str:
        params = self.request.GET.copy()
        params["export"] = export
        params.pop("table", None)
        if table:
            params["table"] = table
        return f"{self.request.path}?{params.urlencode()}"

    def get(self, request):
        # Rendered inside the site's zone: Wagtail would render later in the user's profile zone.
        with timezone.override(site_zone(request)):
            response = self._respond(request)
            if isinstance(response, TemplateResponse):
                response.render()
        return response

    def _respond(self, request):
        form = ReportForm(request.GET)
        if not form.is_valid():
            return TemplateResponse(request, self.template_name, self.get_context_data(form=form, tables=[]))
        data = form.cleaned_data
        tables = report_tables(
            first=data["first"], last=data["last"], district=data["district"], quiet_days=data["quiet_days"]
        )
        export, name = request.GET.get("export"), request.GET.get("table", "")
        if export in ("csv", "xlsx"):
            return self._export(tables, export=export, name=name, first=data["first"], last=data["last"])
        for table in tables:
            table.csv_url, table.xlsx_url = self._export_url("csv", table.name), self._export_url("xlsx", table.name)
        context = self.get_context_data(
            form=form,
            tables=tables,
            first=data["first"],
            last=data["last"],
            district=data["district"],
            workbook_url=self._export_url("xlsx"),
        )
        return TemplateResponse(request, self.template_name, context)

    def _export(self, tables: list[Table], *, export: str, name: str, first, last):
        chosen = [table for table in tables if table.name == name] if name else tables
        if not chosen or (export == "csv" and len(chosen) != 1):
            raise Http404(_("Choose one table to download as CSV."))
        stem = f"laporan-verifikasi{'-' + name if name else ''}-{first:%Y%m%d}-{last:%Y%m%d}"
        if export == "csv":
            return csv_response(chosen[0], filename=f"{stem}.csv")
        return xlsx_response(chosen, filename=f"{stem}.xlsx")


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_reports(request.user)


class VerificationReportViewSet(ViewSet):
    """KIM › Laporan verifikasi, for verifiers and the head of the office (cms.verify_submission)."""

    name = "cms_verification_reports"
    url_prefix = "kim/laporan-verifikasi"
    icon = "table"
    menu_label = gettext_lazy("Verification reports")

    def get_urlpatterns(self):
        return [path("", VerificationReportView.as_view(), name="index")]

    def get_menu_item(self, order=None):
        return ReportMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=order if order is not None else self.menu_order,
        )
