"""When the site is rebuilt: after every change an editor can make public, coalesced, and on a timer.

Any publish, unpublish (withdrawal, expiry), move or delete of a page, and any edit of what pages show (snippets,
images, the site profile, a correction note) asks for a build. The request is a flag in the shared cache plus
one Celery task, queued at once by default (SIAR_SITE_BUILD_DELAY), so a publication is live about a second
later: every request while the flag is up joins that task. The task lowers the flag before it builds, so the
changes made during a build (twenty publishes in a minute) make one follow-up build, which waits for the lock.
Should the task be lost (a broker restart), the timer's build catches up.
"""

import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from sitegen.outputs import MANIFEST, site_manifest_planned
from sitegen.store import SiteStore

logger = logging.getLogger(__name__)

BUILD_FLAG = "sitegen:build-requested"


def coalesce_seconds() -> float:
    return getattr(settings, "SIAR_SITE_BUILD_DELAY", 0)


def site_build_request(reason: str) -> None:
    """Ask for an incremental build soon (after this transaction commits); requests in a burst make one build.

    Off when SIAR_SITE_AUTO_BUILD is false (the test suite, where most tests publish pages and build nothing).
    """
    if not getattr(settings, "SIAR_SITE_AUTO_BUILD", True):
        return

    def enqueue() -> None:
        delay = coalesce_seconds()
        # The flag outlives the delay generously: it only has to cover the time until the task starts.
        if not cache.add(BUILD_FLAG, reason, timeout=max(60, delay * 10)):
            return
        from sitegen.tasks import build_requested

        try:
            build_requested.apply_async(countdown=delay)
        except Exception:  # noqa: BLE001 - a broker outage must not break the editor's publish
            cache.delete(BUILD_FLAG)
            logger.exception("Could not queue the site build after %s; the timer's build will catch up", reason)

    transaction.on_commit(enqueue)


def build_flag_lower() -> None:
    cache.delete(BUILD_FLAG)


def site_needs_build() -> bool:
    """Whether a build now would make anything different from the live release (plans, renders nothing)."""
    store = SiteStore()
    live = store.live_name()
    if live is None:
        return True
    try:
        recorded = json.loads((store.release_path(live) / MANIFEST).read_text())
    except (OSError, ValueError):
        return True
    return recorded != site_manifest_planned()
