"""Celery tasks: thin wrappers that call one service or command each (see scheduler/schedule.py)."""

from celery import shared_task

from django.core.management import call_command

from cms.services.confirmation_escalation import confirmations_escalate
from scheduler.services.alerts import alerts_send
from scheduler.services.digest import digest_send
from scheduler.services.freshness import sources_states_refresh
from scheduler.services.polling import sources_poll_due


@shared_task(name="scheduler.publish_scheduled", time_limit=120, soft_time_limit=100)
def publish_scheduled() -> None:
    """Wagtail's scheduled go-live/expiry only happens when this runs; beat runs it every minute.

    Idempotent: publishing an already-published revision is a no-op, so a redelivered message is harmless.
    """
    call_command("publish_scheduled", verbosity=0)


@shared_task(name="scheduler.poll_due_sources", time_limit=600, soft_time_limit=540)
def poll_due_sources() -> int:
    """Poll the watched feeds that are due; beat runs it every minute.

    Idempotent: a run only takes sources that are due and claims them first, and items are unique per source,
    so a redelivered or overlapping run polls nothing twice and stores no duplicate. Returns sources polled.
    """
    return len(sources_poll_due())


@shared_task(name="scheduler.refresh_source_states", time_limit=300, soft_time_limit=270)
def refresh_source_states() -> int:
    """Re-evaluate freshness by time alone (fresh → due → stale without any poll). Returns changes recorded."""
    return sources_states_refresh()


@shared_task(name="scheduler.send_freshness_alerts", time_limit=120, soft_time_limit=100)
def send_freshness_alerts() -> int:
    """Alert each freshness change once (e-mail, webhook) and retry failed channels; beat runs it every minute.

    Idempotent: a change is claimed once (alerted_at, row locks skipping what another run holds) and each channel's
    delivery is sent once and then marked sent. Sending stops after a budget below the soft limit. Returns sent.
    """
    return alerts_send().sent


@shared_task(name="scheduler.send_weekly_digest", time_limit=120, soft_time_limit=100)
def send_weekly_digest() -> bool:
    """The office's weekly list of stale and unreachable channels; beat asks hourly, it goes out Monday 07:00
    local time (the site's zone), once per week (see scheduler/services/digest.py)."""
    return digest_send() is not None


@shared_task(name="scheduler.escalate_confirmations", time_limit=120, soft_time_limit=100)
def escalate_confirmations() -> int:
    """Alert the office about agency confirmation requests past their deadline; beat runs it every 5 minutes.

    Idempotent: each overdue request is claimed once (a conditional UPDATE of escalated_at under the submission's
    row lock), so a redelivered or overlapping run alerts nobody twice. Returns requests escalated.
    """
    return confirmations_escalate()
