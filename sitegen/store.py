"""The release store on disk: release directories, the `current` symlink, the build lock. No database here.

    SIAR_SITE_ROOT/
        .lock                       one build or rollback at a time (flock; the kernel drops it when a process dies)
        current -> releases/<name>  what nginx serves; relative, so the tree can be moved or rsynced as it is
        releases/<name>/            complete releases; names sort by build time
        releases/.staging-<name>/   a build in progress; renamed to releases/<name> once every file is written

Every change a reader could see is one rename(2): staging → release, and a temporary symlink onto `current`
(never unlink-then-create: `ln -sfn` leaves a moment with no `current` at all). Anything dot-named is work in
progress or leftovers of a killed process, never served and removed by the next build.
"""

import errno
import fcntl
import os
import re
import secrets
import shutil
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

RELEASES = "releases"
CURRENT = "current"
LOCK = ".lock"
STAGING_PREFIX = ".staging-"
REMOVING_PREFIX = ".removing-"  # a release being deleted is renamed first, so it can never be half-served
LINK_PREFIX = ".current-"  # the temporary symlink renamed onto `current`
NAME_FORMAT = "%Y%m%dT%H%M%S.%f"  # trimmed to milliseconds: 20250314T093012.482Z-3f9a
NAME_PATTERN = re.compile(r"\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{4}")
LOCK_POLL_SECONDS = 0.2
PATHS = "_build/paths.txt"  # every release lists its files here (sitegen.releases), so nothing walks a tree


class ReleaseError(Exception):
    """A release operation refused or failed; the message says what to do next."""


class BuildInProgress(ReleaseError):
    """Another build or rollback holds the lock of this site root."""


class UnsafePath(ReleaseError):
    """An output path that would land outside the release (absolute, `..`, through a symlink)."""


def output_path_check(path: str) -> str:
    """The path itself if it is a plain relative path inside a release ("berita/slug/index.html")."""
    parts = path.split("/") if isinstance(path, str) else [""]
    if any(part in ("", ".", "..") or "\\" in part or "\x00" in part for part in parts):
        raise UnsafePath(
            _("%(path)r is not a relative path inside the release: no leading /, no .. and no empty parts.")
            % {"path": path}
        )
    return path


def fsync_directory(path: Path) -> None:
    """Make a rename inside `path` durable: without it a power cut can bring back the old entry."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def tree_files(root: Path) -> Iterator[str]:
    """Relative paths of the regular files under root, symlinks not followed."""
    for directory, _dirs, files in os.walk(root):
        base = Path(directory).relative_to(root)
        for name in files:
            if stat.S_ISREG(os.lstat(os.path.join(directory, name)).st_mode):
                yield (base / name).as_posix()


def release_paths(root: Path) -> set[str]:
    """The files of a release: its PATHS list, or for a release made before there were lists, a walk."""
    try:
        return set(filter(None, (root / PATHS).read_text().split("\n")))
    except FileNotFoundError:
        return set(tree_files(root)) - {PATHS}


class SiteStore:
    def __init__(self, root: Path | str | None = None):
        self.root = Path(root if root is not None else settings.SIAR_SITE_ROOT)
        self.releases = self.root / RELEASES
        self.current = self.root / CURRENT

    def ensure(self) -> None:
        self.releases.mkdir(parents=True, exist_ok=True)
        if self.current.exists() and not self.current.is_symlink():
            raise ReleaseError(
                _(
                    "%(path)s is a real directory, not the symlink Siar switches. Move it away (the site is "
                    "served from releases/ through that symlink), then build again."
                )
                % {"path": self.current}
            )

    @contextmanager
    def lock(self, *, wait: float | None = None, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold the site root's lock. wait: seconds to wait for another build (None: as long as it takes, 0: not)."""
        self.ensure()
        fd = os.open(self.root / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            self._acquire(fd, wait, on_wait)
            yield
        finally:
            os.close(fd)  # releases the lock

    def _acquire(self, fd: int, wait: float | None, on_wait: Callable[[], None] | None) -> None:
        deadline = None if wait is None else time.monotonic() + wait
        waited = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    raise BuildInProgress(
                        _("Another build or rollback of the site is running. Wait until it finishes, then try again.")
                    ) from None
                if not waited and on_wait is not None:
                    on_wait()
                waited = True
                time.sleep(LOCK_POLL_SECONDS)

    def live_name(self) -> str | None:
        """The release `current` points at, or None before the first build."""
        try:
            target = PurePosixPath(os.readlink(self.current))
        except FileNotFoundError:
            return None
        except OSError as error:  # EINVAL: not a symlink
            raise ReleaseError(
                _("%(path)s is not a symlink: move it away and build again.") % {"path": self.current}
            ) from error
        inside = target.parent == PurePosixPath(RELEASES) or Path(target.parent) == self.releases
        if not inside or target.name.startswith("."):
            raise ReleaseError(
                _(
                    "%(path)s points at %(target)s, outside releases/: it was changed by hand. Point it back at a "
                    "release (ln -s releases/NAME current.new && mv -T current.new current), then try again."
                )
                % {"path": self.current, "target": target}
            )
        return target.name

    def release_path(self, name: str) -> Path:
        return self.releases / name

    def staging_path(self, name: str) -> Path:
        return self.releases / f"{STAGING_PREFIX}{name}"

    def release_names(self) -> list[str]:
        """Complete releases on disk, oldest first."""
        with os.scandir(self.releases) as entries:
            return sorted(e.name for e in entries if not e.name.startswith(".") and e.is_dir(follow_symlinks=False))

    def new_name(self) -> str:
        """Sortable by time, and after every existing release even if the clock stepped back."""
        names = self.release_names()
        moment = datetime.now(UTC)
        if names and NAME_PATTERN.fullmatch(names[-1]):
            newest = datetime.strptime(names[-1][:19], NAME_FORMAT).replace(tzinfo=UTC)
            moment = max(moment, newest + timedelta(milliseconds=1))
        return f"{moment.strftime(NAME_FORMAT)[:19]}Z-{secrets.token_hex(2)}"

    def publish(self, name: str) -> None:
        """Staging becomes a complete release. os.sync first: the data must be on disk before anything points at it
        (one sync of everything instead of an fsync per file, which would dominate a 10,000-file build)."""
        os.sync()
        os.rename(self.staging_path(name), self.release_path(name))
        fsync_directory(self.releases)

    def switch(self, name: str) -> None:
        """Point `current` at releases/<name> in one rename: a reader sees the old release or the new, never none."""
        link = self.root / f"{LINK_PREFIX}{name}"
        with suppress(FileNotFoundError):
            os.unlink(link)  # left by a process killed right here
        os.symlink(f"{RELEASES}/{name}", link)
        os.replace(link, self.current)
        fsync_directory(self.root)

    def remove(self, name: str) -> None:
        """Delete a release (or its staging directory): renamed out of sight first, then deleted."""
        for path in (self.release_path(name), self.staging_path(name)):
            if os.path.lexists(path):
                doomed = self.releases / f"{REMOVING_PREFIX}{path.name.removeprefix(STAGING_PREFIX)}"
                os.rename(path, doomed)
                shutil.rmtree(doomed)

    def remove_leftovers(self) -> list[str]:
        """Staging directories, half-deleted releases and temporary links of killed processes."""
        removed = []
        with os.scandir(self.releases) as entries:
            for entry in [e for e in entries if e.name.startswith((STAGING_PREFIX, REMOVING_PREFIX))]:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
                removed.append(entry.name)
        with os.scandir(self.root) as entries:
            for entry in [e for e in entries if e.name.startswith(LINK_PREFIX)]:
                os.unlink(entry.path)
                removed.append(entry.name)
        return removed


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link (the same inode: no bytes copied, no extra space); copy where the filesystem cannot."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EMLINK, errno.EPERM, errno.ENOTSUP):
            raise
        shutil.copyfile(source, target, follow_symlinks=False)
