"""The office head's view, in a real browser: log in, open the freshness dashboard (Pantauan › Dasbor kesegaran),
filter by state "Usang" (stale) and see only the stale channels, with their badges and posting-cadence charts.

Debian's Chromium through Playwright against pytest-django's live server;
screenshots go to test-artifacts/.
"""

import re
from datetime import timedelta

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from scheduler.models import FeedItem, SourceState, WatchedSource
from tests.factories import AgencyFactory, KimGroupFactory

pytestmark = pytest.mark.browser

USERNAME = "kabid"
PASSWORD = "Pantau-Siar-2024!"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_moderator_filters_the_dashboard_to_stale_channels(live_server, browser_page, artifacts):
    from playwright.sync_api import expect

    now = timezone.now()
    user = get_user_model().objects.create_user(username=USERNAME, password=PASSWORD, email="kabid@example.id")
    user.groups.add(Group.objects.get(name="Moderators"))
    dinkes = AgencyFactory(name="Dinas Kesehatan", abbreviation="Dinkes")
    kim = KimGroupFactory(name="KIM Maju Bersama")
    for name, state, days, owner in [
        ("Situs Dinkes", SourceState.FRESH, 1, {"agency": dinkes}),
        ("Instagram Dinkes", SourceState.STALE, 25, {"agency": dinkes}),
        ("Facebook Dinkes", SourceState.DUE, 9, {"agency": dinkes}),
        ("YouTube KIM Maju Bersama", SourceState.STALE, 40, {"kim_group": kim}),
        ("Situs Dispar", SourceState.UNREACHABLE, 3, {"agency": AgencyFactory(name="Dinas Pariwisata")}),
    ]:
        source = WatchedSource.objects.create(
            name=name,
            url=f"https://{name.lower().replace(' ', '-')}.example.id/feed",
            state=state,
            last_item_at=now - days * timedelta(days=1),
            created_at=now - 120 * timedelta(days=1),
            **owner,
        )
        for n in range(12):  # some posting history for the sparkline
            published = now - (days + n * (3 + n % 4)) * timedelta(days=1)
            FeedItem.objects.create(
                source=source, key=f"{n:064d}", title=f"{name} {n}", published_at=published, fetched_at=now
            )

    page = browser_page
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.locator("[data-siar-freshness-panel]")).to_be_visible()
    page.screenshot(path=artifacts / "freshness-01-home.png", full_page=True)

    page.goto(f"{live_server.url}/admin/pantauan/kesegaran/")
    expect(page.get_by_role("heading", name="Kesegaran kanal")).to_be_visible()
    table = page.locator("table[data-siar-freshness]")
    expect(table.locator("tbody tr")).to_have_count(5)
    expect(table.locator("svg.siar-sparkline")).to_have_count(5)

    # The filter drawer: State = Usang.
    page.get_by_role("button", name="Tampilkan filter").click()
    page.screenshot(path=artifacts / "freshness-02-filters.png", full_page=True)
    page.locator("[data-w-drilldown-target='toggle']", has_text="Status").click()
    page.locator("#id_state").select_option(label="Usang")
    expect(table.locator("tbody tr")).to_have_count(2)
    page.wait_for_url(re.compile(r"state=stale"))
    names = [name.strip() for name in table.locator("tbody tr td:first-child a").all_inner_texts()]
    assert names == ["YouTube KIM Maju Bersama", "Instagram Dinkes"]
    badges = table.locator(".siar-state").all_inner_texts()
    assert [badge.strip() for badge in badges] == ["Usang", "Usang"]
    page.keyboard.press("Escape")
    page.screenshot(path=artifacts / "freshness-03-stale.png", full_page=True)

    page.goto(f"{live_server.url}/admin/pantauan/skor-opd/")
    expect(page.locator("table[data-siar-scorecard]")).to_contain_text("Dinas Kesehatan (Dinkes)")
    page.screenshot(path=artifacts / "freshness-04-scorecard.png", full_page=True)
