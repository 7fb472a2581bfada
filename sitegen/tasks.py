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


@shared_task(name="sitegen.build_requested", time_limit=1800, soft_time_limit=1740)
def build_requested(trigger: str = SiteRelease.Trigger.INCREMENTAL) -> str | None:
    """The coalesced build after content changed (sitegen/triggers.py), and the timer's catch-up build: lowers the
    request flag and builds. The timer first checks that the live release differs from what the content now makes
    (a request follows a change, so it skips that check: planning twice would double a publication's wait)."""
    from sitegen.triggers import build_flag_lower, site_needs_build

    build_flag_lower()
    if trigger != SiteRelease.Trigger.INCREMENTAL and not site_needs_build():
        return None
    return site_build(trigger=trigger, wait=LOCK_WAIT_SECONDS).name
