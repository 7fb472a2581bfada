"""Freshness alerts: one e-mail and one webhook call per state change, however often or concurrently the sweeper
runs; a webhook that is down is retried with backoff and delivered once when it comes back."""

import threading
from datetime import timedelta

import pytest

from django.core import mail
from django.db import connection
from django.utils import timezone

from scheduler.models import AlertDelivery, SourceState, StateTransition, WatchedSource
from scheduler.schedule import BEAT_SCHEDULE
from scheduler.services.alerts import alerts_send, backoff
from scheduler.services.freshness import sources_states_refresh
from scheduler.tasks import send_freshness_alerts
from tests.factories import AgencyFactory, KimGroupFactory

DAY = timedelta(days=1)


@pytest.fixture
def t0():
    return timezone.now() - 30 * DAY


@pytest.fixture
def dinkes_source(db, t0):
    agency = AgencyFactory(name="Dinas Kesehatan", contact_email="humas@dinkes.example.go.id")
    return WatchedSource.objects.create(
        name="Dinas Kesehatan",
        url="https://dinkes.example.go.id/feed/",
        agency=agency,
        person_in_charge="Rina · 0812 1111 2222",
        cadence_days=7,
        state=SourceState.FRESH,
        last_item_at=t0,
        created_at=t0 - 60 * DAY,
    )


def goes_quiet(t0):
    """Time travel: a week and a day later it is due, two weeks and a day later stale. Two transitions."""
    assert sources_states_refresh(now=t0 + 8 * DAY) == 1
    assert sources_states_refresh(now=t0 + 15 * DAY) == 1


@pytest.mark.django_db
def test_each_transition_alerts_once_by_email_and_webhook_even_when_swept_twice(alerting, dinkes_source, t0):
    goes_quiet(t0)
    now = t0 + 15 * DAY
    first = alerts_send(now=now)
    second = alerts_send(now=now)
    third = alerts_send(now=now + DAY)

    assert (first.claimed, first.sent, first.failed) == (2, 4, 0)
    assert (second.claimed, second.sent) == (0, 0) and (third.claimed, third.sent) == (0, 0)
    assert len(mail.outbox) == 2
    assert len(alerting.received) == 2
    assert not StateTransition.objects.filter(alerted_at__isnull=True).exists()

    due_mail, stale_mail = sorted(mail.outbox, key=lambda message: "Usang" in message.subject)
    assert due_mail.subject == "[Siar] Kanal Dinas Kesehatan: terkini → perlu diperbarui"
    assert stale_mail.subject == "[Siar] Kanal Dinas Kesehatan: perlu diperbarui → usang"
    assert stale_mail.to == ["humas@dinkes.example.go.id", "diskominfo@example.go.id"]
    body = stale_mail.body
    assert "Item baru terakhir" in body and "15 hari yang lalu" in body, body
    assert "Rina · 0812 1111 2222" in body
    assert "Langkah berikutnya" in body and "terbitkan" in body.lower(), body
    assert f"/admin/snippets/scheduler/watchedsource/inspect/{dinkes_source.pk}/" in body

    calls = sorted(alerting.received, key=lambda call: call["json"]["message_id"])
    payload = calls[1]["json"]
    stale = StateTransition.objects.get(to_state=SourceState.STALE)
    assert set(payload) >= {"event", "source", "from", "to", "at", "url_admin", "message_id"}
    assert payload["from"] == "due" and payload["to"] == "stale"
    assert payload["message_id"] == f"siar-transition-{stale.pk}"
    assert payload["source"]["name"] == "Dinas Kesehatan" and payload["source"]["days_since_update"] == 15
    assert payload["url_admin"].endswith(f"/watchedsource/inspect/{dinkes_source.pk}/")
    assert calls[1]["headers"]["idempotency-key"] == payload["message_id"]
    assert "Usang" in payload["message"] or "usang" in payload["message"]


@pytest.mark.django_db
def test_the_periodic_task_sends_and_is_scheduled_every_minute(alerting, dinkes_source, t0):
    StateTransition.objects.create(source=dinkes_source, from_state="fresh", to_state="due", at=timezone.now())
    assert send_freshness_alerts.delay().get() == 2
    assert send_freshness_alerts.delay().get() == 0
    assert len(mail.outbox) == 1 and len(alerting.received) == 1
    entry = BEAT_SCHEDULE["send-freshness-alerts-every-minute"]
    assert entry["task"] == "scheduler.send_freshness_alerts" and entry["schedule"] == timedelta(minutes=1)
    assert send_freshness_alerts.time_limit and send_freshness_alerts.soft_time_limit


@pytest.mark.django_db
def test_a_webhook_that_is_down_is_retried_with_backoff_and_delivered_once(alerting, dinkes_source, t0):
    alerting.down = True
    goes_quiet(t0)
    now = t0 + 15 * DAY
    result = alerts_send(now=now)
    assert (result.sent, result.failed) == (2, 2), "e-mails out, webhook calls failed"
    assert len(alerting.attempts) == 2 and alerting.received == []
    failed = AlertDelivery.objects.filter(channel=AlertDelivery.Channel.WEBHOOK)
    assert all(d.status == "pending" and d.attempts == 1 and "503" in d.last_error for d in failed)
    assert all(d.next_attempt_at == now + backoff(1) for d in failed)

    # Too early: the backoff holds; nothing is sent again, not even the e-mails.
    assert alerts_send(now=now + timedelta(seconds=30)).sent == 0
    assert len(alerting.attempts) == 2

    # Still down after the wait: a second attempt, and a longer wait.
    alerts_send(now=now + backoff(1))
    assert len(alerting.attempts) == 4
    assert {d.attempts for d in failed.all()} == {2}

    # Back up: delivered once each, and never again.
    alerting.down = False
    later = now + backoff(1) + backoff(2)
    assert alerts_send(now=later).sent == 2
    assert alerts_send(now=later + DAY).sent == 0
    assert len(alerting.received) == 2 and len(alerting.attempts) == 6
    assert len(mail.outbox) == 2, "the e-mails were not repeated because the webhook failed"
    assert set(AlertDelivery.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_a_webhook_that_does_not_answer_at_all_is_retried(alerting, dinkes_source, t0):
    alerting.stop()  # connection refused
    StateTransition.objects.create(source=dinkes_source, from_state="fresh", to_state="due", at=t0)
    assert alerts_send(now=t0).failed == 1
    delivery = AlertDelivery.objects.get(channel=AlertDelivery.Channel.WEBHOOK)
    assert delivery.status == "pending" and delivery.last_error


@pytest.mark.django_db
def test_recipients_are_the_owner_and_the_office(settings, t0):
    settings.SIAR_ALERT_EMAILS = ["diskominfo@example.go.id", "kabid@example.go.id"]
    settings.SIAR_ALERT_WEBHOOK_URL = ""
    kim = KimGroupFactory(name="KIM Maju", contact_email="kim.maju@example.id")
    agency = AgencyFactory(name="Dinas Pariwisata", email="dispar@example.go.id")  # no person in charge's e-mail
    for name, owner in (("KIM Maju · YouTube", {"kim_group": kim}), ("Situs Dispar", {"agency": agency})):
        source = WatchedSource.objects.create(name=name, url=f"https://{len(name)}.example.id/feed", **owner)
        StateTransition.objects.create(source=source, from_state="fresh", to_state="stale", at=t0)
    alerts_send(now=t0)
    to = {message.subject: message.to for message in mail.outbox}
    assert to == {
        "[Siar] Kanal KIM Maju · YouTube: terkini → usang": [
            "kim.maju@example.id",
            "diskominfo@example.go.id",
            "kabid@example.go.id",
        ],
        "[Siar] Kanal Situs Dispar: terkini → usang": [
            "dispar@example.go.id",
            "diskominfo@example.go.id",
            "kabid@example.go.id",
        ],
    }
    assert not AlertDelivery.objects.filter(channel=AlertDelivery.Channel.WEBHOOK).exists(), "webhook off"


@pytest.mark.django_db
def test_a_new_sources_first_successful_poll_alerts_nobody_but_a_recovery_does(alerting, t0):
    source = WatchedSource.objects.create(name="Baru", url="https://baru.example.id/feed", created_at=t0)
    first = StateTransition.objects.create(source=source, from_state="due", to_state="fresh", at=t0)
    StateTransition.objects.create(source=source, from_state="fresh", to_state="due", at=t0 + 8 * DAY)
    again = StateTransition.objects.create(source=source, from_state="due", to_state="fresh", at=t0 + 9 * DAY)
    alerts_send(now=t0 + 9 * DAY)
    assert not first.deliveries.exists()
    assert again.deliveries.count() == 2
    assert len(mail.outbox) == 2 and len(alerting.received) == 2
    assert StateTransition.objects.get(pk=first.pk).alerted_at is not None


@pytest.mark.django_db
def test_unreachable_alert_says_what_went_wrong(alerting, dinkes_source, t0):
    dinkes_source.consecutive_failures = 5
    dinkes_source.last_error_kind = "timeout"
    dinkes_source.save()
    StateTransition.objects.create(source=dinkes_source, from_state="fresh", to_state="unreachable", at=t0)
    alerts_send(now=t0)
    (message,) = mail.outbox
    assert message.subject == "[Siar] Kanal Dinas Kesehatan: terkini → tidak dapat dijangkau"
    assert "5 kali berturut-turut" in message.body, message.body


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweepers_send_each_alert_once(alerting, t0):
    """Four sweepers at once (PostgreSQL: SKIP LOCKED claims): one e-mail and one webhook call per change."""
    agency = AgencyFactory(name="Dinas Kesehatan", contact_email="humas@dinkes.example.go.id")
    for n in range(6):
        source = WatchedSource.objects.create(name=f"Kanal {n}", url=f"https://k{n}.example.id/feed", agency=agency)
        StateTransition.objects.create(source=source, from_state="fresh", to_state="due", at=t0)
        StateTransition.objects.create(source=source, from_state="due", to_state="stale", at=t0 + DAY)
    barrier = threading.Barrier(4)
    errors = []

    def sweep():
        try:
            barrier.wait()
            alerts_send(now=t0 + DAY)
            alerts_send(now=t0 + DAY)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(mail.outbox) == 12
    assert len({message.subject + ",".join(message.extra_headers.values()) for message in mail.outbox}) == 12
    assert len(alerting.received) == 12
    assert len({call["json"]["message_id"] for call in alerting.received}) == 12
    assert AlertDelivery.objects.filter(status="sent").count() == 24
