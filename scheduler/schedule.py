"""Every periodic job in one place. Settings read BEAT_SCHEDULE; the scheduler issue extends it."""

from datetime import timedelta

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "publish-scheduled-every-minute": {
        "task": "scheduler.publish_scheduled",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},  # a backlog of stale runs is pointless: the next minute catches up
    },
    "poll-due-sources-every-minute": {
        "task": "scheduler.poll_due_sources",
        "schedule": timedelta(minutes=1),
        # Sources are claimed per run, so a backlog would only produce empty runs; the next minute catches up.
        "options": {"expires": 55},
    },
    "refresh-source-states-every-15-minutes": {
        "task": "scheduler.refresh_source_states",
        "schedule": timedelta(minutes=15),
        "options": {"expires": 600},
    },
    "send-freshness-alerts-every-minute": {
        "task": "scheduler.send_freshness_alerts",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},  # claims and retries are stored: the next minute picks up anything left
    },
    "escalate-confirmations-every-5-minutes": {
        "task": "scheduler.escalate_confirmations",
        "schedule": timedelta(minutes=5),
        "options": {"expires": 280},  # escalations are claimed in the database: the next run catches up
    },
    # Builds follow content changes within seconds (sitegen/triggers.py); this one catches a lost build request
    # and anything that changes without a signal. It builds only when the site would differ from the live one.
    "build-site-if-changed-every-5-minutes": {
        "task": "sitegen.build_requested",
        "schedule": timedelta(minutes=5),
        "kwargs": {"trigger": "timer"},
        "options": {"expires": 280},
    },
    # Monday 07:00 in the site's zone. Beat runs in UTC (CELERY_TIMEZONE) and the zone is a site setting
    # (WIB UTC+7 = Monday 00:00 UTC, WITA = Sunday 23:00 UTC, WIT = Sunday 22:00 UTC), so beat asks hourly and
    # the task sends from Monday 07:00 local time, once per ISO week (scheduler/services/digest.py).
    "send-weekly-digest-hourly-check": {
        "task": "scheduler.send_weekly_digest",
        "schedule": crontab(minute=0),
        "options": {"expires": 3000},
    },
}
