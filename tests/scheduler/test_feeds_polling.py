"""Polling 300+ feeds in the shapes found in the wild, from a local server, through the real poller.

Five rounds of `sources_poll_due`, a simulated 25 hours apart (so every source is due again each round):
the first stores items; the others exercise conditional GET (304), de-duplication, updated feeds, backoff and
the road to "unreachable" (five failures in a row). Then every source must be in the right state with the
right items and exactly the expected state transitions, and nothing stored may carry HTML or unsafe links.
"""

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from django.utils import timezone

from scheduler.models import FeedItem, PollError, SourceState, StateTransition, WatchedSource
from scheduler.services.polling import MAX_INTERVAL, MIN_INTERVAL, sources_poll_due
from tests.scheduler.feedserver import Entry, Reply, atom, closed_port_url, gzipped, rss10, rss20, youtube

ROUNDS = 5
STEP = timedelta(hours=25)  # longer than the longest poll interval or backoff: every source is due each round
DUE, FRESH, STALE, UNREACHABLE = SourceState.DUE, SourceState.FRESH, SourceState.STALE, SourceState.UNREACHABLE
# Newest item's age at the first round, by the state it must produce (cadence 7 days); after 4 more steps
# (100 h) each is still in the same state.
AGE = {FRESH: timedelta(days=1), DUE: timedelta(days=9), STALE: timedelta(days=40)}
TRANSITIONS = {FRESH: [(DUE, FRESH)], DUE: [], STALE: [(DUE, STALE)]}
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
ATOM = {"Content-Type": "application/atom+xml; charset=utf-8"}


@dataclass
class Case:
    name: str
    url: str
    path: str
    state: str
    items: int
    failures: int = 0
    transitions: list = field(default_factory=list)
    validators: str = ""  # "etag", "lastmod" or "both": the source must revalidate and get 304s
    retry_after: timedelta | None = None  # next_poll_at after the first round, if the server said when
    error: str = ""
    titles: set[str] = field(default_factory=set)  # titles that must be stored exactly like this


def entries(prefix: str, count: int, *, newest: datetime | None, dated=True, guid=True, link=True) -> list[Entry]:
    return [
        Entry(
            title=f"{prefix}: pelayanan KTP keliling ke-{n} di Desa Tanjung Agung",
            link=f"https://dinas.example.go.id/{prefix}/berita-{n}" if link else "",
            guid=f"{prefix}-{n}" if guid else "",
            summary=f"Tim Disdukcapil melayani perekaman KTP-el, putaran {n}.",
            date=(newest - timedelta(days=n)) if (dated and newest) else None,
        )
        for n in range(count)
    ]


class Cases:
    def __init__(self, server, now: datetime):
        self.server = server
        self.now = now
        self.cases: list[Case] = []

    def add(self, name: str, route, **expected) -> Case:
        path = f"/{name}.xml"
        case = Case(name=name, url=self.server.add(path, route), path=path, **expected)
        self.cases.append(case)
        return case

    def by_state(self, index: int) -> str:
        return (FRESH, DUE, STALE)[index % 3]

    def ok(self, name: str, route, state: str, items: int, **extra) -> Case:
        return self.add(name, route, state=state, items=items, transitions=TRANSITIONS[state], **extra)

    def failing(self, name: str, route, error: PollError, **extra) -> Case:
        return self.add(
            name,
            route,
            state=UNREACHABLE,
            items=0,
            failures=ROUNDS,
            transitions=[(DUE, UNREACHABLE)],
            error=error.value,
            **extra,
        )


def build_cases(server, now: datetime) -> list[Case]:  # noqa: C901 — one table of the wild, kept in one place
    c = Cases(server, now)

    def newest(state):
        return now - AGE[state]

    # Well-formed feeds of every format, in all three freshness states, 1…12 items.
    for i in range(60):
        state, n = c.by_state(i), 1 + i % 12
        c.ok(f"rss20-{i}", Reply(200, RSS, rss20(entries(f"rss20-{i}", n, newest=newest(state)))), state, n)
    for i in range(40):
        state, n = c.by_state(i), 1 + i % 12
        c.ok(f"atom-{i}", Reply(200, ATOM, atom(entries(f"atom-{i}", n, newest=newest(state)))), state, n)
    for i in range(20):
        state, n = c.by_state(i), 1 + i % 9
        body = rss10(entries(f"rdf-{i}", n, newest=newest(state)))
        c.ok(f"rss10-{i}", Reply(200, {"Content-Type": "application/rdf+xml"}, body), state, n)
    for i in range(25):
        state, n = c.by_state(i), 1 + i % 15
        videos = [
            Entry(
                title=f"Siaran pers Bupati #{k} &amp; jajaran",
                guid=f"v{i:03d}x{k:06d}",
                summary="Rapat koordinasi <b>penanganan banjir</b>",
                date=newest(state) - timedelta(hours=k),
            )
            for k in range(n)
        ]
        body = youtube(videos, channel_id=f"UCsiar{i:018d}")
        c.ok(f"youtube-{i}", Reply(200, ATOM, body), state, n, titles={"Siaran pers Bupati #0 & jajaran"})
    # RSS 0.91 has no guid and no dates; 0.92 items may be a description only: undated items count from the
    # moment they are first seen, so these sources are fresh.
    for i in range(15):
        n = 1 + i % 8
        body = rss20(entries(f"rss091-{i}", n, newest=None, guid=False), version="0.91")
        c.ok(f"rss091-{i}", Reply(200, {"Content-Type": "text/xml"}, body), FRESH, n)
    for i in range(15):
        n = 1 + i % 8
        body = rss20(
            [Entry(summary=f"Hanya deskripsi {i}-{k}: kerja bakti Minggu pagi.") for k in range(n)], version="0.92"
        )
        c.ok(f"rss092-{i}", Reply(200, {"Content-Type": "text/xml"}, body), FRESH, n)

    # Broken XML that feedparser's loose parser still reads: undefined entities, bare ampersands, an unclosed
    # tag, a truncated document.
    for i in range(15):
        n, variant = 3 + i % 5, i % 5
        items = entries(f"broken-{i}", n, newest=newest(FRESH))
        for e in items:
            e.raw_title = True
            if variant == 0:
                e.title += " &nbsp; &copy; Pemkab"
            elif variant == 1:
                e.title, e.link = e.title + " Tani & Nelayan", e.link + "?a=1&b=2"
            elif variant == 2:
                e.summary = "Kegiatan <b>penting dimulai"
        body = rss20(items)
        if variant == 3:
            body = body.replace(b"</channel></rss>", b"")
        if variant == 4:
            body = body.replace(b"</item>", b"", 1)
        c.ok(f"broken-{i}", Reply(200, RSS, body), FRESH, n)

    # Wrong or missing declared encodings.
    for i in range(20):
        n, variant = 2 + i % 4, i % 4
        items = entries(f"enc-{i}", n, newest=newest(FRESH))
        expect = set()
        if variant == 0:  # Windows-1252 bytes declared UTF-8 (a very common CMS export bug)
            items[0].title = "Rapat \u201cMusrenbang\u201d \u2013 Kafe Dua"
            body, ctype, expect = rss20(items, encoding="cp1252", declare="utf-8"), "text/xml", {items[0].title}
        elif variant == 1:  # UTF-8 bytes declared ISO-8859-1
            items[0].title = "Kafé Desa \u2013 pembukaan"
            body, ctype = rss20(items, encoding="utf-8", declare="iso-8859-1"), "text/xml"
        elif variant == 2:  # honest ISO-8859-1
            items[0].title = "Café Desa Lubuk Mumpo"
            body, ctype, expect = rss20(items, encoding="iso-8859-1"), "text/xml", {items[0].title}
        else:  # no XML declaration, charset only in the HTTP header
            items[0].title = "\u201cBulan Bakti\u201d Gotong Royong"
            body = rss20(items, encoding="cp1252").replace(b' encoding="cp1252"', b"")
            ctype, expect = "text/xml; charset=windows-1252", {items[0].title}
        c.ok(f"encoding-{i}", Reply(200, {"Content-Type": ctype}, body), FRESH, n, titles=expect)

    # gzip-encoded responses.
    for i in range(10):
        state, n = c.by_state(i), 1 + i % 6
        body = gzipped(rss20(entries(f"gzip-{i}", n, newest=newest(state))))
        c.ok(f"gzip-{i}", Reply(200, {**RSS, "Content-Encoding": "gzip"}, body), state, n)

    # Redirects: 301, 302, a chain of three (within the limit).
    for i in range(15):
        n = 1 + i % 5
        target = server.add(
            f"/moved-{i}/feed.xml", Reply(200, RSS, rss20(entries(f"redir-{i}", n, newest=newest(FRESH))))
        )
        if i % 3 == 2:
            hops = [f"/chain-{i}-{k}" for k in range(2)]
            for k, hop in enumerate(hops):
                server.add(hop, Reply(302, {"Location": hops[k + 1] if k + 1 < len(hops) else target}))
            c.ok(f"redirect-{i}", Reply(301, {"Location": hops[0]}), FRESH, n)
        else:
            c.ok(f"redirect-{i}", Reply(301 if i % 3 == 0 else 302, {"Location": target}), FRESH, n)

    # Conditional GET: the server answers 304 when the poller presents the validator it was given.
    def conditional(body: bytes, etag: str = "", lastmod: str = ""):
        def route(headers, hit):
            if etag and headers.get("if-none-match") == etag:
                return Reply(304, {"ETag": etag})
            if not etag and lastmod and headers.get("if-modified-since") == lastmod:
                return Reply(304, {"Last-Modified": lastmod})
            validators = {"ETag": etag} if etag else {}
            if lastmod:
                validators["Last-Modified"] = lastmod
            return Reply(200, {**RSS, **validators}, body)

        return route

    for i in range(25):
        n, kind = 2 + i % 7, ("etag", "lastmod", "both")[i % 3]
        body = rss20(entries(f"cond-{i}", n, newest=newest(FRESH)))
        etag = f'W/"rev-{i}-a1b2"' if kind in ("etag", "both") else ""
        lastmod = format_datetime(now - timedelta(days=1, minutes=i), usegmt=True) if kind != "etag" else ""
        c.ok(f"conditional-{i}", conditional(body, etag, lastmod), FRESH, n, validators=kind)

    # A feed that gains two items between the first and the second poll, plus RSS served as text/html.
    for i in range(5):
        first = rss20(entries(f"grow-{i}", 5, newest=newest(FRESH)))
        grown = entries(f"grow-{i}", 5, newest=newest(FRESH)) + [
            Entry(
                title=f"Baru {i}-{k}",
                link=f"https://dinas.example.go.id/grow-{i}/baru-{k}",
                guid=f"grow-{i}-new-{k}",
                date=now - timedelta(hours=1 + k),
            )
            for k in range(2)
        ]
        second = rss20(grown)
        c.ok(f"growing-{i}", lambda h, hit, a=first, b=second: Reply(200, RSS, a if hit == 1 else b), FRESH, 7)
    for i in range(3):
        body = rss20(entries(f"htmltype-{i}", 4, newest=newest(FRESH)))
        c.ok(f"rss-as-html-{i}", Reply(200, {"Content-Type": "text/html; charset=utf-8"}, body), FRESH, 4)

    # Hostile content: script, event handlers, javascript:/data: links, double-escaped HTML, entities.
    hostile_links = [
        "javascript:alert(document.cookie)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
    ]
    for i in range(10):
        items = [
            Entry(
                title='<![CDATA[<script>alert("x")</script>Pengumuman <b>penting</b>]]>',
                link=hostile_links[i % 5],
                guid=f"xss-{i}-0",
                summary='<![CDATA[<img src=x onerror=alert(1)>Jadwal <a href="javascript:alert(1)">vaksin</a>]]>',
                date=now - timedelta(days=1),
                raw_title=True,
            ),
            Entry(
                title="&lt;img src=x onerror=alert(1)&gt;Jadwal &amp;amp; lokasi &amp;quot;posyandu&amp;quot;",
                link="/berita/relatif",  # resolved against the feed's address: http, so kept
                guid=f"xss-{i}-1",
                summary="&lt;iframe src=&quot;javascript:alert(1)&quot;&gt;&lt;/iframe&gt;&lt;svg onload=alert(1)&gt;"
                "Warga &amp;#60;b&amp;#62;diimbau&amp;#60;/b&amp;#62; hadir &amp;nbsp; tepat waktu",
                date=now - timedelta(days=2),
                raw_title=True,
            ),
            Entry(
                title="&#x3C;script&#x3E;steal()&#x3C;/script&#x3E;Lomba &#8220;Desa Sehat&#8221;",
                link="https://dinas.example.go.id/lomba",
                guid=f"xss-{i}-2",
                summary="<p onclick='x()'>Hadiah <style>body{display:none}</style>menarik</p>",
                date=now - timedelta(days=3),
                raw_title=True,
            ),
        ]
        c.ok(
            f"hostile-{i}",
            Reply(200, RSS, rss20(items)),
            FRESH,
            3,
            titles={"Pengumuman penting", 'Jadwal & lokasi "posyandu"', "Lomba \u201cDesa Sehat\u201d"},
        )

    # Entries without guid, link or date (identity from title + date), and duplicates within one feed.
    for i in range(5):
        items = entries(f"bare-{i}", 4, newest=None, guid=False, link=False)
        items.append(Entry(title=items[0].title, summary="Entri yang sama, diulang oleh CMS."))
        c.ok(f"no-ids-{i}", Reply(200, RSS, rss20(items)), FRESH, 4)
    for i in range(5):
        items = entries(f"dup-{i}", 5, newest=newest(FRESH))
        body = rss20(items + [items[1], items[3], items[1]]) if i % 2 else atom(items + [items[0], items[4]])
        c.ok(f"duplicates-{i}", Reply(200, RSS if i % 2 else ATOM, body), FRESH, 5)
    for i in range(3):  # a valid feed with no entries yet: reachable, waiting for its first post
        c.add(f"empty-feed-{i}", Reply(200, RSS, rss20([])), state=DUE, items=0)

    # Failures: each must end unreachable after five polls, with one transition.
    for status, count in ((404, 5), (410, 5), (500, 5), (502, 2)):
        for i in range(count):
            c.failing(
                f"http-{status}-{i}", Reply(status, {"Content-Type": "text/html"}, b"<h1>Error</h1>"), PollError.HTTP
            )
    for i in range(3):
        server.add(f"/loop-{i}-b", Reply(302, {"Location": f"/redirect-loop-{i}.xml"}))
        c.failing(f"redirect-loop-{i}", Reply(301, {"Location": f"/loop-{i}-b"}), PollError.REDIRECTS)
    for i in range(2):
        hops = [f"/long-{i}-{k}" for k in range(7)]
        for k, hop in enumerate(hops[:-1]):
            server.add(hop, Reply(302, {"Location": hops[k + 1]}))
        server.add(hops[-1], Reply(200, RSS, rss20(entries(f"long-{i}", 2, newest=newest(FRESH)))))
        c.failing(f"too-many-redirects-{i}", Reply(302, {"Location": hops[0]}), PollError.REDIRECTS)
    slow_body = rss20(entries("slow", 3, newest=newest(FRESH)))
    for i in range(5):  # no answer within the read timeout
        c.failing(f"slow-{i}", Reply(200, RSS, slow_body, delay=3.0), PollError.TIMEOUT)
    for i in range(3):  # answers, then drips the body for six seconds: each gap within the read timeout
        c.failing(f"drip-{i}", Reply(200, RSS, slow_body, drip=0.3, drip_chunks=20), PollError.TIMEOUT)
    padding = "Lampiran sangat panjang. " * 25_000  # ~600 KB, the test cap is 256 KB
    huge = rss20([Entry(title="Besar", guid="huge", summary=padding, date=now)])
    for i in range(3):
        c.failing(f"huge-{i}", Reply(200, RSS, huge), PollError.TOO_LARGE)
    for i in range(2):
        c.failing(f"huge-chunked-{i}", Reply(200, RSS, huge, content_length=False), PollError.TOO_LARGE)
    bomb = gzipped(rss20([Entry(title="Bom", guid="bomb", summary=" " * 8_000_000, date=now)]))
    for i in range(2):  # ~8 KB on the wire, 8 MB inflated
        c.failing(f"gzip-bomb-{i}", Reply(200, {**RSS, "Content-Encoding": "gzip"}, bomb), PollError.TOO_LARGE)
    for i in range(3):
        c.failing(f"empty-body-{i}", Reply(200, RSS, b"" if i else b"  \n  "), PollError.NOT_A_FEED)
    page = b"<!doctype html><html><head><title>Dinas</title></head><body><h1>Selamat datang</h1></body></html>"
    for i in range(5):
        c.failing(
            f"html-page-{i}", Reply(200, {"Content-Type": "text/html; charset=utf-8"}, page), PollError.NOT_A_FEED
        )
    for i in range(2):
        case = c.failing(f"refused-{i}", Reply(200), PollError.CONNECTION)
        case.url = closed_port_url()

    # The server says when to come back. 503 counts as a failure; 429 (rate limit) does not.
    for i in range(3):
        c.failing(
            f"unavailable-{i}",
            Reply(503, {"Retry-After": "120"}, b"maintenance"),
            PollError.HTTP,
            retry_after=timedelta(seconds=120),
        )
    for i in range(2):
        when = format_datetime(datetime.now(UTC) + timedelta(seconds=300), usegmt=True)
        c.failing(
            f"unavailable-date-{i}",
            Reply(503, {"Retry-After": when}, b"maintenance"),
            PollError.HTTP,
            retry_after=timedelta(seconds=300),
        )
    for i, value, expected in ((0, "60", timedelta(seconds=60)), (1, "999999", timedelta(hours=24))):
        c.add(
            f"rate-limited-{i}",
            Reply(429, {"Retry-After": value}),
            state=DUE,
            items=0,
            retry_after=expected,
            error=PollError.RATE_LIMITED.value,
        )
    for i in range(3):
        c.add(f"rate-limited-plain-{i}", Reply(429), state=DUE, items=0, error=PollError.RATE_LIMITED.value)
    return c.cases


@pytest.mark.django_db
def test_polling_three_hundred_feeds_from_the_wild(feed_server, fast_limits):
    t0 = timezone.now()
    cases = build_cases(feed_server, t0)
    assert len(cases) >= 300
    WatchedSource.objects.bulk_create(
        [WatchedSource(name=case.name, url=case.url, next_poll_at=t0, created_at=t0) for case in cases]
    )
    sources = {source.url: source for source in WatchedSource.objects.all()}
    by_name = {case.name: sources[case.url] for case in cases}

    started = time.monotonic()
    round_times = []
    for round_number in range(ROUNDS):
        now = t0 + STEP * round_number
        round_started = time.monotonic()
        reports = sources_poll_due(now=now, max_workers=32)
        round_times.append(time.monotonic() - round_started)
        assert len(reports) == len(cases), f"round {round_number + 1}: every source is due and polled once"
        if round_number == 0:
            for case in cases:
                source = WatchedSource.objects.get(pk=by_name[case.name].pk)
                if case.retry_after is not None:
                    assert abs(source.next_poll_at - (now + case.retry_after)) <= timedelta(seconds=5), case.name
                elif case.error == PollError.RATE_LIMITED:
                    assert MIN_INTERVAL <= source.next_poll_at - now <= MAX_INTERVAL, case.name
    elapsed = time.monotonic() - started
    print(
        f"\n{len(cases)} feeds × {ROUNDS} rounds: {elapsed:.1f} s (" + ", ".join(f"{t:.1f}" for t in round_times) + ")"
    )

    problems = []
    for case in cases:
        source = WatchedSource.objects.get(pk=by_name[case.name].pk)
        got = {
            "state": source.state,
            "items": source.items.count(),
            "failures": source.consecutive_failures,
            "transitions": [(t.from_state, t.to_state) for t in source.transitions.order_by("at", "pk")],
            "error": source.last_error_kind,
        }
        want = {
            "state": case.state,
            "items": case.items,
            "failures": case.failures,
            "transitions": list(case.transitions),
            "error": case.error,
        }
        if got != want:
            problems.append(f"{case.name}: got {got}, want {want} ({source.last_error_detail})")
        titles = set(source.items.values_list("title", flat=True))
        if not case.titles <= titles:
            problems.append(f"{case.name}: titles {sorted(titles)} lack {sorted(case.titles - titles)}")
        if case.validators:
            later = feed_server.requests[case.path][1:]
            assert len(later) == ROUNDS - 1, case.name
            for headers in later:
                if case.validators in ("etag", "both"):
                    assert headers.get("if-none-match", "").startswith('W/"rev-'), (case.name, headers)
                if case.validators in ("lastmod", "both"):
                    assert headers.get("if-modified-since", "").endswith("GMT"), (case.name, headers)
            assert source.last_status == 304, case.name
    assert not problems, "\n".join(problems)

    # Nothing stored twice, nothing stored as HTML, no link but http(s).
    assert FeedItem.objects.values("source", "key").distinct().count() == FeedItem.objects.count()
    for title, summary, link in FeedItem.objects.values_list("title", "summary", "link"):
        assert "<" not in title and "<" not in summary, (title, summary)
        assert "onerror" not in summary and "alert(" not in title + summary, (title, summary)
        assert link == "" or link.startswith(("http://", "https://")), link
    assert not FeedItem.objects.filter(link__icontains="script:").exists()
    relative = FeedItem.objects.filter(link__endswith="/berita/relatif")
    assert relative.count() == 10 and all(
        link.startswith("http://127.0.0.1:") for link in relative.values_list("link", flat=True)
    )
    assert StateTransition.objects.count() == sum(len(case.transitions) for case in cases)
    assert elapsed < 60, f"five rounds of {len(cases)} feeds took {elapsed:.1f} s"
