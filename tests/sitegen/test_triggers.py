"""Builds follow content changes: a burst of publishes makes one build, nothing public changed makes none."""

import pytest

from django.core.cache import cache

from cms.models import NewsCategory, NewsPage
from scheduler.schedule import BEAT_SCHEDULE
from sitegen.models import SiteRelease
from sitegen.tasks import build_requested
from sitegen.triggers import BUILD_FLAG
from tests.factories import NewsPageFactory


@pytest.fixture
def queued(settings, tmp_path, monkeypatch):
    """Builds on: the site root is temporary and every task queued is recorded (the queue is the boundary)."""
    settings.SIAR_SITE_ROOT = tmp_path / "site"
    settings.SIAR_SITE_AUTO_BUILD = True
    calls = []
    monkeypatch.setattr(build_requested, "apply_async", lambda *args, **kwargs: calls.append(kwargs))
    cache.delete(BUILD_FLAG)
    return calls


@pytest.mark.django_db
def test_a_burst_of_publishes_queues_one_build_at_once(queued, news_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(5):
            NewsPageFactory(title=f"Kabar Beruntun {number}")
    assert queued == [{"countdown": 0}]  # at once: a publication is live about a second later


@pytest.mark.django_db
def test_an_office_can_delay_builds_to_gather_more_changes(
    queued, news_index, django_capture_on_commit_callbacks, settings
):
    settings.SIAR_SITE_BUILD_DELAY = 30
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            NewsPageFactory(title=f"Kabar Ditunda {number}")
    assert queued == [{"countdown": 30}]


@pytest.mark.django_db
def test_a_change_during_a_build_gets_a_build_of_its_own(queued, news_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        NewsPageFactory(title="Kabar Pertama")
    build_requested()  # the queued task runs: the flag comes down, the site is built
    with django_capture_on_commit_callbacks(execute=True):
        NewsPageFactory(title="Kabar Kedua")
    assert len(queued) == 2
    assert SiteRelease.objects.filter(status="live").count() == 1


@pytest.mark.django_db
def test_the_build_runs_only_when_the_site_would_change(queued, news_index, django_capture_on_commit_callbacks):
    NewsPageFactory(title="Kabar Yang Sudah Tayang")
    assert build_requested() is not None  # first build
    assert build_requested(trigger="timer") is None  # nothing changed: no new release
    assert SiteRelease.objects.count() == 1
    page = NewsPageFactory(title="Kabar Baru Sesudahnya")
    name = build_requested(trigger="timer")
    release = SiteRelease.objects.get(name=name)
    assert release.trigger == "timer" and release.files_written < release.files_reused
    assert page.url.strip("/") + "/index.html" in {p for p in _live_files(release)}


def _live_files(release):
    from django.conf import settings

    root = settings.SIAR_SITE_ROOT / "releases" / release.name
    return [path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()]


@pytest.mark.django_db
def test_what_changes_the_site_asks_for_a_build_and_what_does_not_does_not(
    queued, news_index, django_capture_on_commit_callbacks
):
    page = NewsPageFactory(title="Kabar Untuk Diuji")
    with django_capture_on_commit_callbacks(execute=True):
        page.title = "Suntingan yang belum diverifikasi"
        page.save_revision()  # a draft: nothing public changes
    assert queued == []
    with django_capture_on_commit_callbacks(execute=True):
        category = NewsCategory.objects.first()
        category.name = "Nama Kategori Baru"
        category.save()
    assert len(queued) == 1


@pytest.mark.django_db
def test_a_broker_outage_does_not_break_the_publish(
    settings, tmp_path, monkeypatch, news_index, caplog, django_capture_on_commit_callbacks
):
    settings.SIAR_SITE_ROOT = tmp_path / "site"
    settings.SIAR_SITE_AUTO_BUILD = True
    cache.delete(BUILD_FLAG)

    def refuse(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(build_requested, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(title="Kabar Saat Antrean Mati")
    assert NewsPage.objects.get(pk=page.pk).live
    assert cache.get(BUILD_FLAG) is None  # lowered again, so the next change tries again
    assert "the timer's build will catch up" in caplog.text


def test_the_timer_builds_every_five_minutes_if_anything_changed():
    entry = BEAT_SCHEDULE["build-site-if-changed-every-5-minutes"]
    assert entry["task"] == "sitegen.build_requested" and entry["kwargs"] == {"trigger": "timer"}
    assert build_requested.time_limit
