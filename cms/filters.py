"""The verification queue: filters and order of the KIM submissions listing (Kiriman KIM).

Verifiers work the queue daily: what is still open, what has waited longest, which agency answer is overdue.
The dashboard panel links here with the same filters, so its counts are the rows the link shows.
"""

import datetime
import zoneinfo
from urllib.parse import urlencode

import django_filters

from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet

from cms.models import KimSubmission, SiteProfile
from cms.services.verification import OPEN_STATES

S = KimSubmission.Status
QUEUE_URL_NAME = "wagtailsnippets_cms_kimsubmission:list"
OPEN, CLOSED, OVERDUE, TODAY = "open", "closed", "yes", "today"
AGE_DAYS = {"1": 1, "3": 3, "7": 7}
# Open submissions first, oldest first (whoever has waited longest is next); then the closed ones, newest first.
QUEUE_ORDERING = ["queue_closed", "queue_waiting_since", "-created_at", "-pk"]


def open_q() -> Q:
    return Q(status__in=OPEN_STATES)


def overdue_q(now: datetime.datetime) -> Q:
    """Awaiting an agency's confirmation past the deadline the verifier gave it (as counted on the dashboard)."""
    return Q(status=S.AWAITING_CONFIRMATION, confirmation_due_at__lt=now)


def queue_annotate(submissions: QuerySet) -> QuerySet:
    """The keys of QUEUE_ORDERING: closed ones sort after open ones, whose receipt time orders them."""
    return submissions.annotate(
        queue_closed=Case(When(open_q(), then=Value(0)), default=Value(1), output_field=IntegerField()),
        queue_waiting_since=Case(When(open_q(), then="created_at"), default=None),
    )


def queue_url(**params) -> str:
    return reverse(QUEUE_URL_NAME) + (f"?{urlencode(params)}" if params else "")


def site_zone(request) -> zoneinfo.ZoneInfo:
    """The zone of the site (WIB/WITA/WIT). Wagtail's admin views run in the user's profile zone, which falls
    back to settings.TIME_ZONE, not in the one SiteTimezoneMiddleware activated: "today" and a month of the
    office are counted in the office's own zone, the same for everyone."""
    return zoneinfo.ZoneInfo(SiteProfile.for_request(request).time_zone)


def _local_midnight(now: datetime.datetime, zone) -> datetime.datetime:
    return datetime.datetime.combine(timezone.localdate(now, zone), datetime.time.min, tzinfo=zone)


class KimSubmissionFilterSet(WagtailFilterSet):
    queue = django_filters.ChoiceFilter(
        label=_("Queue"),
        choices=[(OPEN, _("Open (waiting for someone)")), (CLOSED, _("Closed"))],
        method="filter_queue",
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    age = django_filters.ChoiceFilter(
        label=_("Waiting since received"),
        choices=[
            (TODAY, _("Received today")),
            ("1", _("More than 1 day")),
            ("3", _("More than 3 days")),
            ("7", _("More than 7 days")),
        ],
        method="filter_age",
        widget=forms.RadioSelect,
        empty_label=_("All"),
        help_text=_("Open submissions only."),
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Agency confirmation"),
        choices=[(OVERDUE, _("Overdue"))],
        method="filter_overdue",
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )

    class Meta:
        model = KimSubmission
        fields = [
            "status",
            "public_status",
            "group",
            "village",
            "village__district",
            "created_at",
            "confirmation_due_at",
        ]

    def filter_queue(self, queryset, name, value):
        return queryset.filter(open_q()) if value == OPEN else queryset.exclude(open_q())

    def filter_age(self, queryset, name, value):
        now = timezone.now()
        if value == TODAY:
            return queryset.filter(open_q(), created_at__gte=_local_midnight(now, site_zone(self.request)))
        return queryset.filter(open_q(), created_at__lte=now - datetime.timedelta(days=AGE_DAYS[value]))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(timezone.now()))
