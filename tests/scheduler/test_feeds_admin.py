"""The "Watched channels" admin menu, and watching every feed address already entered on agencies and KIM."""

import io
from datetime import timedelta

import pytest

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cms.models import AgencySocialAccount, KimSocialAccount
from scheduler.models import FeedItem, PollError, SourceState, StateTransition, WatchedSource
from tests.factories import AgencyFactory, KimGroupFactory


@pytest.fixture
def watched(db):
    now = timezone.now()
    agency = AgencyFactory(name="Dinas Kesehatan", abbreviation="Dinkes")
    fresh = WatchedSource.objects.create(
        name="Situs Dinkes", url="https://dinkes.example.go.id/feed/", agency=agency, state=SourceState.FRESH
    )
    broken = WatchedSource.objects.create(
        name="KIM Maju · YouTube",
        url="https://www.youtube.com/feeds/videos.xml?channel_id=UC123",
        kim_group=KimGroupFactory(name="KIM Maju"),
        state=SourceState.UNREACHABLE,
        consecutive_failures=5,
        last_status=404,
        last_error_kind=PollError.HTTP,
    )
    FeedItem.objects.create(
        source=fresh, key="a" * 64, title="Posyandu balita", link="https://dinkes.example.go.id/1", fetched_at=now
    )
    StateTransition.objects.create(source=broken, from_state="due", to_state="unreachable", at=now)
    return fresh, broken


def test_watched_channels_are_listed_with_state_and_filters(admin_client, watched):
    fresh, broken = watched
    listing = admin_client.get(reverse("wagtailsnippets_scheduler_watchedsource:list"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Situs Dinkes" in html and "KIM Maju · YouTube" in html
    assert "Pantauan" in html, "the menu group speaks Indonesian"
    assert "Tidak dapat dijangkau" in html and "(HTTP 404)" in html

    only_unreachable = admin_client.get(
        reverse("wagtailsnippets_scheduler_watchedsource:list"), {"state": SourceState.UNREACHABLE}
    )
    assert "KIM Maju · YouTube" in only_unreachable.content.decode()
    assert "Situs Dinkes" not in only_unreachable.content.decode()

    assert (
        admin_client.get(reverse("wagtailsnippets_scheduler_watchedsource:edit", args=(fresh.pk,))).status_code == 200
    )


def test_items_and_state_changes_are_read_only(admin_client, watched):
    item = FeedItem.objects.get()
    listing = admin_client.get(reverse("wagtailsnippets_scheduler_feeditem:list"))
    assert listing.status_code == 200 and "Posyandu balita" in listing.content.decode()
    inspect = admin_client.get(reverse("wagtailsnippets_scheduler_feeditem:inspect", args=(item.pk,)))
    assert inspect.status_code == 200
    for name, model in (("feeditem", FeedItem), ("statetransition", StateTransition)):
        obj = model.objects.get()
        assert admin_client.get(reverse(f"wagtailsnippets_scheduler_{name}:list")).status_code == 200
        for view, args in (("add", ()), ("edit", (obj.pk,)), ("delete", (obj.pk,))):
            response = admin_client.get(reverse(f"wagtailsnippets_scheduler_{name}:{view}", args=args))
            assert response.status_code in (302, 403), (name, view)
    assert FeedItem.objects.count() == 1


@pytest.mark.django_db
def test_watch_agency_feeds_creates_each_source_once():
    agency = AgencyFactory(name="Dinas Pariwisata", feed_url="https://dispar.example.go.id/feed/", contact_name="Andi")
    AgencyFactory(name="Tanpa feed")
    AgencySocialAccount.objects.create(
        agency=agency,
        platform="youtube",
        url="https://www.youtube.com/@dispar",
        feed_url="https://www.youtube.com/feeds/videos.xml?channel_id=UCdispar",
    )
    group = KimGroupFactory(name="KIM Sejahtera")
    KimSocialAccount.objects.create(
        group=group,
        platform="website",
        url="https://kimsejahtera.example.id/",
        feed_url="https://kimsejahtera.example.id/rss",
    )
    KimSocialAccount.objects.create(group=group, platform="facebook", url="https://facebook.com/kimsejahtera")
    WatchedSource.objects.create(name="Sudah dipantau", url="https://kimsejahtera.example.id/rss", kim_group=group)

    out, again = io.StringIO(), io.StringIO()
    call_command("watch_agency_feeds", stdout=out)
    assert "2 new" in out.getvalue()
    call_command("watch_agency_feeds", stdout=again)
    assert "0 new" in again.getvalue() and "3 already" in again.getvalue()

    site = WatchedSource.objects.get(url="https://dispar.example.go.id/feed/")
    assert site.agency == agency and site.kim_group is None and site.person_in_charge.startswith("Andi")
    channel = WatchedSource.objects.get(url__contains="UCdispar")
    assert channel.name == f"{agency} · YouTube"
    assert channel.kind == WatchedSource.Kind.FEED and channel.next_poll_at <= timezone.now() + timedelta(seconds=1)
    assert WatchedSource.objects.count() == 3
