"""Builds, switches and rollbacks of the public site, with their records. The renderer's side of it:

    with release_build(trigger="incremental", user=user, progress=show) as build:
        build.expect(len(outputs))                         # for progress: files done / total
        build.write("berita/slug/index.html", html)        # bytes or str, into the new release
        build.reuse("berita/other/index.html")             # unchanged: hard link from the live release
        build.record_sources({"pages": {page_id: revision_id}})
    # normal exit: the release goes live in one rename; an exception: discarded, the live site untouched

A path neither written nor reused is absent from the new release: that is how a deletion reaches the site.

Once SIAR_SITE_KEEP_RELEASES releases exist, a build starts from the oldest one nobody can roll back to instead of
an empty directory: it is renamed to staging (out of sight), and only what differs is replaced, each file by a
rename, never written in place (its inode may be shared with other releases). Linking 30,000 unchanged files into
a fresh tree took seconds; a publication now touches the few files it changes. ``build.keep(path)`` tells the
build that the recycled release's file is already the right one (the renderer knows from that release's manifest).
Each release lists its files in PATHS, so recycling and counting removals never walk a tree.
Only one build or rollback runs per site root (sitegen/store.py holds the lock). A second build waits for the
first rather than failing: it usually exists because content changed while the first was running, and the
first may not contain that change. Callers that must not wait (the admin's rollback button) pass wait=0.
"""

import logging
import os
import stat
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sitegen.models import SiteRelease
from sitegen.store import (
    PATHS,
    BuildInProgress,
    ReleaseError,
    SiteStore,
    UnsafePath,
    link_or_copy,
    output_path_check,
    release_paths,
)

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.25  # seconds between progress reports: a terminal cannot show more
Status = SiteRelease.Status

__all__ = [
    "BuildInProgress",
    "BuildProgress",
    "ReleaseBuild",
    "ReleaseError",
    "UnsafePath",
    "release_build",
    "releases_overview",
    "releases_previous",
    "releases_prune",
    "releases_reconcile",
    "site_rollback",
]


@dataclass(frozen=True)
class BuildProgress:
    done: int
    total: int | None
    written: int
    reused: int
    elapsed: float  # seconds

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0


class ReleaseBuild:
    """One build in progress, handed to the renderer. Files go to a staging directory nobody serves. Call it from
    one thread (render in parallel if you like, but write and reuse from one place)."""

    def __init__(
        self,
        *,
        store: SiteStore,
        release: SiteRelease,
        previous: SiteRelease | None,
        progress=None,
        recycled: str | None = None,
        present: set[str] | None = None,
    ):
        self.store = store
        self.release = release
        self.name = release.name
        self.trigger = release.trigger
        self.previous_name = store.live_name()
        self.previous_sources: dict = previous.sources if previous else {}
        self.sources: dict = {}
        self.total: int | None = None
        self.files_written = self.files_reused = self.bytes_written = 0
        self._previous_root = store.release_path(self.previous_name) if self.previous_name else None
        self._staging = store.staging_path(self.name)
        self._claimed: set[str] = set()
        self.recycled_name = recycled  # the release this build's staging directory started as, if any
        self._present: set[str] = present or set()  # files staging already holds (from the recycled release)
        self._staging_dirs: set[str] = set()  # directories known to be real ones, not symlinks
        self._source_dirs: set[str] = set()
        self._progress = progress
        self._started = time.monotonic()
        self._reported = 0.0

    def expect(self, total: int) -> None:
        """How many files the renderer will write or reuse, so progress can show done / total."""
        self.total = total

    def write(self, path: str, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode()
        with self.open(path) as handle:
            handle.write(data)

    @contextmanager
    def open(self, path: str) -> Iterator[IO[bytes]]:
        """A new file of the release, for outputs written piece by piece (sitemaps, feeds) instead of held whole."""
        target = self._target(path)
        replacing = path in self._present  # a recycled file, maybe shared with other releases: replace it whole
        written = target.with_name(f".{target.name}.new") if replacing else target
        fd = os.open(written, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            self.bytes_written += handle.tell()
        if replacing:
            os.replace(written, target)
        self.files_written += 1
        self._tick()

    def reuse(self, path: str) -> bool:
        """Take the file unchanged from the live release (a hard link). False if the live release has no such file:
        then render it and write it."""
        output_path_check(path)
        source = self._source(path)
        if source is None:
            return False
        target = self._target(path)
        if path not in self._present:
            link_or_copy(source, target)
        elif not os.path.samestat(os.lstat(source), os.lstat(target)):
            replacement = target.with_name(f".{target.name}.new")
            link_or_copy(source, replacement)
            os.replace(replacement, target)
        self.files_reused += 1
        self._tick()
        return True

    def keep(self, path: str) -> bool:
        """Keep the file the recycled release holds at ``path``: the caller knows it is the right one. False if
        there is none (no recycled release, or not this path): then reuse or write it."""
        if path not in self._present:
            return False
        self._claim(path)
        self.files_reused += 1
        self._tick()
        return True

    def record_sources(self, sources: dict) -> None:
        """What this release is built from (JSON: keys become strings), shown in the admin and handed to the next
        build as previous_sources."""
        self.sources.update(sources)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self._started

    def _target(self, path: str) -> Path:
        """Claim a path in staging, each path once per build: a second write would overwrite a hard-linked file
        shared with the live release. Directories are made here one by one, so none of them is a symlink."""
        self._claim(path)
        _directories_check(self._staging, path, self._staging_dirs, create=True)
        return self._staging / path

    def _claim(self, path: str) -> None:
        output_path_check(path)
        if path in self._claimed or path == PATHS:
            raise ReleaseError(
                _("%(path)s was already written in this build: two outputs have one address.") % {"path": path}
            )
        self._claimed.add(path)

    def _source(self, path: str) -> Path | None:
        if self._previous_root is None:
            return None
        source = self._previous_root / path
        try:
            mode = os.lstat(source).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return None
        _directories_check(self._previous_root, path, self._source_dirs, create=False)
        if not stat.S_ISREG(mode):
            raise UnsafePath(
                _("%(path)s in the live release is not a regular file; write it instead.") % {"path": path}
            )
        return source

    def _tick(self, force: bool = False) -> None:
        if self._progress is None:
            return
        now = time.monotonic()
        done = self.files_written + self.files_reused
        if force or done == 1 or now - self._reported >= PROGRESS_INTERVAL:
            self._reported = now
            self._progress(BuildProgress(done, self.total, self.files_written, self.files_reused, now - self._started))

    def _files_removed(self) -> int:
        if self._previous_root is None:
            return 0
        return len(release_paths(self._previous_root) - self._claimed)

    def _finish_staging(self) -> None:
        """Remove what the recycled release had and this one does not, then list this release's files."""
        for path in sorted(self._present - self._claimed):
            os.unlink(self._staging / path)
            _empty_directories_remove(self._staging, path)
        _directories_check(self._staging, PATHS, self._staging_dirs, create=True)
        listing = self._staging / f"{PATHS}.new"
        with open(listing, "x") as handle:
            handle.write("\n".join(sorted(self._claimed)))
        os.replace(listing, self._staging / PATHS)


def _empty_directories_remove(root: Path, path: str) -> None:
    """The directories of a removed file that are now empty (a withdrawn item's berita/slug/)."""
    parent = PurePosixPath(path).parent
    while parent != PurePosixPath("."):
        try:
            os.rmdir(root / parent)
        except OSError:  # not empty: neither are its parents
            return
        parent = parent.parent


def _directories_check(root: Path, path: str, checked: set[str], *, create: bool) -> None:
    """Every directory on the way to root/path is a real directory (created if asked), never a symlink."""
    steps = path.split("/")[:-1]
    for depth in range(1, len(steps) + 1):
        relative = "/".join(steps[:depth])
        if relative in checked:
            continue
        try:
            if not create:
                raise FileExistsError
            os.mkdir(root / relative)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(root / relative).st_mode):
                raise UnsafePath(_("%(path)s goes through a symlink or a file.") % {"path": relative}) from None
        checked.add(relative)


@contextmanager
def release_build(
    *,
    trigger: str = SiteRelease.Trigger.FULL,
    user=None,
    progress: Callable[[BuildProgress], None] | None = None,
    wait: float | None = None,
    on_wait: Callable[[], None] | None = None,
) -> Iterator[ReleaseBuild]:
    """Build a release and make it live; see the module docstring. wait: seconds to wait for a running build
    (None: as long as it takes); on_wait is called once if waiting starts."""
    store = SiteStore()
    with store.lock(wait=wait, on_wait=on_wait):
        releases_reconcile(store)
        build = _build_start(store, trigger, user, progress)
        try:
            yield build
            _build_publish(build)
        except BaseException as error:
            _build_discard(build, error)
            raise
        _build_mark_live(build)
        releases_prune(store)


def _build_start(store: SiteStore, trigger: str, user, progress) -> ReleaseBuild:
    live = store.live_name()
    previous = SiteRelease.objects.filter(name=live).first() if live else None
    release = SiteRelease.objects.create(
        name=store.new_name(), trigger=trigger, started_by=user if user and user.is_authenticated else None
    )
    # The row comes first: a kill from here on leaves a row to repair.
    recycled = _recyclable(store)
    if recycled is None:
        store.staging_path(release.name).mkdir()
        return ReleaseBuild(store=store, release=release, previous=previous, progress=progress)
    present = release_paths(store.release_path(recycled))
    os.rename(store.release_path(recycled), store.staging_path(release.name))  # out of sight, then changed
    SiteRelease.objects.filter(name=recycled).update(status=Status.REMOVED, sources={})
    return ReleaseBuild(
        store=store, release=release, previous=previous, progress=progress, recycled=recycled, present=present
    )


def _recyclable(store: SiteStore) -> str | None:
    """The release a build may start from: the oldest, once all kept releases exist, that is neither live nor
    where a rollback would go, and that lists its files. None: start from an empty directory."""
    names = store.release_names()
    if len(names) < max(1, settings.SIAR_SITE_KEEP_RELEASES):
        return None
    protected = {store.live_name(), releases_previous(store)}
    for name in names:
        if name not in protected and (store.release_path(name) / PATHS).is_file():
            return name
    return None


def _build_publish(build: ReleaseBuild) -> None:
    """Every file is written: move the release into place and switch `current` to it. The switch is the commit."""
    if build.files_written + build.files_reused == 0:
        raise ReleaseError(_("The build produced no files. A release without files is never made live."))
    build._tick(force=True)
    build._finish_staging()
    build.release.files_removed = build._files_removed()
    build.store.publish(build.name)
    build.store.switch(build.name)


def _build_discard(build: ReleaseBuild, error: BaseException) -> None:
    """The live site stays as it was; the row says why. Cleanup that fails here is redone by the next build."""
    logger.error("Site build %s failed", build.name, exc_info=error)
    try:
        if build.store.live_name() == build.name:  # it failed after the switch (syncing the directory): it is live
            _build_mark_live(build)
            return
        build.store.remove(build.name)
        release = _with_counts(build)
        release.status = Status.FAILED
        release.error = "".join(traceback.format_exception_only(error)).strip()
        release.save()
    except Exception:
        logger.exception("Could not record the failure of site build %s; the next build repairs it", build.name)


def _build_mark_live(build: ReleaseBuild) -> None:
    release = _with_counts(build)
    with transaction.atomic():
        SiteRelease.objects.filter(status=Status.LIVE).exclude(pk=release.pk).update(status=Status.SUPERSEDED)
        release.status = Status.LIVE
        release.save()


def _with_counts(build: ReleaseBuild) -> SiteRelease:
    release = build.release
    release.finished_at = timezone.now()
    release.duration = timedelta(seconds=build.elapsed)
    release.files_written = build.files_written
    release.files_reused = build.files_reused
    release.bytes_written = build.bytes_written
    release.record_sources(build.sources)
    return release


def releases_reconcile(store: SiteStore) -> None:
    """Make the records agree with the disk after a process was killed. Only while holding the lock, so no build
    of this site root is running: a row still 'building' belongs to a dead process."""
    store.remove_leftovers()
    live = store.live_name()
    for release in SiteRelease.objects.filter(status=Status.BUILDING).exclude(name=live or ""):
        store.remove(release.name)  # complete but never switched to: nobody has seen it
        release.status = Status.FAILED
        release.finished_at = release.finished_at or timezone.now()
        release.error = _("The build stopped before it finished (its process was killed or the server restarted).")
        release.save()
    _records_follow_live(live, user=None)
    on_disk = store.release_names()
    SiteRelease.objects.filter(status__in=[Status.SUPERSEDED, Status.ROLLED_BACK]).exclude(name__in=on_disk).update(
        status=Status.REMOVED, sources={}
    )


def _records_follow_live(live: str | None, *, user) -> None:
    """The row of the release `current` points at is the one live row. One that leaves for an older release was
    rolled back; for a newer one, superseded."""
    with transaction.atomic():
        for release in SiteRelease.objects.filter(status=Status.LIVE).exclude(name=live or ""):
            rolled_back = live is not None and release.name > live
            release.status = Status.ROLLED_BACK if rolled_back else Status.SUPERSEDED
            if rolled_back:
                release.rolled_back_at, release.rolled_back_by = timezone.now(), user
            release.save()
        if live:
            SiteRelease.objects.filter(name=live).exclude(status=Status.LIVE).update(status=Status.LIVE)


def releases_previous(store: SiteStore, live: str | None = None) -> str | None:
    """Where a rollback goes: the newest release older than the live one, skipping those already rolled back."""
    live = live or store.live_name()
    if live is None:
        return None
    skipped = set(
        SiteRelease.objects.filter(status__in=[Status.ROLLED_BACK, Status.FAILED]).values_list("name", flat=True)
    )
    older = [name for name in store.release_names() if name < live and name not in skipped]
    return older[-1] if older else None


def releases_prune(store: SiteStore, keep: int | None = None) -> list[str]:
    """Delete all but the newest `keep` releases, never the live one or the one a rollback would go to."""
    keep = max(1, settings.SIAR_SITE_KEEP_RELEASES if keep is None else keep)
    names = store.release_names()
    kept = set(names[-keep:]) | {store.live_name(), releases_previous(store)}
    removed = []
    for name in names:
        if name in kept:
            continue
        try:
            store.remove(name)
        except OSError:
            logger.exception("Could not remove old release %s; the next build tries again", name)
            continue
        removed.append(name)
    SiteRelease.objects.filter(name__in=removed).update(status=Status.REMOVED, sources={})
    return removed


@dataclass(frozen=True)
class Rollback:
    from_name: str
    to_name: str


def site_rollback(
    *, to: str | None = None, user=None, wait: float | None = None, on_wait: Callable[[], None] | None = None
) -> Rollback:
    """Point the site at an earlier release (the previous one, or `to`): one rename, no rebuild."""
    store = SiteStore()
    with store.lock(wait=wait, on_wait=on_wait):
        releases_reconcile(store)
        live = store.live_name()
        if live is None:
            raise ReleaseError(_("No release is live yet, so there is nothing to roll back. Build the site first."))
        target = to or releases_previous(store, live)
        if target is None:
            raise ReleaseError(_("There is no earlier release to roll back to; the live release is the oldest kept."))
        if target == live:
            raise ReleaseError(_("Release %(name)s is already live.") % {"name": target})
        if target not in store.release_names():
            raise ReleaseError(
                _("Release %(name)s is not on disk (it failed or was removed). Choose one of the listed releases.")
                % {"name": target}
            )
        store.switch(target)
        _records_follow_live(target, user=user if user and user.is_authenticated else None)
    logger.info("Site rolled back from %s to %s", live, target)
    return Rollback(from_name=live, to_name=target)


@dataclass(frozen=True)
class Overview:
    releases: list[SiteRelease]
    live: str | None
    previous: str | None


def releases_overview(limit: int = 100) -> Overview:
    """The newest releases for the admin and `rollback_site --list`, each marked on_disk and can_roll_back_to.
    Repairs the records first when no build is running, so a crash never shows as a stuck 'building'."""
    store = SiteStore()
    try:
        with store.lock(wait=0):
            releases_reconcile(store)
    except BuildInProgress:
        pass
    live = store.live_name()
    on_disk = set(store.release_names())
    releases = list(SiteRelease.objects.select_related("started_by", "rolled_back_by").defer("sources")[:limit])
    for release in releases:
        release.on_disk = release.name in on_disk
        release.can_roll_back_to = release.on_disk and release.name != live and release.status != Status.BUILDING
    return Overview(releases=releases, live=live, previous=releases_previous(store, live))
