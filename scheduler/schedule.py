"""Every periodic job in one place. Settings read BEAT_SCHEDULE; the scheduler issue extends it."""

from datetime import timedelta

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
}
