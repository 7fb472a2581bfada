"""Celery tasks: thin wrappers that call one service or command each (see scheduler/schedule.py)."""

from celery import shared_task

from django.core.management import call_command


@shared_task(name="scheduler.publish_scheduled", time_limit=120, soft_time_limit=100)
def publish_scheduled() -> None:
    """Wagtail's scheduled go-live/expiry only happens when this runs; beat runs it every minute.

    Idempotent: publishing an already-published revision is a no-op, so a redelivered message is harmless.
    """
    call_command("publish_scheduled", verbosity=0)
