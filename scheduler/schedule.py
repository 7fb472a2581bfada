"""Every periodic job in one place. Settings read BEAT_SCHEDULE; the scheduler issue extends it."""

from datetime import timedelta

BEAT_SCHEDULE = {
    "publish-scheduled-every-minute": {
        "task": "scheduler.publish_scheduled",
        "schedule": timedelta(minutes=1),
        "options": {"expires": 55},  # a backlog of stale runs is pointless: the next minute catches up
    },
}
