"""Freshness under time travel, failures and recovery, idempotent polling, claiming, the task and the model."""

import threading
from datetime import timedelta

import pytest

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from scheduler.models import FeedItem, PollError, SourceState, StateTransition, WatchedSource
from scheduler.services.feeds import FetchLimits, FetchRequest, feed_fetch
from scheduler.services.freshness import FAILURE_LIMIT, sources_states_refresh
from scheduler.services.polling import LEASE, _sources_claim, source_poll, source_poll_apply, sources_poll_due
from scheduler.tasks import poll_due_sources
from tests.factories import AgencyFactory, KimGroupFactory
from tests.scheduler.feedserver import Entry, Reply, rss20

RSS = {"Content-Type": "application/rss+xml"}
DAY = timedelta(days=1)


def transitions(source):
    return [(t.from_state, t.to_state) for t in source.transitions.order_by("at", "pk")]


def feed_of(*entries):
    return Reply(200, RSS, rss20(list(entries)))


def entry(n, date):
    return Entry(title=f"Kabar desa {n}", link=f"https://desa.example.id/kabar/{n}", guid=f"kabar-{n}", date=date)


@pytest.mark.django_db
def test_a_channel_that_stops_posting_goes_due_then_stale_and_recovers_on_the_next_post(feed_server, fast_limits):
    t0 = timezone.now()
    feed = {"reply": feed_of(entry(1, t0 - timedelta(hours=2)))}
    url = feed_server.add("/desa.xml", lambda headers, hit: feed["reply"])
    source = WatchedSource.objects.create(name="Desa Lubuk Mumpo", url=url, cadence_days=7, created_at=t0)
    assert source.state == SourceState.DUE

    report = source_poll(source_id=source.pk, now=t0)
    assert report.new_items == 1 and report.state == SourceState.FRESH and report.state_changed

    for days in (3, 5, 6):  # within the cadence: nothing changes, however often it is evaluated
        assert sources_states_refresh(now=t0 + days * DAY) == 0
    assert sources_states_refresh(now=t0 + 8 * DAY) == 1
    assert sources_states_refresh(now=t0 + 9 * DAY) == 0
    source.refresh_from_db()
    assert source.state == SourceState.DUE
    # Polls of an unchanged feed do not count as news.
    assert source_poll(source_id=source.pk, now=t0 + 10 * DAY).state == SourceState.DUE
    assert sources_states_refresh(now=t0 + 15 * DAY) == 1
    assert sources_states_refresh(now=t0 + 20 * DAY) == 0
    assert source_poll(source_id=source.pk, now=t0 + 21 * DAY).state == SourceState.STALE

    feed["reply"] = feed_of(entry(2, t0 + 22 * DAY - timedelta(hours=1)), entry(1, t0 - timedelta(hours=2)))
    report = source_poll(source_id=source.pk, now=t0 + 22 * DAY)
    assert report.new_items == 1 and report.state == SourceState.FRESH
    source.refresh_from_db()
    assert source.last_item_at == (t0 + 22 * DAY - timedelta(hours=1)).replace(microsecond=0)  # RFC 822: seconds
    assert transitions(source) == [("due", "fresh"), ("fresh", "due"), ("due", "stale"), ("stale", "fresh")]
    assert [t.at for t in source.transitions.order_by("at")] == [t0, t0 + 8 * DAY, t0 + 15 * DAY, t0 + 22 * DAY]


@pytest.mark.django_db
def test_repeated_failures_make_a_source_unreachable_once_and_a_success_resets_it(feed_server, fast_limits):
    t0 = timezone.now()
    feed = {"reply": Reply(500, {}, b"Internal Server Error")}
    url = feed_server.add("/rusak.xml", lambda headers, hit: feed["reply"])
    source = WatchedSource.objects.create(name="Dinas Rusak", url=url, created_at=t0)

    for attempt in range(1, FAILURE_LIMIT + 3):
        now = t0 + attempt * timedelta(hours=1)
        report = source_poll(source_id=source.pk, now=now)
        source.refresh_from_db()
        assert source.consecutive_failures == attempt
        assert source.last_error_kind == PollError.HTTP and "500" in source.last_error
        assert source.next_poll_at > now
        expected = SourceState.UNREACHABLE if attempt >= FAILURE_LIMIT else SourceState.DUE
        assert report.state == expected
    assert transitions(source) == [("due", "unreachable")]

    feed["reply"] = feed_of(entry(1, t0 + 8 * timedelta(hours=1)))
    report = source_poll(source_id=source.pk, now=t0 + 9 * timedelta(hours=1))
    source.refresh_from_db()
    assert report.state == SourceState.FRESH
    assert source.consecutive_failures == 0 and source.last_error_kind == "" and source.last_error == ""
    assert source.last_ok_at == t0 + 9 * timedelta(hours=1)
    assert transitions(source) == [("due", "unreachable"), ("unreachable", "fresh")]


@pytest.mark.django_db
def test_applying_the_same_poll_twice_stores_nothing_twice(feed_server, fast_limits):
    t0 = timezone.now()
    entries = [entry(n, t0 - n * DAY) for n in range(5)]
    url = feed_server.add("/sama.xml", feed_of(*entries, entries[2]))
    source = WatchedSource.objects.create(name="Dinas Sama", url=url)
    result = feed_fetch(request=FetchRequest(url=url), limits=FetchLimits.from_settings())
    assert len(result.items) == 5, "a duplicate entry within one feed is one item"

    first = source_poll_apply(source_id=source.pk, result=result, now=t0)
    second = source_poll_apply(source_id=source.pk, result=result, now=t0 + timedelta(minutes=1))
    assert (first.new_items, second.new_items) == (5, 0)
    assert FeedItem.objects.filter(source=source).count() == 5
    assert StateTransition.objects.filter(source=source).count() == 1

    item = FeedItem.objects.filter(source=source).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedItem.objects.create(source=source, key=item.key, title="lagi", fetched_at=t0)


@pytest.mark.django_db
def test_a_due_source_is_claimed_by_one_run_only_and_comes_back_after_the_lease():
    now = timezone.now()
    source = WatchedSource.objects.create(name="Dinas Klaim", url="http://127.0.0.1:9/feed.xml", next_poll_at=now)
    WatchedSource.objects.create(name="Dijeda", url="http://127.0.0.1:9/jeda.xml", next_poll_at=now, is_active=False)
    WatchedSource.objects.create(
        name="Halaman", url="http://127.0.0.1:9/halaman", next_poll_at=now, kind=WatchedSource.Kind.PAGE
    )
    assert [source_id for source_id, _ in _sources_claim(now=now, limit=10)] == [source.pk]
    assert _sources_claim(now=now, limit=10) == [], "a second, overlapping run finds nothing to poll"
    # The worker holding it dies: nothing records the poll. Once the lease has passed it is due again.
    assert _sources_claim(now=now + LEASE - timedelta(seconds=1), limit=10) == []
    assert [source_id for source_id, _ in _sources_claim(now=now + LEASE, limit=10)] == [source.pk]


@pytest.mark.django_db
def test_the_periodic_task_polls_what_is_due(feed_server, fast_limits):
    now = timezone.now()
    url = feed_server.add("/tugas.xml", feed_of(entry(1, now - DAY), entry(2, now - 2 * DAY)))
    due = WatchedSource.objects.create(name="Jatuh tempo", url=url, next_poll_at=now - timedelta(minutes=1))
    later = WatchedSource.objects.create(name="Nanti", url=url + "?nanti", next_poll_at=now + timedelta(hours=1))

    assert poll_due_sources.delay().get() == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.items.count() == 2 and due.state == SourceState.FRESH and due.last_polled_at is not None
    assert due.next_poll_at > now and later.last_polled_at is None
    assert poll_due_sources.delay().get() == 0, "polled sources are not due again at once"

    entry_ = settings.CELERY_BEAT_SCHEDULE["poll-due-sources-every-minute"]
    assert entry_["task"] == poll_due_sources.name and entry_["schedule"] == timedelta(minutes=1)
    assert "publish-scheduled-every-minute" in settings.CELERY_BEAT_SCHEDULE
    assert poll_due_sources.time_limit and poll_due_sources.soft_time_limit


@pytest.mark.django_db
def test_a_source_has_one_owner_at_most():
    source = WatchedSource(name="Dua pemilik", url="https://a.example.id/feed", agency=AgencyFactory())
    source.kim_group = KimGroupFactory()
    with pytest.raises(ValidationError) as error:
        source.full_clean()
    assert set(error.value.message_dict) == {"agency", "kim_group"}
    with pytest.raises(IntegrityError), transaction.atomic():
        source.save()
    source.kim_group = None
    source.full_clean()
    source.save()
    assert source.owner == source.agency


@pytest.mark.django_db(transaction=True)
def test_concurrent_polls_of_one_source_store_each_item_once(feed_server, fast_limits):
    """Two workers polling the same source at once (PostgreSQL: real row locks and concurrent inserts)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers: PostgreSQL")
    now = timezone.now()
    url = feed_server.add("/rebutan.xml", feed_of(*[entry(n, now - n * timedelta(hours=1)) for n in range(20)]))
    source = WatchedSource.objects.create(name="Rebutan", url=url)
    barrier = threading.Barrier(4)
    errors = []

    def poll():
        try:
            barrier.wait()
            source_poll(source_id=source.pk, now=now)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()  # each thread's own connection, or the test database cannot be dropped

    threads = [threading.Thread(target=poll) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert FeedItem.objects.filter(source=source).count() == 20
    assert transitions(WatchedSource.objects.get(pk=source.pk)) == [("due", "fresh")]
    assert sources_poll_due(now=now) == [], "polled: not due any more"
