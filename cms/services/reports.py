"""Figures of the verification reports (selectors: they only read).

What the head of the office shows at the monthly meeting and what verifiers look at to see their own pace:
how long a submission spends in each state, which verdicts and hoax categories were decided, which KIM
groups and villages contribute, and which groups have gone quiet so the office can phone them.

Every function takes the period as a half-open range of aware datetimes [since, until) and an optional
district. Counting is done by the database (grouped aggregates, one query per figure); only the medians and
percentiles are taken in Python, from the durations of the period, because SQLite has no percentile function.
"""

import datetime
import math
from dataclasses import dataclass
from statistics import median

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.models import ModelLogEntry

from cms.models import District, HoaxCategory, KimGroup, KimSubmission, NewsPage, Verdict, VerdictChoice, Village
from cms.models.verification import VerificationEvent
from cms.services.verification import OPEN_STATES

S = KimSubmission.Status
PUBLISHED_STATES = (S.PUBLISHED_INFORMATION, S.PUBLISHED_CLARIFICATION)
# A submission in one of these states reached the public at some point (corrections and withdrawals follow it).
WAS_PUBLISHED_STATES = (*PUBLISHED_STATES, S.CORRECTED, S.WITHDRAWN)
QUIET_DAYS = 30

# The periods offered on the report page.
PERIOD_THIS_MONTH = "this_month"
PERIOD_LAST_MONTH = "last_month"
PERIOD_LAST_90_DAYS = "90_days"
PERIOD_CUSTOM = "custom"


# Periods ---------------------------------------------------------------------------------------------------


def period_days(*, choice: str, today: datetime.date, first=None, last=None) -> tuple[datetime.date, datetime.date]:
    """The first and last day (both included) of a period chosen on the report page."""
    if choice == PERIOD_LAST_MONTH:
        last_day = today.replace(day=1) - datetime.timedelta(days=1)
        return last_day.replace(day=1), last_day
    if choice == PERIOD_LAST_90_DAYS:
        return today - datetime.timedelta(days=89), today
    if choice == PERIOD_CUSTOM:
        return first, last
    return today.replace(day=1), today


def period_bounds(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[since, until) from local midnight of the first day to local midnight after the last, in the active zone."""
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return since, until


# Statistics ------------------------------------------------------------------------------------------------


def percentile(values: list, fraction: float):
    """Nearest-rank percentile: the smallest value with at least ``fraction`` of the values at or below it.

    Chosen over interpolation because it reads plainly at a meeting: "nine in ten were done within 30 hours",
    and 30 hours is a time one submission really took.
    """
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


@dataclass(frozen=True)
class Turnaround:
    key: str
    label: str
    count: int
    median: datetime.timedelta | None
    p90: datetime.timedelta | None


def _turnaround(key: str, label: str, durations: list) -> Turnaround:
    durations = [duration for duration in durations if duration is not None]
    return Turnaround(
        key=key,
        label=str(label),
        count=len(durations),
        median=median(durations) if durations else None,
        p90=percentile(durations, 0.9),
    )


# Turnaround ------------------------------------------------------------------------------------------------


def submissions_received(*, since, until, district: District | None = None) -> QuerySet:
    """Submissions received in the period, about a village of the district if one is given."""
    submissions = KimSubmission.objects.filter(created_at__gte=since, created_at__lt=until)
    if district is not None:
        submissions = submissions.filter(village__district=district)
    return submissions


def _state_stays(submissions: QuerySet) -> QuerySet:
    """(state, total time) per submission and working state, from the audit trail.

    Each event that leaves a state ends a stay that began with the latest earlier event entering it (for
    Received: when the submission arrived). A state visited twice (awaiting an agency, back in verification,
    awaiting again) counts its visits together. Stays not yet ended are not counted: their length is unknown.
    """
    entered = (
        VerificationEvent.objects.filter(submission_id=OuterRef("submission_id"), to_state=OuterRef("from_state"))
        .filter(Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), pk__lt=OuterRef("pk")))
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    return (
        VerificationEvent.objects.filter(submission__in=submissions, from_state__in=OPEN_STATES, to_state__in=S.values)
        .annotate(
            entered_at=Coalesce(Subquery(entered), Case(When(from_state=S.RECEIVED, then=F("submission__created_at"))))
        )
        .annotate(spent=ExpressionWrapper(F("at") - F("entered_at"), output_field=DurationField()))
        .order_by()
        .values("submission_id", "from_state")
        .annotate(total=Sum("spent"))
        .values_list("from_state", "total")
    )


def turnaround_per_state(*, since, until, district: District | None = None) -> list[Turnaround]:
    """Median and 90th percentile of the time submissions received in the period spent in each working state,
    then from receipt to the verdict and from receipt to publication."""
    submissions = submissions_received(since=since, until=until, district=district)
    per_state: dict[str, list] = {state: [] for state in OPEN_STATES}
    for state, total in _state_stays(submissions):
        per_state[state].append(total)
    rows = [_turnaround(state, S(state).label, per_state[state]) for state in OPEN_STATES]
    to_verdict = (
        Verdict.objects.filter(submission__in=submissions)
        .annotate(took=ExpressionWrapper(F("decided_at") - F("submission__created_at"), output_field=DurationField()))
        .values_list("took", flat=True)
    )
    to_publication = (
        submissions.order_by()
        .annotate(published_at=Min("events__at", filter=Q(events__to_state__in=PUBLISHED_STATES)))
        .filter(published_at__isnull=False)
        .annotate(took=ExpressionWrapper(F("published_at") - F("created_at"), output_field=DurationField()))
        .values_list("took", flat=True)
    )
    rows.append(_turnaround("received_to_verdict", _("Received → verdict"), list(to_verdict)))
    rows.append(_turnaround("received_to_published", _("Received → published"), list(to_publication)))
    return rows


# Verdicts --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerdictCount:
    verdict: str
    verdict_label: str
    category: str
    category_label: str
    submissions: int
    news_versions: int

    @property
    def total(self) -> int:
        return self.submissions + self.news_versions


def verdicts_per_category(*, since, until, district: District | None = None) -> list[VerdictCount]:
    """Verdicts decided in the period by verdict and hoax category, on submissions and on news versions.

    A verdict carried over (onto the draft made from a submission, or onto an unchanged revision) repeats a
    decision already counted, so only original verdicts count. With a district: submissions about its
    villages and news items filed under it.
    """
    verdicts = Verdict.objects.filter(carried_from__isnull=True, decided_at__gte=since, decided_at__lt=until)
    if district is not None:
        pages = NewsPage.objects.filter(district=district).annotate(key=Cast("pk", CharField())).values("key")
        verdicts = verdicts.filter(Q(submission__village__district=district) | Q(revision__object_id__in=pages))
    counts = (
        verdicts.order_by()
        .values("verdict", "category")
        .annotate(
            submissions=Count("pk", filter=Q(submission__isnull=False)),
            news_versions=Count("pk", filter=Q(revision__isnull=False)),
        )
    )
    verdict_order, category_order = list(VerdictChoice.values), ["", *HoaxCategory.values]
    rows = [
        VerdictCount(
            verdict=row["verdict"],
            verdict_label=str(VerdictChoice(row["verdict"]).label),
            category=row["category"],
            category_label=str(HoaxCategory(row["category"]).label) if row["category"] else "",
            submissions=row["submissions"],
            news_versions=row["news_versions"],
        )
        for row in counts
    ]
    return sorted(rows, key=lambda row: (verdict_order.index(row.verdict), category_order.index(row.category)))


# Contributions ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contribution:
    submitted: int = 0
    published: int = 0
    rejected: int = 0
    hoax: int = 0
    last_submission_at: datetime.datetime | None = None


def _submissions_of(*, key: str, district: District | None) -> QuerySet:
    """Submissions of the district's groups (key "group") or about its villages (key "village")."""
    submissions = KimSubmission.objects.all()
    if district is not None:
        scope = {"group": "group__village__district", "village": "village__district"}[key]
        submissions = submissions.filter(**{scope: district})
    return submissions


def _contribution_counts(*, key: str, since, until, district: District | None) -> dict[int, Contribution]:
    """Per group or village (``key``): submissions in the period, and the last one before the period's end."""
    received = _submissions_of(key=key, district=district).filter(created_at__gte=since, created_at__lt=until)
    before_end = _submissions_of(key=key, district=district).filter(created_at__lt=until)
    counts = (
        received.order_by()
        .values(key)
        .annotate(
            submitted=Count("pk", distinct=True),
            published=Count("pk", distinct=True, filter=Q(status__in=WAS_PUBLISHED_STATES)),
            rejected=Count("pk", distinct=True, filter=Q(status=S.REJECTED)),
            hoax=Count("pk", distinct=True, filter=Q(verdicts__verdict=VerdictChoice.FALSE)),
        )
    )
    counted = {row.pop(key): row for row in counts}
    last = dict(before_end.order_by().values(key).annotate(last=Max("created_at")).values_list(key, "last"))
    return {
        pk: Contribution(**counted.get(pk, {}), last_submission_at=last.get(pk)) for pk in counted.keys() | last.keys()
    }


@dataclass(frozen=True)
class GroupContribution:
    group: KimGroup
    figures: Contribution


@dataclass(frozen=True)
class VillageContribution:
    village: Village
    active_groups: int
    figures: Contribution


def contributions_per_group(*, since, until, district: District | None = None) -> list[GroupContribution]:
    """Every active KIM group (of the district's villages), and any other that sent something in the period:
    submitted, published, rejected at triage, rated a hoax (False), and when it last sent anything."""
    figures = _contribution_counts(key="group", since=since, until=until, district=district)
    sent = _submissions_of(key="group", district=district).filter(created_at__gte=since, created_at__lt=until)
    groups = KimGroup.objects.filter(Q(is_active=True) | Q(pk__in=sent.values("group"))).select_related(
        "village__district"
    )
    if district is not None:
        groups = groups.filter(village__district=district)
    rows = [GroupContribution(group=group, figures=figures.get(group.pk, Contribution())) for group in groups]
    return sorted(rows, key=lambda row: (-row.figures.submitted, row.group.name.lower()))


def contributions_per_village(*, since, until, district: District | None = None) -> list[VillageContribution]:
    """Villages with an active KIM group or a submission about them in the period, counted by the village the
    submission is about (a group may write about a neighbouring village)."""
    figures = _contribution_counts(key="village", since=since, until=until, district=district)
    sent = _submissions_of(key="village", district=district).filter(created_at__gte=since, created_at__lt=until)
    villages = (
        Village.objects.annotate(active_groups=Count("kim_groups", filter=Q(kim_groups__is_active=True)))
        .filter(Q(active_groups__gt=0) | Q(pk__in=sent.values("village")))
        .select_related("district")
    )
    if district is not None:
        villages = villages.filter(district=district)
    rows = [
        VillageContribution(
            village=village, active_groups=village.active_groups, figures=figures.get(village.pk, Contribution())
        )
        for village in villages
    ]
    return sorted(
        rows, key=lambda row: (-row.figures.submitted, row.village.district.name.lower(), row.village.name.lower())
    )


# Quiet groups ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuietGroup:
    group: KimGroup
    last_submission_at: datetime.datetime | None
    quiet_since: datetime.datetime | datetime.date | None
    days_quiet: int | None


def _registered_at() -> Subquery:
    """When the group was entered in Siar (its admin creation log entry); KimGroup keeps no creation time."""
    return Subquery(
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(KimGroup),
            object_id=Cast(OuterRef("pk"), CharField()),
            action="wagtail.create",
        )
        .order_by("timestamp")
        .values("timestamp")[:1]
    )


def _days_since(moment, now: datetime.datetime) -> int | None:
    if moment is None:
        return None
    if isinstance(moment, datetime.datetime):
        return max(0, (now - moment).days)
    return max(0, (timezone.localdate(now) - moment).days)


def quiet_groups(*, now: datetime.datetime | None = None, days: int = QUIET_DAYS, district=None) -> list[QuietGroup]:
    """Active KIM groups that sent nothing in the last ``days`` days, the quietest first, with their contact.

    Quiet since their last submission; a group that never sent anything is quiet since it was entered in Siar
    (else since its founding decree; else unknown, listed first: the office has never heard from it).
    """
    now = now or timezone.now()
    groups = (
        KimGroup.objects.filter(is_active=True)
        .annotate(last_at=Max("submissions__created_at"), registered_at=_registered_at())
        .filter(Q(last_at__isnull=True) | Q(last_at__lt=now - datetime.timedelta(days=days)))
        .select_related("village__district")
    )
    if district is not None:
        groups = groups.filter(village__district=district)
    rows = []
    for group in groups:
        since = group.last_at or group.registered_at or group.decree_date
        rows.append(
            QuietGroup(
                group=group, last_submission_at=group.last_at, quiet_since=since, days_quiet=_days_since(since, now)
            )
        )
    # Unknown first (never heard from, no date to count from), then the longest quiet.
    return sorted(rows, key=lambda row: (row.days_quiet is not None, -(row.days_quiet or 0), row.group.name.lower()))
