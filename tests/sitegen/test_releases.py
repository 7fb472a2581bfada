"""The release store of the public site: what a visitor, an operator or an editor would notice.

Builds write into a new release and go live in one rename; a failed or killed build leaves every live byte as it
was; readers never see an error or a page made of two releases; rollback is instant and recorded; old releases are
pruned but never the live one or the rollback target; the records repair themselves after a crash.
"""

import hashlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from kombu.exceptions import OperationalError

from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from sitegen import build as sitegen_build
from sitegen import store as sitegen_store
from sitegen.build import site_build
from sitegen.models import SiteRelease
from sitegen.releases import (
    BuildInProgress,
    ReleaseError,
    UnsafePath,
    release_build,
    releases_overview,
    releases_previous,
    releases_prune,
    site_rollback,
)
from sitegen.store import PATHS, SiteStore
from sitegen.tasks import build_site
from tests.sitegen import synthetic_outputs

ROOT = Path(__file__).resolve().parents[2]
HARNESS = Path(__file__).with_name("kill_harness.py")
Status = SiteRelease.Status


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in their English msgids, whatever the catalogue says."""
    with translation.override("en"):
        yield


@pytest.fixture
def site_root(settings, tmp_path):
    settings.SIAR_SITE_ROOT = tmp_path / "site"
    settings.SIAR_SITE_KEEP_RELEASES = 5
    return settings.SIAR_SITE_ROOT


@pytest.fixture
def renderer(monkeypatch):
    """build_site, the task and the admin's Build now render through the synthetic renderer."""
    monkeypatch.setattr(sitegen_build, "RENDERER_MODULE", "tests.sitegen.synthetic_outputs")
    synthetic_outputs.configure()
    yield synthetic_outputs
    synthetic_outputs.configure()


def build(files: dict[str, bytes | None], **options) -> SiteRelease:
    """One release: path -> bytes to write, or None to reuse the live release's file."""
    with release_build(**options) as new:
        for path, data in files.items():
            if data is None:
                assert new.reuse(path)
            else:
                new.write(path, data)
        new.record_sources({"files": sorted(files)})
    return SiteRelease.objects.get(name=new.name)


def live_name(site_root: Path) -> str:
    return Path(os.readlink(site_root / "current")).name


def tree_digest(root: Path) -> str:
    """Every file name and every byte of a tree (resolved once, so a switch cannot fall in the middle)."""
    base = os.path.realpath(root)
    digest = hashlib.sha256()
    paths = []
    for directory, _dirs, files in os.walk(base):
        paths += [os.path.relpath(os.path.join(directory, name), base) for name in files]
    for path in sorted(paths):
        digest.update(path.encode() + b"\0" + Path(base, path).read_bytes() + b"\0")
    return digest.hexdigest()


def dot_entries(site_root: Path) -> list[str]:
    """Leftovers of unfinished work: staging directories, half-deleted releases, temporary links."""
    return [
        p.name
        for p in [*site_root.iterdir(), *(site_root / "releases").iterdir()]
        if p.name.startswith(".") and p.name != ".lock"
    ]


# Writing, reusing, deleting ------------------------------------------------------------------------------------


def test_a_build_goes_live_through_a_relative_symlink_and_records_itself(site_root, db, admin_user):
    with release_build(user=admin_user) as new:
        new.write("index.html", "<h1>Beranda</h1>")
        new.write("berita/banjir/index.html", b"<h1>Banjir</h1>")
        new.record_sources({"pages": {3: 17, 4: 21}, "snippets": {"agency": 2}})
    assert os.readlink(site_root / "current") == f"releases/{new.name}"  # relative: the tree can be moved as is
    assert (site_root / "current" / "berita" / "banjir" / "index.html").read_bytes() == b"<h1>Banjir</h1>"
    release = SiteRelease.objects.get(name=new.name)
    assert release.status == Status.LIVE
    assert (release.files_written, release.files_reused, release.files_removed) == (2, 0, 0)
    assert release.bytes_written == len("<h1>Beranda</h1>") + len("<h1>Banjir</h1>")
    assert release.sources == {"pages": {"3": 17, "4": 21}, "snippets": {"agency": 2}}
    assert release.sources_summary == "pages: 2, snippets: 1"
    assert release.started_by == admin_user
    assert release.finished_at >= release.started_at and release.duration is not None


def test_reuse_hard_links_the_live_file_and_unlisted_files_disappear(site_root, db):
    first = build({"index.html": b"A", "berita/tetap/index.html": b"tidak berubah", "berita/hapus/index.html": b"x"})
    second = build({"index.html": b"B", "berita/tetap/index.html": None})
    store = SiteStore()
    old_copy = os.stat(store.release_path(first.name) / "berita/tetap/index.html")
    new_copy = os.stat(store.release_path(second.name) / "berita/tetap/index.html")
    assert new_copy.st_ino == old_copy.st_ino and new_copy.st_nlink == 2  # one inode: no bytes copied
    assert (site_root / "current/berita/tetap/index.html").read_bytes() == b"tidak berubah"
    assert not (site_root / "current/berita/hapus/index.html").exists()  # not written nor reused: deleted
    assert (store.release_path(first.name) / "index.html").read_bytes() == b"A"  # the old release is untouched
    assert (second.files_written, second.files_reused, second.files_removed, second.bytes_written) == (1, 1, 1, 1)


def release_trees(site_root: Path) -> dict[str, str]:
    return {name: tree_digest(SiteStore().release_path(name)) for name in SiteStore().release_names()}


def test_once_all_kept_releases_exist_a_build_recycles_the_oldest_and_changes_no_other(site_root, db):
    """A publication at 10,000 items must not link 30,000 files into a fresh tree: the oldest release is reused as
    the staging directory and only what differs is replaced, by rename, so files shared with others stay intact."""
    shared = {f"berita/{n}/index.html": f"berita {n}".encode() for n in range(20)}
    names = [build({"index.html": f"beranda {n}".encode(), **shared}).name for n in range(5)]
    before = release_trees(site_root)
    oldest_file = SiteStore().release_path(names[0]) / "berita/3/index.html"
    inode = os.stat(oldest_file).st_ino
    with release_build(trigger="incremental") as new:
        assert new.recycled_name == names[0]
        assert new.keep("berita/3/index.html")  # the recycled release already holds the right bytes
        new.write("index.html", b"beranda baru")  # replaced: the old inode stays with the releases sharing it
        assert new.reuse("berita/4/index.html")  # linked from the live release
        new.write("berita/5/index.html", b"berita 5 dikoreksi")
        new.write("berita/baru/index.html", b"berita baru")
        assert not new.keep("berita/baru/index.html")  # not in the recycled release: nothing to keep
    store = SiteStore()
    assert store.release_names() == [*names[1:], new.name]
    after = release_trees(site_root)
    assert {name: after[name] for name in names[1:]} == {name: before[name] for name in names[1:]}
    live = site_root / "current"
    assert os.stat(live / "berita/3/index.html").st_ino == inode
    assert (live / "index.html").read_bytes() == b"beranda baru"
    assert (live / "berita/5/index.html").read_bytes() == b"berita 5 dikoreksi"
    assert os.path.samefile(live / "berita/4/index.html", store.release_path(names[4]) / "berita/4/index.html")
    assert not (live / "berita/7").exists()  # neither kept, reused nor written: deleted, its directory too
    assert sorted(sitegen_store.release_paths(live)) == sorted(
        ["index.html", "berita/3/index.html", "berita/4/index.html", "berita/5/index.html", "berita/baru/index.html"]
    )
    release = SiteRelease.objects.get(name=new.name)
    assert (release.files_written, release.files_reused, release.files_removed) == (3, 2, 17)
    assert SiteRelease.objects.get(name=names[0]).status == Status.REMOVED
    assert dot_entries(site_root) == []


def test_a_failed_recycling_build_leaves_the_live_site_and_the_next_build_starts_clean(site_root, db):
    names = [build({"index.html": f"beranda {n}".encode(), "a/index.html": b"a"}).name for n in range(5)]
    live_before = tree_digest(site_root / "current")
    with pytest.raises(RuntimeError, match="rusak"), release_build() as new:
        assert new.recycled_name == names[0]
        new.write("index.html", b"setengah jadi")
        raise RuntimeError("rusak")
    assert live_name(site_root) == names[4] and tree_digest(site_root / "current") == live_before
    assert SiteStore().release_names() == names[1:] and dot_entries(site_root) == []
    after = build({"index.html": b"beranda pulih", "a/index.html": None})
    assert (site_root / "current/index.html").read_bytes() == b"beranda pulih"
    assert SiteRelease.objects.get(name=after.name).status == Status.LIVE


def test_the_live_release_and_the_rollback_target_are_never_recycled(site_root, db, settings):
    settings.SIAR_SITE_KEEP_RELEASES = 3
    first, second, third = (build({"index.html": f"{n}".encode()}).name for n in range(3))
    site_rollback()  # live: second; a rollback from there goes to first
    with release_build() as new:
        assert new.recycled_name == third  # neither second (live) nor first (the rollback target)
        new.write("index.html", b"4")
    assert set(SiteStore().release_names()) == {first, second, new.name}


def test_reuse_says_when_there_is_nothing_to_reuse(site_root, db):
    with release_build() as first:
        assert first.reuse("index.html") is False  # no live release yet
        first.write("index.html", b"A")
    with release_build() as second:
        assert second.previous_name == first.name
        assert second.reuse("belum-ada.html") is False
        assert second.reuse("index.html") is True


def test_a_path_is_written_once_so_a_shared_file_is_never_overwritten(site_root, db):
    build({"situs.css": b"lama"})
    with pytest.raises(ReleaseError, match="already written"), release_build() as new:
        assert new.reuse("situs.css")
        new.write("situs.css", b"baru")  # would truncate the inode the live release shares
    assert (site_root / "current/situs.css").read_bytes() == b"lama"


@pytest.mark.parametrize(
    "path",
    ["../lolos.html", "/etc/passwd", "berita/../../lolos.html", "a//b.html", "", ".", "a/./b", "dir/", "a\\..\\b"],
)
def test_paths_that_leave_the_release_are_refused(site_root, db, path):
    build({"index.html": b"A"})
    for attempt in ("write", "reuse"):
        with pytest.raises(UnsafePath), release_build() as new:
            new.write("index.html", b"B")
            new.write(path, b"x") if attempt == "write" else new.reuse(path)
    assert not (site_root.parent / "lolos.html").exists()
    assert (site_root / "current/index.html").read_bytes() == b"A"


def test_symlinks_carry_neither_a_write_nor_a_reuse_outside(site_root, db, tmp_path):
    outside = tmp_path / "luar"
    outside.mkdir()
    (outside / "rahasia.txt").write_bytes(b"rahasia")
    first = build({"index.html": b"A"})
    store = SiteStore()
    with pytest.raises(UnsafePath), release_build() as new:
        os.symlink(outside, store.staging_path(new.name) / "berita")  # planted in staging by someone else
        new.write("berita/x.html", b"x")
    assert sorted(p.name for p in outside.iterdir()) == ["rahasia.txt"]
    live = store.release_path(first.name)
    os.symlink(outside, live / "folder")
    os.symlink(outside / "rahasia.txt", live / "berkas.txt")
    for path in ("folder/rahasia.txt", "berkas.txt"):
        with pytest.raises(UnsafePath), release_build() as new:
            new.write("index.html", b"B")
            new.reuse(path)
    assert live_name(site_root) == first.name


# Failures -----------------------------------------------------------------------------------------------------


def test_a_failing_build_leaves_every_live_byte_and_records_why(site_root, db):
    first = build({"index.html": b"A", "berita/satu/index.html": b"1", "berita/dua/index.html": b"2"})
    before = tree_digest(site_root / "current")
    with pytest.raises(RuntimeError, match="template rusak"), release_build() as new:
        new.write("index.html", b"B")
        new.reuse("berita/satu/index.html")
        for number in range(30):
            new.write(f"berita/baru-{number}/index.html", b"baru")
        raise RuntimeError("template rusak")
    assert live_name(site_root) == first.name
    assert tree_digest(site_root / "current") == before
    failed = SiteRelease.objects.get(name=new.name)
    assert failed.status == Status.FAILED
    assert failed.error == "RuntimeError: template rusak"
    assert (failed.files_written, failed.files_reused) == (31, 1)
    assert SiteStore().release_names() == [first.name] and dot_entries(site_root) == []
    assert SiteRelease.objects.get(name=first.name).status == Status.LIVE


def test_a_build_without_files_never_goes_live(site_root, db):
    first = build({"index.html": b"A"})
    with pytest.raises(ReleaseError, match="no files"), release_build():
        pass
    assert live_name(site_root) == first.name
    assert SiteRelease.objects.filter(status=Status.FAILED).count() == 1


def test_a_second_build_waits_for_the_first_or_fails_fast_when_asked(site_root, db):
    with SiteStore().lock(), pytest.raises(BuildInProgress, match="Wait until it finishes"), release_build(wait=0):
        pytest.fail("the build must not start while another holds the lock")
    assert not SiteRelease.objects.exists()

    holding, let_go = threading.Event(), threading.Event()

    def other_build():
        with SiteStore().lock():
            holding.set()
            let_go.wait(30)

    other = threading.Thread(target=other_build)
    other.start()
    assert holding.wait(30)
    waited = []
    with release_build(on_wait=lambda: (waited.append(True), let_go.set())) as new:  # waits, then builds
        new.write("index.html", b"A")
    other.join(30)
    assert waited == [True]
    assert live_name(site_root) == new.name


def test_a_killed_build_is_marked_failed_and_its_leftovers_removed_at_the_next_start(site_root, db):
    first = build({"index.html": b"A"})
    store = SiteStore()
    killed_writing = SiteRelease.objects.create(name=store.new_name())
    store.staging_path(killed_writing.name).mkdir()
    (store.staging_path(killed_writing.name) / "setengah.html").write_bytes(b"setengah")
    killed_before_switch = SiteRelease.objects.create(name=store.new_name())
    store.release_path(killed_before_switch.name).mkdir()
    (store.release_path(killed_before_switch.name) / "index.html").write_bytes(b"tidak pernah tayang")
    os.symlink("releases/x", site_root / ".current-x")
    before = tree_digest(site_root / "current")

    assert releases_overview().live == first.name  # the admin's listing repairs the records when idle
    for release in (killed_writing, killed_before_switch):
        release.refresh_from_db()
        assert release.status == Status.FAILED and "killed" in release.error
    assert store.release_names() == [first.name] and dot_entries(site_root) == []
    assert tree_digest(site_root / "current") == before
    second = build({"index.html": b"B"})
    assert second.status == Status.LIVE


def test_a_current_made_by_hand_is_left_alone_and_the_message_says_what_to_do(site_root, db):
    (site_root / "current").mkdir(parents=True)
    (site_root / "current" / "index.html").write_bytes(b"disalin manual")
    with pytest.raises(ReleaseError, match="real directory, not the symlink"), release_build():
        pytest.fail("a build must not start over a hand-made current")
    assert (site_root / "current" / "index.html").read_bytes() == b"disalin manual"
    (site_root / "current" / "index.html").unlink()
    (site_root / "current").rmdir()
    os.symlink("/srv/lain", site_root / "current")
    with pytest.raises(ReleaseError, match="changed by hand. Point it back"):
        site_rollback()
    assert os.readlink(site_root / "current") == "/srv/lain"


def test_a_build_killed_right_after_its_switch_is_recorded_as_live(site_root, db):
    first = build({"index.html": b"A"})
    store = SiteStore()
    switched = SiteRelease.objects.create(name=store.new_name())
    store.release_path(switched.name).mkdir()
    (store.release_path(switched.name) / "index.html").write_bytes(b"B")
    store.switch(switched.name)  # and the process died before recording it
    third = build({"index.html": None})
    switched.refresh_from_db()
    first.refresh_from_db()
    assert switched.status == Status.SUPERSEDED and first.status == Status.SUPERSEDED
    assert third.status == Status.LIVE and (site_root / "current/index.html").read_bytes() == b"B"


def test_a_build_that_fails_after_its_switch_is_recorded_as_live(site_root, db, monkeypatch):
    """The switch is the commit: if syncing the directory fails after the rename, the release is live all the same."""
    build({"index.html": b"A"})
    real_fsync = sitegen_store.fsync_directory

    def failing_fsync(path):
        if Path(path) == site_root:
            raise OSError("disk I/O error")
        real_fsync(path)

    monkeypatch.setattr(sitegen_store, "fsync_directory", failing_fsync)
    with pytest.raises(OSError, match="disk I/O error"), release_build() as new:
        new.write("index.html", b"B")
    assert live_name(site_root) == new.name and (site_root / "current/index.html").read_bytes() == b"B"
    assert SiteRelease.objects.get(status=Status.LIVE).name == new.name


# Rollback and pruning -----------------------------------------------------------------------------------------


def test_rollback_serves_the_previous_release_at_once_and_is_recorded(site_root, db, admin_user):
    first, second, third = (build({"index.html": text}) for text in (b"A", b"B", b"C"))
    store = SiteStore()
    inode = os.stat(store.release_path(second.name) / "index.html").st_ino
    rollback = site_rollback(user=admin_user)
    assert (rollback.from_name, rollback.to_name) == (third.name, second.name)
    assert (site_root / "current/index.html").read_bytes() == b"B"
    assert os.stat(site_root / "current/index.html").st_ino == inode  # the same files: nothing rebuilt or copied
    third.refresh_from_db()
    second.refresh_from_db()
    assert third.status == Status.ROLLED_BACK and third.rolled_back_by == admin_user and third.rolled_back_at
    assert second.status == Status.LIVE

    assert site_rollback().to_name == first.name  # again: further back, not forth
    fourth = build({"index.html": b"D"})
    assert releases_previous(store) == first.name  # releases taken down by a rollback are skipped
    assert site_rollback(to=third.name).to_name == third.name  # but can be named explicitly
    fourth.refresh_from_db()
    assert fourth.status == Status.ROLLED_BACK
    assert SiteRelease.objects.get(status=Status.LIVE).name == third.name == live_name(site_root)


def test_rollback_refuses_what_it_cannot_do_and_leaves_the_site(site_root, db):
    with pytest.raises(ReleaseError, match="nothing to roll back"):
        site_rollback()
    first = build({"index.html": b"A"})
    with pytest.raises(ReleaseError, match="no earlier release"):
        site_rollback()
    second = build({"index.html": b"B"})
    for name in ("../../etc", f"{first.name}/..", "20990101T000000.000Z-ffff", second.name, ".lock"):
        with pytest.raises(ReleaseError):
            site_rollback(to=name)
    assert live_name(site_root) == second.name


def test_the_switch_replaces_current_and_never_unlinks_it(site_root, db, monkeypatch):
    """`ln -sfn` unlinks and re-creates: for a moment there is no site. The switch must be one rename."""
    build({"index.html": b"A"})
    current = str(site_root / "current")
    calls = []

    def spy(name):
        real = getattr(os, name)

        def recorded(*args, **kwargs):
            calls.append((name, *map(str, args)))
            return real(*args, **kwargs)

        return recorded

    for name in ("unlink", "remove", "replace", "rename"):
        monkeypatch.setattr(os, name, spy(name))
    build({"index.html": b"B"})
    site_rollback()
    assert [call for call in calls if current in call[1:2]] == []  # never unlinked, removed or renamed away
    assert [call[0] for call in calls if call[2:] == (current,)] == ["replace", "replace"]


def test_pruning_keeps_the_newest_the_live_and_the_rollback_target(site_root, db, settings):
    settings.SIAR_SITE_KEEP_RELEASES = 2
    releases = [build({"index.html": str(number).encode()}) for number in range(4)]
    store = SiteStore()
    assert store.release_names() == [releases[2].name, releases[3].name]
    for removed in SiteRelease.objects.filter(pk__in=[r.pk for r in releases[:2]]):
        assert removed.status == Status.REMOVED
        assert removed.sources == {} and removed.sources_summary == "files: 1"  # the bulky record goes with the files

    settings.SIAR_SITE_KEEP_RELEASES = 5
    releases += [build({"index.html": str(number).encode()}) for number in range(4, 7)]  # r2..r6 on disk
    site_rollback(to=releases[3].name)  # live r3, a rollback from there goes to r2
    assert releases_prune(store, keep=1) == [releases[4].name, releases[5].name]
    assert store.release_names() == [releases[2].name, releases[3].name, releases[6].name]
    assert live_name(site_root) == releases[3].name


def test_release_names_sort_by_time_even_if_the_clock_steps_back(site_root, db):
    store = SiteStore()
    store.ensure()
    (store.releases / "20991231T235959.999Z-ffff").mkdir()  # a release from a clock that ran ahead
    assert store.new_name() > "20991231T235959.999Z-ffff"


# Readers during switches, and builds killed at random points ---------------------------------------------------

PAGE_VIEW = ["index.html", "berita/banjir/index.html", "static/situs.css", "app/berita.json"]


def page_release(content: bytes) -> set[str]:
    """The release named at the start and at the end of a served file: one name if the file is whole."""
    lines = content.split(b"\n")
    return {lines[0].split(b"=")[1].decode(), lines[-2].split(b"=")[1].decode()}


def test_readers_during_100_switches_never_fail_and_never_mix_two_releases(site_root, db, settings):
    """A page view here is what nginx does for one request: resolve `current` once, then read that release's
    files (the page and what it includes). "A page from two releases" would be a view whose files name different
    releases, or a single file read through `current` whose start and end name different releases; an error is any
    exception, including `current` missing for an instant. Readers run in threads while the main thread builds and
    switches 100 times."""
    # Releases are pruned 5 switches after they stop being live; here switches come milliseconds apart, and a reader
    # thread the scheduler pauses that long would find its release pruned. That is not what a 60 ms request meets.
    settings.SIAR_SITE_KEEP_RELEASES = 200
    filler = b"." * 65536

    def switch_once():
        with release_build() as new:
            for path in PAGE_VIEW:
                new.write(path, b"release=%s\n%s\nrelease=%s\n" % (new.name.encode(), filler, new.name.encode()))

    switch_once()
    current = site_root / "current"
    stop, problems, seen, views = threading.Event(), [], set(), []

    def read():
        while not stop.is_set():
            try:
                release = site_root / os.readlink(current)
                names = set().union(*(page_release((release / path).read_bytes()) for path in PAGE_VIEW))
                if names != {release.name}:
                    problems.append(f"one page view, several releases: {sorted(names)}")
                single = page_release((current / "index.html").read_bytes())
                if len(single) != 1:
                    problems.append(f"one file from two releases: {sorted(single)}")
                os.stat(current)
                seen.add(release.name)
                views.append(1)
            except Exception as error:  # noqa: BLE001 — every error a reader meets is a failure of the test
                problems.append(repr(error))

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    for _ in range(100):
        switch_once()
    stop.set()
    for reader in readers:
        reader.join(30)
    assert problems == []
    assert len(seen) > 1 and len(views) > 100  # the readers really read while the site switched


class Harness:
    """The fork server of kill_harness.py, spoken to line by line."""

    def __init__(self, process: subprocess.Popen, log: Path):
        self.process, self.log = process, log

    def ask(self, **request) -> dict:
        if request:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"the harness died:\n{self.log.read_text()}"
        return json.loads(line)

    def build(self, *, version: str, kill: str | None = None, kill_after: float | None = None) -> dict:
        pid = self.ask(op="build", pages=KILL_PAGES, version=version, kill=kill)["pid"]
        if kill_after is not None:
            time.sleep(kill_after)
            os.kill(pid, signal.SIGKILL)  # if it already exited, this hits a zombie: harmless, and `wait` tells
        return self.ask(op="wait", pid=pid)


KILL_PAGES = 200


@pytest.fixture
def harness(request, tmp_path, site_root):
    """On PostgreSQL the children write to the test database (committed, so the test run is transactional); on
    SQLite, whose test database lives in this process's memory, to a scratch file with the one table they need."""
    from django.db import connection

    args = [sys.executable, str(HARNESS), str(site_root)]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "siar.settings.test"}
    if connection.vendor == "postgresql":
        request.getfixturevalue("transactional_db")
        db = connection.settings_dict
        login = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
        env["DATABASE_URL"] = f"postgres://{login}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'kill.sqlite3'}"
        args.append("--create-tables")
    log = tmp_path / "harness.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True
        )
    server = Harness(process, log)
    assert server.ask() == {"ready": True}
    yield server
    process.stdin.close()
    process.wait(timeout=30)


def assert_whole_release(root: Path) -> None:
    """Every page of a synthetic build, each a whole page (what a build killed after its switch leaves live)."""
    base = Path(os.path.realpath(root))
    expected = sorted(synthetic_outputs.page_path(number) for number in range(KILL_PAGES))
    assert sorted(str(p.relative_to(base)) for p in base.rglob("*") if p.is_file()) == sorted([*expected, PATHS])
    assert sorted(sitegen_store.release_paths(base)) == expected  # and the release lists exactly those
    for number in range(KILL_PAGES):
        start, end = synthetic_outputs.page_marks((base / synthetic_outputs.page_path(number)).read_bytes())
        assert start == end and int(start[2]) == number


def test_builds_killed_at_random_points_never_change_the_live_site(harness, site_root):
    """SIGKILL at chosen points (mid-render, around the sync, the publish rename and the switch) and at 20+ random
    moments. Until the switch, the live tree must be byte-for-byte what it was; a kill after the switch leaves the
    new release whole. Then the next build succeeds and leaves neither leftovers nor a row stuck in 'building'."""
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    current = site_root / "current"
    started = time.monotonic()
    assert harness.build(version="v0") == {"killed": False, "exit": 0}
    span = time.monotonic() - started  # random kills fall anywhere in a build's time, not only at its start
    state = {"live": live_name(site_root), "digest": tree_digest(current)}
    went_live_unrecorded = []

    def kill_and_check(label: str, **kill) -> bool:
        outcome = harness.build(version=label, **kill)
        if not outcome["killed"]:
            assert outcome == {"killed": False, "exit": 0}, (label, seed, harness.log.read_text())
        if live_name(site_root) == state["live"]:
            assert tree_digest(current) == state["digest"], f"live site changed by a kill ({label}, seed {seed})"
        else:  # the kill came after the switch, or the build finished: the new release is whole
            assert_whole_release(current)
            if outcome["killed"]:
                went_live_unrecorded.append(live_name(site_root))
            state.update(live=live_name(site_root), digest=tree_digest(current))
        return outcome["killed"]

    points = ["page:0", "page:100", "page:199", "before-sync", "before-publish", "after-publish", "before-switch"]
    for point in [*points, "after-switch"]:
        assert kill_and_check(point, kill=point), f"the build was not killed at {point}"
    assert went_live_unrecorded, "the kill after the switch must have left its release live"
    random_kills = attempts = 0
    while random_kills < 20 and attempts < 100:
        attempts += 1
        random_kills += kill_and_check(f"r{attempts}", kill_after=rng.uniform(0, span))
    assert random_kills >= 20, f"only {random_kills} of {attempts} builds were killed before exiting (seed {seed})"

    assert harness.build(version="final") == {"killed": False, "exit": 0}
    assert_whole_release(current)
    assert dot_entries(site_root) == []
    rows = dict(harness.ask(op="rows")["rows"])
    assert Status.BUILDING not in rows.values()
    assert [name for name, status in rows.items() if status == Status.LIVE] == [live_name(site_root)]
    for name in SiteStore().release_names():
        assert rows[name] in (Status.LIVE, Status.SUPERSEDED), name  # every release kept went live once
    assert list(rows.values()).count(Status.FAILED) >= len(points)  # each of these died after its row existed
    for name in went_live_unrecorded:
        assert rows[name] in (Status.SUPERSEDED, Status.REMOVED), "a release that went live is not a failure"


# Commands, task, placeholder ----------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_build_site_shows_progress_on_a_terminal_and_always_a_summary(site_root, db, renderer):
    terminal = Terminal()
    call_command("build_site", stdout=terminal)
    first = SiteRelease.objects.get(status=Status.LIVE)
    output = terminal.getvalue()
    assert "\r1 of 40 files (" in output and "\r40 of 40 files (" in output
    assert f"Release {first.name} is live: 40 files written, 0 reused, 0 removed, in " in output

    renderer.configure(pages=40, reuse_every=2)
    plain = io.StringIO()
    call_command("build_site", "--incremental", stdout=plain)
    second = SiteRelease.objects.get(status=Status.LIVE)
    assert second.trigger == SiteRelease.Trigger.INCREMENTAL
    assert plain.getvalue().startswith(f"Release {second.name} is live: 20 files written, 20 reused, 0 removed")
    assert "\r" not in plain.getvalue() and plain.getvalue().count("\n") == 1  # a log gets one line


def test_build_site_failure_says_the_site_did_not_change_and_what_to_do(site_root, db, renderer, monkeypatch):
    call_command("build_site", stdout=io.StringIO())
    before = tree_digest(site_root / "current")

    def broken(build):
        build.write("index.html", b"setengah")
        raise ValueError("template berita rusak")

    monkeypatch.setattr(renderer, "build_all", broken)
    with pytest.raises(CommandError, match="live site was not changed: template berita rusak. Fix the cause"):
        call_command("build_site", stdout=io.StringIO())
    assert tree_digest(site_root / "current") == before
    with SiteStore().lock(), pytest.raises(CommandError, match="Another build or rollback of the site is running"):
        call_command("build_site", "--no-wait", stdout=io.StringIO())


def test_rollback_site_lists_and_switches(site_root, db, renderer):
    with pytest.raises(CommandError, match="nothing to roll back"):
        call_command("rollback_site", stdout=io.StringIO())
    call_command("build_site", stdout=io.StringIO())
    call_command("build_site", stdout=io.StringIO())
    older, newer = SiteStore().release_names()
    listing = io.StringIO()
    call_command("rollback_site", "--list", stdout=listing)
    lines = listing.getvalue().splitlines()
    assert lines[0].startswith(f"* {newer}  Live") and lines[1].startswith(f"< {older}  Superseded")
    output = io.StringIO()
    call_command("rollback_site", stdout=output)
    assert output.getvalue() == f"The site now serves release {older} (it served {newer}).\n"
    call_command("rollback_site", "--to", newer, stdout=io.StringIO())
    assert live_name(site_root) == newer
    with pytest.raises(CommandError, match="not on disk"):
        call_command("rollback_site", "--to", "tidak-ada", stdout=io.StringIO())


def test_the_celery_task_builds_and_records_who_asked(site_root, db, renderer, admin_user):
    name = build_site.delay(user_id=admin_user.pk).get()
    release = SiteRelease.objects.get(name=name)
    assert release.status == Status.LIVE and release.started_by == admin_user and live_name(site_root) == name


def test_a_renderer_that_cannot_be_imported_is_a_failed_release_not_a_changed_site(
    site_root, db, renderer, monkeypatch
):
    call_command("build_site", stdout=io.StringIO())
    before = tree_digest(site_root / "current")
    monkeypatch.setattr(sitegen_build, "RENDERER_MODULE", "sitegen.no_such_renderer")
    with pytest.raises(ModuleNotFoundError):
        site_build()
    assert tree_digest(site_root / "current") == before
    failed = SiteRelease.objects.get(status=Status.FAILED)
    assert failed.error == "ModuleNotFoundError: No module named 'sitegen.no_such_renderer'"


# Admin ---------------------------------------------------------------------------------------------------------


def assert_refused(response) -> None:
    """Wagtail answers PermissionDenied in the admin with a redirect to the dashboard and an error message."""
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home"), response


@pytest.fixture
def operator(editor):
    """An editor also allowed to roll the site back (and so to see the releases)."""
    editor.user_permissions.add(Permission.objects.get(codename="rollback_siterelease"))
    return editor


def test_the_release_list_is_for_permitted_users(client, site_root, db, renderer, admin_user, editor):
    call_command("build_site", stdout=io.StringIO())
    client.force_login(editor)
    assert_refused(client.get(reverse("sitegen_releases")))
    assert reverse("sitegen_releases") not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(admin_user)
    assert reverse("sitegen_releases") in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_release_list_shows_status_trigger_counts_and_sources(client, site_root, db, renderer, admin_user):
    call_command("build_site", stdout=io.StringIO())
    renderer.configure(pages=3)
    call_command("build_site", stdout=io.StringIO())
    SiteRelease.objects.create(name=SiteStore().new_name())  # a build killed earlier: shown failed, not building
    client.force_login(admin_user)
    page = client.get(reverse("sitegen_releases")).content.decode()
    older, newer = SiteStore().release_names()
    assert f'data-release="{newer}" data-status="live"' in page
    assert f'data-release="{older}" data-status="superseded"' in page
    assert 'data-status="failed"' in page and 'data-status="building"' not in page
    assert "3 / 0 / 37" in page and "pages: 3, version: v1" in page
    assert reverse("sitegen_rollback", args=[older]) in page
    assert reverse("sitegen_rollback", args=[newer]) not in page  # the live one is not offered


def test_rollback_from_the_admin_asks_then_switches_and_records_who(client, site_root, db, renderer, operator):
    call_command("build_site", stdout=io.StringIO())
    call_command("build_site", stdout=io.StringIO())
    older, newer = SiteStore().release_names()
    client.force_login(operator)
    url = reverse("sitegen_rollback", args=[older])
    confirm = client.get(url)
    assert confirm.status_code == 200 and older in confirm.content.decode() and newer in confirm.content.decode()
    assert live_name(site_root) == newer  # asking changes nothing
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse("sitegen_releases")
    assert live_name(site_root) == older
    taken_down = SiteRelease.objects.get(name=newer)
    assert taken_down.status == Status.ROLLED_BACK and taken_down.rolled_back_by == operator


def test_rollback_from_the_admin_needs_the_permission_and_never_waits(
    client, site_root, db, renderer, editor, admin_user
):
    call_command("build_site", stdout=io.StringIO())
    call_command("build_site", stdout=io.StringIO())
    older, newer = SiteStore().release_names()
    editor.user_permissions.add(Permission.objects.get(codename="view_siterelease"))
    client.force_login(editor)
    assert client.get(reverse("sitegen_releases")).status_code == 200
    assert_refused(client.get(reverse("sitegen_rollback", args=[older])))
    assert_refused(client.post(reverse("sitegen_rollback", args=[older])))
    assert_refused(client.post(reverse("sitegen_build_now")))
    assert SiteRelease.objects.count() == 2
    assert live_name(site_root) == newer

    client.force_login(admin_user)
    with SiteStore().lock():  # a build is running: the button answers at once and changes nothing
        response = client.post(reverse("sitegen_rollback", args=[older]), follow=True)
    assert live_name(site_root) == newer
    assert any(message.level_tag == "error" for message in response.context["messages"])


def test_build_now_queues_the_task_which_builds_as_the_user(client, site_root, db, renderer, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("sitegen_build_now")).status_code == 405
    response = client.post(reverse("sitegen_build_now"))
    assert response.status_code == 302
    release = SiteRelease.objects.get(status=Status.LIVE)  # eager Celery in tests: the task ran in the request
    assert release.started_by == admin_user and live_name(site_root) == release.name


def test_build_now_says_so_when_the_task_queue_does_not_answer(client, site_root, db, admin_user, monkeypatch):
    def broker_down(*args, **kwargs):
        raise OperationalError("[Errno 111] Connection refused")

    monkeypatch.setattr(build_site, "delay", broker_down)
    client.force_login(admin_user)
    response = client.post(reverse("sitegen_build_now"), follow=True)
    assert [message.level_tag for message in response.context["messages"]] == ["error"]
    assert not SiteRelease.objects.exists()
