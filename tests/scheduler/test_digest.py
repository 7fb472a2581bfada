"""The weekly digest: Monday 07:00 in the site's zone, once a week, quiet channels grouped by owner."""

from datetime import UTC, datetime, timedelta

import pytest
from celery.schedules import crontab

from django.core import mail

from wagtail.models import Site

from cms.models import SiteProfile
from scheduler.models import DigestRun, SourceState, WatchedSource
from scheduler.schedule import BEAT_SCHEDULE
from scheduler.services.digest import digest_send
from tests.factories import AgencyFactory, KimGroupFactory

DAY = timedelta(days=1)
# Monday 30 November 2026, 00:00 UTC = 07:00 WIB.
MONDAY_7_WIB = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)


@pytest.fixture
def office(settings):
    settings.SIAR_ALERT_EMAILS = ["diskominfo@example.go.id"]
    return settings


@pytest.fixture
def quiet(db):
    now = MONDAY_7_WIB
    dinkes = AgencyFactory(name="Dinas Kesehatan", abbreviation="Dinkes")
    kim = KimGroupFactory(name="KIM Maju")

    def source(name, state, last_item_days=None, **owner):
        return WatchedSource.objects.create(
            name=name,
            url=f"https://{name.lower().replace(' ', '-')}.example.id/feed",
            state=state,
            last_item_at=now - last_item_days * DAY if last_item_days is not None else None,
            created_at=now - 90 * DAY,
            **owner,
        )

    source("Situs Dinkes", SourceState.STALE, 20, agency=dinkes)
    source("Instagram Dinkes", SourceState.UNREACHABLE, 3, agency=dinkes)
    source("YouTube KIM Maju", SourceState.STALE, None, kim_group=kim)
    source("Facebook Dinkes", SourceState.FRESH, 1, agency=dinkes)
    source("Situs Dispar", SourceState.DUE, 9, agency=AgencyFactory(name="Dinas Pariwisata"))


def test_the_digest_goes_out_monday_seven_in_the_sites_zone_once_a_week(office, quiet):
    assert digest_send(now=MONDAY_7_WIB - timedelta(minutes=30)) is None, "06:30 WIB: not yet"
    run = digest_send(now=MONDAY_7_WIB)
    assert run is not None and run.week == "2026-W49" and run.channels == 3
    assert digest_send(now=MONDAY_7_WIB + timedelta(hours=1)) is None, "once a week"
    assert digest_send(now=MONDAY_7_WIB + 3 * DAY) is None
    assert len(mail.outbox) == 1
    assert digest_send(now=MONDAY_7_WIB + 7 * DAY) is not None, "next Monday"
    assert DigestRun.objects.count() == 2


def test_a_digest_missed_on_monday_is_caught_up_later_in_the_week(office, quiet):
    assert digest_send(now=MONDAY_7_WIB + 2 * DAY) is not None
    assert len(mail.outbox) == 1


def test_the_digest_follows_a_wita_sites_zone(office, quiet):
    profile = SiteProfile.for_site(Site.objects.get(is_default_site=True))
    profile.time_zone = "Asia/Makassar"
    profile.save()
    # Monday 07:00 WITA = Sunday 23:00 UTC.
    assert digest_send(now=MONDAY_7_WIB - timedelta(hours=1, minutes=1)) is None
    assert digest_send(now=MONDAY_7_WIB - timedelta(hours=1)) is not None


def test_the_digest_lists_quiet_channels_by_owner_with_how_long(office, quiet):
    digest_send(now=MONDAY_7_WIB)
    (message,) = mail.outbox
    assert message.to == ["diskominfo@example.go.id"]
    assert message.subject.startswith("[Siar] Ringkasan mingguan kesegaran kanal")
    assert message.subject.endswith("3 kanal sepi")
    body = message.body
    lines = body.splitlines()
    dinkes, kim = lines.index("Dinas Kesehatan (Dinkes)"), lines.index("KIM Maju")
    assert dinkes < kim, "owners in alphabetical order"
    assert lines[dinkes + 1].startswith("- Situs Dinkes (Usang): sepi selama 20 hari, item terakhir ")
    assert lines[dinkes + 2].startswith("- Instagram Dinkes (Tidak dapat dijangkau): sepi selama 3 hari")
    assert lines[kim + 1].startswith("- YouTube KIM Maju (Usang): sepi selama 90 hari, belum ada item")
    assert "Facebook Dinkes" not in body and "Situs Dispar" not in body, "fresh and due are not listed"


def test_no_office_address_no_digest(settings, quiet):
    settings.SIAR_ALERT_EMAILS = []
    assert digest_send(now=MONDAY_7_WIB) is None
    assert mail.outbox == [] and not DigestRun.objects.exists()


def test_a_quiet_week_says_so(office, db):
    digest_send(now=MONDAY_7_WIB)
    assert "Semua kanal yang dipantau" in mail.outbox[0].body


def test_beat_asks_hourly_and_the_task_is_time_limited():
    from scheduler.tasks import send_weekly_digest

    entry = BEAT_SCHEDULE["send-weekly-digest-hourly-check"]
    assert entry["task"] == "scheduler.send_weekly_digest"
    assert entry["schedule"] == crontab(minute=0)
    assert send_weekly_digest.time_limit and send_weekly_digest.soft_time_limit
