"""KIM intake under load on PostgreSQL: many contributors at once through a real threaded server.

Django's live server (one thread per request, one PostgreSQL connection per thread) receives real HTTP from
a pool of client threads: the web form (GET for the CSRF cookie and the time-trap token, wait as
a person would, POST a multipart with a photo) and the app API (a key per group). Each contributor has an
address of their own, passed in the proxy header named by SIAR_CLIENT_IP_HEADER as nginx would.

Limits relied on (cms.services.ratelimit): SUBMISSIONS_PER_ADDRESS allows 10 POSTs per address in 10
minutes (each client sends one); SUBMISSIONS_PER_GROUP stores 20 new submissions per group per hour (the
load test spreads 200 over 20 groups, 10 each). The last test is about that group limit itself.
"""

import hashlib
import ipaddress
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
import requests

from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from cms.forms import FORM_MIN_SECONDS
from cms.models import KimSubmission, SubmissionPhoto, VerificationEvent
from cms.services.ratelimit import SUBMISSIONS_PER_GROUP, ip_hash
from cms.services.submissions import api_key_issue
from tests.factories import KimGroupFactory, NewsCategoryFactory
from tests.submission_support import API_URL, FORM_URL, image_bytes, quarantine_files

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fresh_quarantine"),
]

IP_HEADER = "X-Real-IP"
WORKERS = 32
GROUPS = 20
SUBMISSIONS = 200
TIMEOUT = 60  # seconds per request: generous on a shared 2-core machine, still ends a hung test
RECEIPT = r"SIAR-[2-9A-Z]{4}-[2-9A-Z]{4}"
THANKS = re.compile(rf"^/kirim/terima-kasih/({RECEIPT})/$")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED_INPUT = re.compile(r'name="started" value="([^"]+)"')


@dataclass
class Answer:
    status: int
    receipt: str | None
    body: str


class Timeline:
    """Start and end of every POST, to show the requests really overlapped."""

    def __init__(self):
        self.spans: list[tuple[float, float]] = []
        self.lock = threading.Lock()

    def add(self, started: float, ended: float) -> None:
        with self.lock:
            self.spans.append((started, ended))

    def most_in_flight(self) -> int:
        events = sorted([(s, 1) for s, _e in self.spans] + [(e, -1) for _s, e in self.spans])
        current = peak = 0
        for _at, step in events:
            current += step
            peak = max(peak, current)
        return peak


class RoomyServer(ThreadedWSGIServer):
    # Django's listen backlog of 10 resets some of 40 connections opened at once, which says nothing about
    # Siar (production has nginx in front of gunicorn); a backlog as deep as nginx's keeps the test on topic.
    request_queue_size = 511


class RoomyServerThread(LiveServerThread):
    server_class = RoomyServer


@pytest.fixture
def server():
    """pytest-django's live_server, but with the deeper backlog (its server class cannot be swapped)."""
    thread = RoomyServerThread("localhost", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://localhost:{thread.port}"
    thread.terminate()


@pytest.fixture
def proxied(settings):
    settings.SIAR_CLIENT_IP_HEADER = IP_HEADER
    return IP_HEADER


@pytest.fixture
def groups(db):
    """Twenty active KIM groups, each in its own village, each with an app key; one category."""
    category = NewsCategoryFactory(name="Lingkungan", slug="lingkungan")
    made = []
    for n in range(GROUPS):
        group = KimGroupFactory(name=f"KIM Serentak {n:02d}")
        _api_key, raw_key = api_key_issue(group=group, label=f"HP {n}")
        made.append({"group": group, "village": group.village, "key": raw_key, "category": category})
    return made


def address(n: int) -> str:
    """Contributor n's address (documentation ranges): IPv4 for even n, an IPv6 /64 of its own for odd n."""
    return f"203.0.113.{n // 2 % 250 + 1}" if n % 2 == 0 else f"2001:db8:{n:x}::1"


def photo(n: int) -> bytes:
    # A different picture per contributor (small, so 200 re-encodings stay quick on a shared machine).
    return image_bytes("JPEG", size=(320, 240), color=(n % 256, (n * 7) % 256, (n * 13) % 256))


def fields(n: int, *, title: str | None = None, story: str | None = None) -> dict:
    return {
        "contributor_name": f"Kontributor {n}",
        "contributor_phone": "0812-3456-7890",
        "title": title or f"Kerja Bakti Warga Nomor {n} Membersihkan Saluran",
        "story": story or f"Warga kelompok {n} membersihkan saluran air sejak pagi hari bersama perangkat desa.",
        "event_date": "2026-08-17",
    }


def form_open(base: str, ip: str) -> tuple[requests.Session, str, str, float]:
    """GET /kirim/ as a browser would: keep the CSRF cookie, read the hidden CSRF and time-trap values."""
    session = requests.Session()
    response = session.get(base + FORM_URL, headers={IP_HEADER: ip}, timeout=TIMEOUT)
    assert response.status_code == 200, response.status_code
    return session, CSRF_INPUT.search(response.text)[1], STARTED_INPUT.search(response.text)[1], time.monotonic()


def form_send(base: str, opened, n: int, ctx: dict, ip: str, picture: bytes, timeline: Timeline, **text) -> Answer:
    session, csrf, started_token, _opened_at = opened
    data = {
        **fields(n, **text),
        "csrfmiddlewaretoken": csrf,
        "group": ctx["group"].pk,
        "category": ctx["category"].pk,
        "village": ctx["village"].pk,
        "link": "",
        "website": "",
        "started": started_token,
    }
    started = time.monotonic()
    response = session.post(
        base + FORM_URL,
        data=data,
        files={"photos": (f"foto-{n}.jpg", picture, "image/jpeg")},
        headers={IP_HEADER: ip},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    ended = time.monotonic()
    timeline.add(started, ended)
    match = THANKS.match(response.headers.get("Location", "")) if response.status_code == 302 else None
    return Answer(response.status_code, match[1] if match else None, response.text[:500])


def api_send(base: str, n: int, ctx: dict, ip: str, picture: bytes | None, timeline: Timeline, **text) -> Answer:
    """POST to the API: multipart with the photo, or (picture None) a JSON body, as an app sends text only."""
    data = {**fields(n, **text), "category": ctx["category"].slug, "village": ctx["village"].code}
    body = {"data": data, "files": {"photos": (f"foto-{n}.jpg", picture, "image/jpeg")}} if picture else {"json": data}
    started = time.monotonic()
    response = requests.post(
        base + API_URL,
        headers={IP_HEADER: ip, "Authorization": f"Bearer {ctx['key']}"},
        timeout=TIMEOUT,
        **body,
    )
    ended = time.monotonic()
    timeline.add(started, ended)
    receipt = response.json().get("receipt") if response.headers.get("Content-Type") == "application/json" else None
    return Answer(response.status_code, receipt, response.text[:500])


def wait_out_the_time_trap(opened: list) -> None:
    """A person spends more than FORM_MIN_SECONDS on the form: wait that long after the last GET."""
    last = max(item[3] for item in opened)
    time.sleep(max(0.0, last + FORM_MIN_SECONDS + 0.3 - time.monotonic()))


def test_200_concurrent_submissions_are_all_stored_once(server, groups, proxied, fresh_quarantine):
    plan = [(n, groups[n % GROUPS], address(n), n % 2 == 0) for n in range(SUBMISSIONS)]  # even: form, odd: API
    pictures = {n: photo(n) for n, *_rest in plan}
    timeline = Timeline()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        opened = dict(
            zip(
                [n for n, _ctx, _ip, by_form in plan if by_form],
                pool.map(lambda item: form_open(server, item[2]), [item for item in plan if item[3]]),
                strict=True,
            )
        )
        wait_out_the_time_trap(list(opened.values()))

        def send(item):
            n, ctx, ip, by_form = item
            if by_form:
                return form_send(server, opened[n], n, ctx, ip, pictures[n], timeline)
            return api_send(server, n, ctx, ip, pictures[n], timeline)

        answers = dict(zip([item[0] for item in plan], pool.map(send, plan), strict=True))

    statuses = Counter(answer.status for answer in answers.values())
    errors = {n: (a.status, a.body) for n, a in answers.items() if a.status >= 500}
    assert not errors, errors
    assert statuses == {302: SUBMISSIONS // 2, 201: SUBMISSIONS // 2}, statuses
    assert all(answer.receipt for answer in answers.values())
    # Shows the load was concurrent: most of the pool had a POST in flight at the same moment.
    assert timeline.most_in_flight() >= WORKERS // 2, timeline.most_in_flight()

    submissions = {s.receipt: s for s in KimSubmission.objects.select_related("group", "api_key")}
    assert len(submissions) == SUBMISSIONS == KimSubmission.objects.count()
    assert set(submissions) == {answer.receipt for answer in answers.values()}
    for n, ctx, ip, by_form in plan:
        submission = submissions[answers[n].receipt]
        assert submission.title == f"Kerja Bakti Warga Nomor {n} Membersihkan Saluran"
        assert submission.group == ctx["group"]
        assert submission.channel == (KimSubmission.Channel.FORM if by_form else KimSubmission.Channel.API)
        assert (submission.api_key is None) == by_form
        assert submission.submitter_ip_hash == ip_hash(str(ipaddress.ip_address(ip)))  # the proxy's header
        assert submission.status == KimSubmission.Status.RECEIVED
        assert submission.public_status == KimSubmission.PublicStatus.RECEIVED
    assert Counter(s.group_id for s in submissions.values()) == {ctx["group"].pk: 10 for ctx in groups}

    # Each photo stored once: one row per submission, one file per row, the bytes the row describes.
    photos = list(SubmissionPhoto.objects.all())
    assert len(photos) == SUBMISSIONS and len({p.submission_id for p in photos}) == SUBMISSIONS
    files = quarantine_files()
    assert len(files) == SUBMISSIONS
    assert {str(f.relative_to(fresh_quarantine)) for f in files} == {p.file.name for p in photos}
    for stored in photos:
        assert hashlib.sha256((fresh_quarantine / stored.file.name).read_bytes()).hexdigest() == stored.sha256
    # Intake writes no audit event: the row itself (created_at, status "received") is the record of receipt,
    # and the audit trail starts at the first state change (cms.services.verification._move).
    assert not VerificationEvent.objects.exists()


def test_the_same_submission_sent_20_times_at_once_is_stored_once(server, groups, proxied, fresh_quarantine):
    """A contributor on a bad connection taps "send" again and again, and the app retries too: ten form
    posts and ten API calls of the same story and photo, all at once. A phone behind the carrier's NAT
    shows a different address on nearly every connection, so each comes from its own address here (one
    address would meet the per-address limit of 10 first, which is another test's business)."""
    ctx = groups[0]
    picture = photo(7)
    text = {"title": "Jembatan Gantung Desa Diperbaiki Warga", "story": "Warga memperbaiki jembatan gantung " * 3}
    timeline = Timeline()
    by_form = [n % 2 == 0 for n in range(20)]

    with ThreadPoolExecutor(max_workers=20) as pool:
        opened = list(pool.map(lambda n: form_open(server, address(n)), range(0, 20, 2)))
        wait_out_the_time_trap(opened)
        barrier = threading.Barrier(20)  # release all twenty together, so they race for real

        def send(n):
            barrier.wait(timeout=TIMEOUT)
            if by_form[n]:
                return form_send(server, opened[n // 2], 7, ctx, address(n), picture, timeline, **text)
            return api_send(server, 7, ctx, address(n), picture, timeline, **text)

        answers = list(pool.map(send, range(20)))

    assert not [a for a in answers if a.status >= 500], [(a.status, a.body) for a in answers]
    assert [a.status for n, a in enumerate(answers) if by_form[n]] == [302] * 10
    api_statuses = Counter(a.status for n, a in enumerate(answers) if not by_form[n])
    assert set(api_statuses) <= {200, 201} and api_statuses[201] <= 1, api_statuses  # 201 only if it came first
    assert timeline.most_in_flight() >= 10, timeline.most_in_flight()
    submission = KimSubmission.objects.get()
    assert {a.receipt for a in answers} == {submission.receipt}
    assert SubmissionPhoto.objects.count() == 1 and len(quarantine_files()) == 1


def test_the_group_limit_holds_when_a_group_sends_many_at_once(server, groups, proxied):
    """40 different stories of one group at once (text only, as the app sends them: fast requests that pile
    up on the group's lock), from 40 addresses: 20 stored, 20 told when to try again (429)."""
    ctx = groups[0]
    limit = SUBMISSIONS_PER_GROUP.count
    barrier = threading.Barrier(limit * 2)

    def send(n):
        barrier.wait(timeout=TIMEOUT)
        return api_send(server, n, ctx, address(n), None, Timeline())

    with ThreadPoolExecutor(max_workers=limit * 2) as pool:
        answers = list(pool.map(send, range(limit * 2)))

    assert Counter(a.status for a in answers) == {201: limit, 429: limit}, [(a.status, a.body) for a in answers]
    assert KimSubmission.objects.count() == limit
