"""The pure parts of feed watching: freshness state, plain text, safe links, schedules, entry identity."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from scheduler.models import SourceState
from scheduler.services.feeds import entry_key, parse_retry_after, plain_text, safe_link
from scheduler.services.freshness import FAILURE_LIMIT, source_state
from scheduler.services.polling import MAX_INTERVAL, MIN_INTERVAL, backoff_delay, poll_interval_adaptive

NOW = datetime(2025, 6, 1, 3, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("last_item_age", "failures", "watched_for", "expected"),
    [
        (timedelta(hours=1), 0, None, SourceState.FRESH),
        (7 * DAY, 0, None, SourceState.FRESH),  # exactly one cadence: still fresh
        (7 * DAY + timedelta(seconds=1), 0, None, SourceState.DUE),
        (14 * DAY, 0, None, SourceState.DUE),
        (14 * DAY + timedelta(seconds=1), 0, None, SourceState.STALE),
        (400 * DAY, 0, None, SourceState.STALE),
        (timedelta(hours=1), FAILURE_LIMIT - 1, None, SourceState.FRESH),  # failing, not yet unreachable
        (timedelta(hours=1), FAILURE_LIMIT, None, SourceState.UNREACHABLE),
        (400 * DAY, FAILURE_LIMIT + 3, None, SourceState.UNREACHABLE),
        (None, 0, DAY, SourceState.DUE),  # watched since yesterday, no post yet: waiting for it
        (None, 0, 15 * DAY, SourceState.STALE),  # created and never used
        (None, 0, None, SourceState.STALE),
        (-DAY, 0, None, SourceState.FRESH),  # a date in the future is not "older than the cadence"
    ],
)
def test_source_state(last_item_age, failures, watched_for, expected):
    state = source_state(
        last_item_at=None if last_item_age is None else NOW - last_item_age,
        cadence_days=7,
        consecutive_failures=failures,
        now=NOW,
        watched_since=None if watched_for is None else NOW - watched_for,
    )
    assert state == expected


def test_source_state_follows_the_cadence():
    assert source_state(last_item_at=NOW - 2 * DAY, cadence_days=1, consecutive_failures=0, now=NOW) == "due"
    assert source_state(last_item_at=NOW - 2 * DAY, cadence_days=30, consecutive_failures=0, now=NOW) == "fresh"
    assert source_state(last_item_at=NOW - 3 * DAY, cadence_days=1, consecutive_failures=0, now=NOW) == "stale"
    assert (
        source_state(last_item_at=NOW, cadence_days=7, consecutive_failures=2, now=NOW, failure_limit=2)
        == "unreachable"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Pelayanan KTP keliling", "Pelayanan KTP keliling"),
        ("<script>alert(1)</script>Judul &amp;amp; isi", "Judul & isi"),
        ("&lt;b&gt;Tebal&lt;/b&gt; &amp;lt;script&amp;gt;x()&amp;lt;/script&amp;gt;biasa", "Tebal biasa"),
        ("<img src=x onerror=alert(1)> Halo &nbsp; dunia", "Halo dunia"),
        ("<p>Paragraf satu</p><p>Paragraf dua</p>", "Paragraf satu Paragraf dua"),
        ("<b>Ke</b>bersihan", "Kebersihan"),
        ("&#60;script&#62;alert(1)&#60;/script&#62;Aman", "Aman"),
        ("<style>p{color:red}</style><p onclick='x()'>Teks</p>", "Teks"),
        ("Nilai a < b dan c > d", "Nilai a < b dan c > d"),  # not markup: kept as the text it is
        ("Tani & Nelayan, R&D", "Tani & Nelayan, R&D"),
        ("  baris\n\n\tbaru\u200b  ", "baris baru"),
        ("Rapat \u201cMusrenbang\u201d \u2013 caf\xe9", "Rapat \u201cMusrenbang\u201d \u2013 caf\xe9"),
        ("", ""),
        (None, ""),
    ],
)
def test_plain_text(raw, expected):
    assert plain_text(raw, max_length=300) == expected


def test_plain_text_caps_length():
    text = plain_text("kata " * 500, max_length=100)
    assert len(text) == 100 and text.endswith("…")


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://dinas.example.go.id/berita/1", "https://dinas.example.go.id/berita/1"),
        (" http://desa.example.id/?a=1&b=2 ", "http://desa.example.id/?a=1&b=2"),
        ("javascript:alert(1)", ""),
        ("  JaVaScRiPt:alert(1)", ""),
        ("java\tscript:alert(1)", ""),
        ("java\nscript:alert(1)", ""),
        ("data:text/html;base64,PHNjcmlwdD4=", ""),
        ("vbscript:msgbox(1)", ""),
        ("ftp://files.example.id/a.pdf", ""),
        ("/berita/relatif", ""),
        ("//cdn.example.id/x", ""),
        ("https:///tanpa-host", ""),
        ("https://" + "a" * 1000 + ".id/", ""),
        ("", ""),
    ],
)
def test_safe_link(link, expected):
    assert safe_link(link) == expected


def test_retry_after_in_seconds_or_as_a_date():
    assert parse_retry_after("120") == timedelta(seconds=120)
    assert parse_retry_after(format_datetime(NOW + timedelta(minutes=5), usegmt=True), now=NOW) == timedelta(minutes=5)
    assert parse_retry_after(format_datetime(NOW - DAY, usegmt=True), now=NOW) == timedelta(0)
    assert parse_retry_after("besok pagi") is None
    assert parse_retry_after("") is None
    assert parse_retry_after(None) is None


def test_adaptive_interval_follows_the_posting_rate():
    assert poll_interval_adaptive(items_last_week=0) == MAX_INTERVAL
    assert poll_interval_adaptive(items_last_week=1) == MAX_INTERVAL  # a week, capped at a day
    assert poll_interval_adaptive(items_last_week=28) == timedelta(hours=6)
    assert poll_interval_adaptive(items_last_week=10_000) == MIN_INTERVAL


def test_backoff_grows_exponentially_with_jitter_and_stays_bounded():
    for failures, base in ((1, timedelta(minutes=15)), (2, timedelta(minutes=30)), (5, timedelta(hours=4))):
        delays = {backoff_delay(failures=failures) for _ in range(50)}
        assert all(max(MIN_INTERVAL, base * 0.75) <= delay <= base * 1.25 for delay in delays)
        assert len(delays) > 1, "jitter: sources that failed together do not retry together"
    assert all(backoff_delay(failures=40) <= MAX_INTERVAL for _ in range(50))


def test_entry_identity_prefers_guid_then_link_then_title_and_date():
    by_guid = entry_key(entry_id="urn:1", link="https://a.id/1", title="A", published_at=NOW, summary="")
    assert by_guid == entry_key(entry_id="urn:1", link="https://a.id/other", title="B", published_at=None, summary="")
    by_link = entry_key(entry_id="", link="https://a.id/1", title="A", published_at=NOW, summary="")
    assert by_link == entry_key(entry_id="", link="https://a.id/1", title="B", published_at=None, summary="x")
    assert by_link != by_guid
    by_text = entry_key(entry_id="", link="", title="A", published_at=NOW, summary="")
    assert by_text != entry_key(entry_id="", link="", title="A", published_at=NOW + DAY, summary="")
    assert len(by_text) == 64
