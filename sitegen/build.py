"""One entry point for every build (manage.py build_site, the Celery task, the admin's Build now button)."""

import importlib
from collections.abc import Callable

from sitegen.models import SiteRelease
from sitegen.releases import BuildProgress, release_build

RENDERER_MODULE = "sitegen.outputs"  # defines build_all(build); tests point this at a synthetic renderer


def site_build(
    *,
    trigger: str = SiteRelease.Trigger.FULL,
    user=None,
    progress: Callable[[BuildProgress], None] | None = None,
    wait: float | None = None,
    on_wait: Callable[[], None] | None = None,
) -> SiteRelease:
    """Build the whole site from published, verified content and make it live. Returns the live release's row.

    The renderer is imported inside the build, so a renderer that cannot even be imported is a failed release in
    the admin's list (with the ImportError), not an error only a worker log shows."""
    with release_build(trigger=trigger, user=user, progress=progress, wait=wait, on_wait=on_wait) as build:
        importlib.import_module(RENDERER_MODULE).build_all(build)
    return build.release
