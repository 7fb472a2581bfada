"""Celery tasks of the site generator: thin, each calls one service."""

from celery import shared_task

from django.contrib.auth import get_user_model

from sitegen.build import site_build
from sitegen.models import SiteRelease

# A build queued behind a running one waits for it (see sitegen/releases.py) at most this long, leaving the rest
# of the time limit for its own work.
LOCK_WAIT_SECONDS = 600


@shared_task(name="sitegen.build_site", time_limit=1800, soft_time_limit=1740)
def build_site(trigger: str = SiteRelease.Trigger.FULL, user_id: int | None = None) -> str:
    """Build the site and make it live; returns the release name. A build killed by the time limit leaves the live
    site as it was and is marked failed by the next build.

    Not idempotent in effect (each run makes a new release), but harmless to repeat: it builds the same content."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return site_build(trigger=trigger, user=user, wait=LOCK_WAIT_SECONDS).name
