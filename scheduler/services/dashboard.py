"""Figures of the freshness dashboard: days quiet, posting cadence per week, the per-agency scorecard."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from cms.models import Agency
from scheduler.models import FeedItem, SourceState, WatchedSource

TREND_WEEKS = 12
STATES = [SourceState.FRESH, SourceState.DUE, SourceState.STALE, SourceState.UNREACHABLE]


def active_sources():
    """Watched (not paused) channels, with the moment they went quiet: their newest item, else when watching began."""
    return WatchedSource.objects.filter(is_active=True).annotate(quiet_since=Coalesce("last_item_at", "created_at"))


def days_quiet(source: WatchedSource, now: datetime) -> int:
    return max(0, (now - (source.last_item_at or source.created_at)).days)


def weekly_counts(source_ids, *, now: datetime, weeks: int = TREND_WEEKS) -> dict[int, list[int]]:
    """Items per week for each source over the last `weeks` weeks, oldest week first (the last is the current 7 days).

    An item counts at its publication date, or when it was fetched if the feed gave none.
    """
    start = now - timedelta(weeks=weeks)
    counts: dict[int, list[int]] = {source_id: [0] * weeks for source_id in source_ids}
    items = FeedItem.objects.filter(source_id__in=list(counts)).filter(
        Q(published_at__gt=start) | Q(published_at__isnull=True, fetched_at__gt=start)
    )
    for source_id, published_at, fetched_at in items.values_list("source_id", "published_at", "fetched_at"):
        moment = min(published_at or fetched_at, now)
        age_weeks = int((now - moment) / timedelta(weeks=1))
        if 0 <= age_weeks < weeks:
            counts[source_id][weeks - 1 - age_weeks] += 1
    return counts


def sparkline(counts: list[int]) -> str:
    """Items per week as a tiny inline SVG bar chart (no script), described for screen readers."""
    bar, gap, height = 6, 2, 24
    top = max(counts) or 1
    label = _("Items per week, last %(weeks)d weeks (oldest first): %(counts)s") % {
        "weeks": len(counts),
        "counts": ", ".join(str(count) for count in counts),
    }
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" rx="1"></rect>',
        (
            (
                index * (bar + gap),
                height - max(1, round(count / top * height)) if count else height - 1,
                bar,
                max(1, round(count / top * height)) if count else 1,
            )
            for index, count in enumerate(counts)
        ),
    )
    width = len(counts) * (bar + gap) - gap
    return format_html(
        '<svg class="siar-sparkline" width="{}" height="{}" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'fill="currentColor"><title>{}</title>{}</svg>',
        width,
        height,
        width,
        height,
        label,
        label,
        bars,
    )


@dataclass
class ScoreRow:
    agency: Agency
    channels: int
    fresh: int
    due: int
    stale: int
    unreachable: int
    median_days: float | None

    @property
    def share_fresh(self) -> float:
        return self.fresh / self.channels if self.channels else 0.0

    @property
    def share_fresh_percent(self) -> int:
        return round(self.share_fresh * 100)


def scorecard_agencies():
    """Agencies owning at least one watched channel, with their channels counted by state."""
    active = Q(watched_sources__is_active=True)
    annotations = {
        "channels": Count("watched_sources", filter=active),
        **{f"n_{state}": Count("watched_sources", filter=active & Q(watched_sources__state=state)) for state in STATES},
    }
    return Agency.objects.annotate(**annotations).filter(channels__gt=0).order_by("name")


def scorecard_rows(agencies, *, now: datetime) -> list[ScoreRow]:
    """One row per annotated agency, with the median of its channels' days since the last update."""
    agencies = list(agencies)
    days: dict[int, list[int]] = defaultdict(list)
    sources = active_sources().filter(agency__in=[agency.pk for agency in agencies])
    for agency_id, quiet_since in sources.values_list("agency_id", "quiet_since"):
        days[agency_id].append(max(0, (now - quiet_since).days))
    return [
        ScoreRow(
            agency=agency,
            channels=agency.channels,
            fresh=agency.n_fresh,
            due=agency.n_due,
            stale=agency.n_stale,
            unreachable=agency.n_unreachable,
            median_days=median(days[agency.pk]) if days[agency.pk] else None,
        )
        for agency in agencies
    ]


def state_counts() -> dict[str, int]:
    counts = dict.fromkeys(STATES, 0)
    for state, count in (
        WatchedSource.objects.filter(is_active=True).order_by().values_list("state").annotate(n=Count("pk"))
    ):
        counts[state] = count
    return counts


def stalest(limit: int = 5):
    """The channels quiet the longest (paused ones excepted)."""
    return active_sources().select_related("agency", "kim_group").order_by("quiet_since", "name")[:limit]
