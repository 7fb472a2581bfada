"""Polling watched feeds: which sources are due, polling them concurrently, and recording what came back.

A poll has two halves. `feed_fetch` (scheduler.services.feeds) is the network half and never touches the
database; `source_poll_apply` is the database half: it locks the source row, stores new items (the unique
(source, key) constraint makes a duplicate impossible, even from two concurrent polls), moves the schedule
and the freshness state, and records a state transition — all in one transaction.

Concurrency: `sources_poll_due` runs the network halves in a thread pool inside one Celery task and applies
each result in the task's own thread as it completes. Why a pool in one task rather than one Celery task per
source: polling is waiting on sockets, which threads do well; 300 (or 30,000) messages a minute would swamp
the embedded filesystem broker of a laptop install; and because the threads never touch the database there
is no per-thread connection to open and close, and SQLite (the embedded default) sees a single writer.
Scaling out still works: each run first *claims* its sources (a compare-and-set on next_poll_at that pushes
it a lease ahead), so overlapping runs on several workers never poll the same source twice, and a worker
killed mid-poll loses nothing — its sources become due again when the lease ends.
"""

import logging
import random
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from scheduler.models import FeedItem, PollError, WatchedSource
from scheduler.services.feeds import FetchLimits, FetchRequest, FetchResult, Outcome, ParsedItem, feed_fetch
from scheduler.services.freshness import source_state_apply

logger = logging.getLogger(__name__)

# Adaptive interval (Miniflux's entry-frequency scheduler): a week divided by the items of the last week,
# within these bounds. A quiet source is polled daily; its freshness is still evaluated by time alone.
MIN_INTERVAL = timedelta(minutes=15)
MAX_INTERVAL = timedelta(hours=24)
BACKOFF_BASE = timedelta(minutes=15)  # 15 min, 30 min, 1 h, 2 h, 4 h … capped at MAX_INTERVAL, ±25 % jitter
RETRY_AFTER_MIN = timedelta(minutes=1)
RETRY_AFTER_MAX = timedelta(hours=24)
LEASE = timedelta(minutes=10)  # longer than any single poll (FetchLimits.total_timeout) by far
BATCH = 500  # sources claimed per run; the rest are due next minute
STORE_CHUNK = 500

_random = random.SystemRandom()


@dataclass(frozen=True)
class PollReport:
    source_id: int
    outcome: Outcome
    new_items: int
    state: str
    state_changed: bool


def _clamp(value: timedelta, low: timedelta, high: timedelta) -> timedelta:
    return max(low, min(high, value))


def poll_interval_adaptive(*, items_last_week: int) -> timedelta:
    if items_last_week <= 0:
        return MAX_INTERVAL
    return _clamp(timedelta(days=7) / items_last_week, MIN_INTERVAL, MAX_INTERVAL)


def backoff_delay(*, failures: int) -> timedelta:
    """Exponential backoff with jitter, so sources that failed together do not all retry together."""
    delay = min(MAX_INTERVAL, BACKOFF_BASE * 2 ** min(max(failures, 1) - 1, 16))
    return _clamp(delay * _random.uniform(0.75, 1.25), MIN_INTERVAL, MAX_INTERVAL)


def sources_due(*, now: datetime) -> QuerySet[WatchedSource]:
    """Active feed sources whose next poll time has come, oldest first."""
    return WatchedSource.objects.filter(is_active=True, kind=WatchedSource.Kind.FEED, next_poll_at__lte=now).order_by(
        "next_poll_at", "pk"
    )


def _items_store(*, source: WatchedSource, items: list[ParsedItem], now: datetime) -> list[ParsedItem]:
    """Insert the items not stored yet; returns those. The unique constraint settles any race."""
    new: list[ParsedItem] = []
    for start in range(0, len(items), STORE_CHUNK):
        chunk = items[start : start + STORE_CHUNK]
        existing = set(
            FeedItem.objects.filter(source=source, key__in=[item.key for item in chunk]).values_list("key", flat=True)
        )
        new.extend(item for item in chunk if item.key not in existing)
    FeedItem.objects.bulk_create(
        [
            FeedItem(
                source=source,
                key=item.key,
                title=item.title,
                link=item.link,
                summary=item.summary,
                published_at=item.published_at,
                fetched_at=now,
            )
            for item in new
        ],
        ignore_conflicts=True,
        batch_size=STORE_CHUNK,
    )
    return new


def _newest_item_at(*, items: Iterable[ParsedItem], new_keys: set[str], now: datetime) -> datetime | None:
    """The date of the newest item, as far as it can be trusted.

    A date in the future (a wrong clock, a scheduled post) counts as "now" when the item first appears and is
    ignored afterwards, or such a feed would look fresh for ever; an undated new item counts as "now".
    """
    newest = None
    for item in items:
        if item.published_at is not None and item.published_at <= now:
            moment = item.published_at
        elif item.key in new_keys:
            moment = now
        else:
            continue
        newest = moment if newest is None or moment > newest else newest
    return newest


def _items_last_week(*, source: WatchedSource, now: datetime) -> int:
    return (
        FeedItem.objects.filter(source=source)
        .annotate(seen=Coalesce("published_at", "fetched_at"))
        .filter(seen__gt=now - timedelta(days=7), seen__lte=now)
        .count()
    )


def source_poll_apply(*, source_id: int, result: FetchResult, now: datetime) -> PollReport:
    """Record one poll's result: items, validators, schedule, failures and freshness, atomically."""
    with transaction.atomic():
        source = WatchedSource.objects.select_for_update().get(pk=source_id)
        source.last_polled_at = now
        source.last_status = result.status
        new_items: list[ParsedItem] = []
        if result.outcome in (Outcome.OK, Outcome.NOT_MODIFIED):
            if result.outcome == Outcome.OK:
                new_items = _items_store(source=source, items=result.items, now=now)
                source.etag, source.last_modified = result.etag, result.last_modified
                newest = _newest_item_at(items=result.items, new_keys={item.key for item in new_items}, now=now)
                if newest and (source.last_item_at is None or newest > source.last_item_at):
                    source.last_item_at = newest
            source.consecutive_failures = 0
            source.last_error_kind, source.last_error_detail = PollError.NONE, ""
            source.last_ok_at = now
            source.poll_interval = poll_interval_adaptive(items_last_week=_items_last_week(source=source, now=now))
            source.next_poll_at = now + source.poll_interval
        elif result.outcome == Outcome.DEFERRED:
            # Rate limited: the site is there and answering; wait as asked, without counting a failure.
            source.last_error_kind, source.last_error_detail = result.error, result.detail
            delay = result.retry_after
            if delay is None:
                delay = backoff_delay(failures=source.consecutive_failures + 1)
            source.next_poll_at = now + _clamp(delay, RETRY_AFTER_MIN, RETRY_AFTER_MAX)
        else:
            source.consecutive_failures += 1
            source.last_error_kind, source.last_error_detail = result.error, result.detail
            if result.retry_after is not None:  # 503 with Retry-After: the site says when to come back
                source.next_poll_at = now + _clamp(result.retry_after, RETRY_AFTER_MIN, RETRY_AFTER_MAX)
            else:
                source.next_poll_at = now + backoff_delay(failures=source.consecutive_failures)
        changed = source_state_apply(source=source, now=now)
        source.save()
    return PollReport(
        source_id=source_id,
        outcome=result.outcome,
        new_items=len(new_items),
        state=source.state,
        state_changed=changed,
    )


def _fetch(request: FetchRequest, limits: FetchLimits) -> FetchResult:
    try:
        return feed_fetch(request=request, limits=limits)
    except Exception as error:  # a parser bug must cost one source one poll, never the whole round
        logger.exception("Polling %s failed unexpectedly", request.url)
        return FetchResult(outcome=Outcome.FAILED, error=PollError.NOT_A_FEED, detail=repr(error)[:300])


def source_poll(*, source_id: int, now: datetime | None = None, limits: FetchLimits | None = None) -> PollReport:
    """Poll one source now, due or not (the admin's "poll now", tests, a first poll after adding it)."""
    source = WatchedSource.objects.get(pk=source_id)
    request = FetchRequest(url=source.url, etag=source.etag, last_modified=source.last_modified)
    result = _fetch(request, limits or FetchLimits.from_settings())
    return source_poll_apply(source_id=source_id, result=result, now=now or timezone.now())


def _sources_claim(*, now: datetime, limit: int) -> list[tuple[int, FetchRequest]]:
    """Take due sources for this run: pushing next_poll_at a lease ahead succeeds for exactly one run."""
    claimed = []
    for pk, url, etag, last_modified in sources_due(now=now).values_list("pk", "url", "etag", "last_modified")[:limit]:
        if WatchedSource.objects.filter(pk=pk, next_poll_at__lte=now).update(next_poll_at=now + LEASE):
            claimed.append((pk, FetchRequest(url=url, etag=etag, last_modified=last_modified)))
    return claimed


def sources_poll_due(
    *,
    now: datetime | None = None,
    max_workers: int = 8,
    limit: int = BATCH,
    limits: FetchLimits | None = None,
) -> list[PollReport]:
    """Poll every due source, `max_workers` at a time; returns one report per source polled."""
    now = now or timezone.now()
    limits = limits or FetchLimits.from_settings()
    claimed = _sources_claim(now=now, limit=limit)
    if not claimed:
        return []
    reports = []
    with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(claimed))), thread_name_prefix="siar-poll") as pool:
        futures = {pool.submit(_fetch, request, limits): source_id for source_id, request in claimed}
        for future in as_completed(futures):
            source_id = futures[future]
            try:
                reports.append(source_poll_apply(source_id=source_id, result=future.result(), now=now))
            except Exception:  # the lease brings this source back later; the others go on
                logger.exception("Recording the poll of watched source %s failed", source_id)
    return reports
