"""A resident on a phone browses the sections: home → a category → a news item → its village → a listing there →
the map, on request → search from the header.

Debian's Chromium through Playwright against pytest-django's live server, on a phone-sized viewport. Every
request is recorded: nothing leaves the site until the visitor presses the map button, and then only tiles of
OpenStreetMap (answered here with a local picture: this machine has no network). Screenshots go to
test-artifacts/sections-*.png; axe-core (vendored under tests/e2e/vendor/) checks every step for serious or
critical accessibility violations.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from wagtail.models import Site

from tests.factories import png_bytes
from tests.section_support import section_content

pytestmark = pytest.mark.browser

POSYANDU = "Posyandu Tanjung Enim Layani Seratus Balita"
TILES = "https://tile.openstreetmap.org/"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(
    v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))})
  );
}"""


def serious_violations(page) -> list[dict]:
    """What axe-core finds at the serious or critical level on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    return [v for v in page.evaluate(AXE_RUN) if v["impact"] in ("serious", "critical")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_resident_browses_sections_opens_the_map_and_searches(live_server, phone, artifacts, moderator):
    from playwright.sync_api import expect

    address = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(hostname=address.hostname, port=address.port)
    section_content(moderator)
    page = phone
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    tile = png_bytes(256, 256, (200, 220, 200))
    page.route(f"{TILES}**", lambda route: route.fulfill(status=200, content_type="image/png", body=tile))

    def shot(name):
        page.screenshot(path=artifacts / f"sections-{name}.png", full_page=True)
        assert serious_violations(page) == [], name

    def outside():
        return [url for url in requests if not url.startswith(live_server.url)]

    page.goto(f"{live_server.url}/")
    shot("01-home")

    # A category from a card's kicker.
    page.get_by_role("link", name="Kesehatan", exact=True).first.click()
    page.wait_for_url(re.compile(r"/berita/kategori/kesehatan/$"))
    expect(page.locator("h1")).to_have_text("Kesehatan")
    shot("02-category")

    # An item of that category.
    page.get_by_role("link", name=POSYANDU).click()
    page.wait_for_url(re.compile(r"/berita/posyandu-tanjung-enim-layani-seratus-balita/$"))
    expect(page.locator("h1")).to_have_text(POSYANDU)
    shot("03-item")

    # Its village, from the item's region.
    page.locator(".article__header .facts").get_by_role("link", name="Tanjung Enim").click()
    page.wait_for_url(re.compile(r"/wilayah/lawang-kidul/tanjung-enim/$"))
    expect(page.locator("main")).to_contain_text("Puskesmas Tanjung Enim")
    shot("04-village")

    # A place in the village.
    page.get_by_role("link", name="Puskesmas Tanjung Enim").click()
    page.wait_for_url(re.compile(r"/direktori/puskesmas-tanjung-enim/$"))
    button = page.locator(".map__open")
    expect(button).to_be_visible()  # the script shows it; without script it stays hidden
    expect(page.locator('a[href^="geo:-3.745000,103.801000"]')).to_be_visible()
    shot("05-listing")
    assert outside() == [], "nothing may leave the site before the visitor asks for the map"
    assert not any("leaflet" in url for url in requests), "Leaflet is loaded only on request"

    # The map, on request: Leaflet from the site itself, tiles from OpenStreetMap.
    button.click()
    expect(page.locator(".map__canvas.leaflet-container")).to_be_visible()
    page.wait_for_function("document.querySelectorAll('.leaflet-tile-loaded').length > 0")
    expect(button).to_be_hidden()
    assert any(url.startswith(f"{live_server.url}/static/vendor/leaflet/leaflet.js") for url in requests)
    assert outside() and all(url.startswith(TILES) for url in outside())
    page.locator(".map__canvas").scroll_into_view_if_needed()
    shot("06-map")

    # Search from the header: a plain GET form.
    page.locator("#site-search-q").fill("posyandu")
    page.locator("#site-search-q").press("Enter")
    page.wait_for_url(re.compile(r"/cari/\?q=posyandu$"))
    expect(page.locator(".card__title").first).to_have_text(POSYANDU)
    expect(page.locator("#search-q")).to_have_value("posyandu")
    shot("07-search")

    # The other sections, each looked at and checked by axe too.
    others = {
        "08-regions": "/wilayah/",
        "09-district": "/wilayah/lawang-kidul/",
        "10-agency": "/opd/dinas-kesehatan/",
        "11-kim-group": "/kim/maju-bersama/",
        "12-fact-checks": "/cek-fakta/",
        "13-tag": "/berita/tag/posyandu/",
        "14-categories": "/berita/kategori/",
        "15-search-empty": "/cari/",
    }
    for name, path in others.items():
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_be_visible()
        shot(name)
    assert all(url.startswith((live_server.url, TILES)) for url in requests)
