"""Freshness of watched channels: the state as a pure function, and recording its changes exactly once."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from scheduler.models import SourceState, StateTransition, WatchedSource

# After this many failed polls in a row a source is unreachable (Miniflux stops at 3, Uptime Kuma retries
# before DOWN; 5 with exponential backoff is about eight hours of trying).
FAILURE_LIMIT = 5
# Quiet for more than the cadence: due. Quiet for more than this many cadences: stale.
STALE_FACTOR = 2


def source_state(
    *,
    last_item_at: datetime | None,
    cadence_days: int,
    consecutive_failures: int,
    now: datetime,
    watched_since: datetime | None = None,
    failure_limit: int = FAILURE_LIMIT,
) -> SourceState:
    """fresh / due / stale / unreachable, from the newest item's date and the failures in a row.

    A source that has never shown an item is measured from when watching began: it is due (we are waiting
    for its first post) until twice its cadence has passed, then stale — a channel created and never used is
    exactly the quiet death the field studies describe.
    """
    if consecutive_failures >= failure_limit:
        return SourceState.UNREACHABLE
    reference = last_item_at or watched_since
    if reference is None:
        return SourceState.STALE
    cadence = timedelta(days=max(1, cadence_days))
    age = now - reference
    if last_item_at is not None and age <= cadence:
        return SourceState.FRESH
    if age <= cadence * STALE_FACTOR:
        return SourceState.DUE
    return SourceState.STALE


def source_state_apply(*, source: WatchedSource, now: datetime) -> bool:
    """Set source.state from its fields; record a transition if it changed. Does not save the source.

    Call it inside the transaction that holds the source's row lock (select_for_update), and save the source
    in the same transaction: then two concurrent evaluations cannot both record the same change.
    """
    new_state = source_state(
        last_item_at=source.last_item_at,
        cadence_days=source.cadence_days,
        consecutive_failures=source.consecutive_failures,
        now=now,
        watched_since=source.created_at,
    )
    if new_state == source.state:
        return False
    StateTransition.objects.create(source=source, from_state=source.state, to_state=new_state, at=now)
    source.state = new_state
    return True


def sources_states_refresh(*, now: datetime | None = None) -> int:
    """Re-evaluate every watched source without polling (time alone turns fresh into due and stale).

    Returns the number of state changes recorded.
    """
    now = now or timezone.now()
    fields = ("pk", "state", "last_item_at", "cadence_days", "consecutive_failures", "created_at")
    changed = 0
    for source in WatchedSource.objects.filter(is_active=True).only(*fields).iterator(chunk_size=2000):
        computed = source_state(
            last_item_at=source.last_item_at,
            cadence_days=source.cadence_days,
            consecutive_failures=source.consecutive_failures,
            now=now,
            watched_since=source.created_at,
        )
        if computed == source.state:
            continue  # the common case: no lock, no write
        with transaction.atomic():
            locked = WatchedSource.objects.select_for_update().get(pk=source.pk)
            if source_state_apply(source=locked, now=now):
                locked.save(update_fields=["state"])
                changed += 1
    return changed
