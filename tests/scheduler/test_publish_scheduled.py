"""Wagtail's scheduled publishing is driven by our beat schedule: a page set to go live does go live."""

import time
from datetime import timedelta

import pytest

from django.conf import settings
from django.utils import timezone

from wagtail.models import Revision

from cms.models import NewsPage
from scheduler.tasks import publish_scheduled
from tests.factories import verify_revision


def test_beat_runs_publish_scheduled_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["publish-scheduled-every-minute"]
    assert entry["task"] == publish_scheduled.name
    assert entry["schedule"] == timedelta(minutes=1)


@pytest.mark.django_db
def test_scheduled_news_goes_live_when_the_task_runs(news_index):
    page = news_index.add_child(
        instance=NewsPage(title="Pasar murah di Gunung Megang", lead="Pasar murah digelar Sabtu.", live=False)
    )
    page.go_live_at = timezone.now() + timedelta(seconds=2)
    revision = page.save_revision()
    verify_revision(revision)  # the verification gate: only a verified revision may be scheduled
    revision.publish()
    page.refresh_from_db()
    assert not page.live, "a future go-live must schedule the revision, not publish it"

    assert Revision.objects.get(pk=revision.pk).approved_go_live_at == page.go_live_at

    time.sleep(max(0.0, (page.go_live_at - timezone.now()).total_seconds()) + 0.2)  # the go-live time passes
    publish_scheduled.delay()

    page.refresh_from_db()
    assert page.live
    assert page.live_revision_id == revision.pk
