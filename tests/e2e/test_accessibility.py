"""Every kind of public page, checked by axe-core in Debian's Chromium on a phone and on a desktop: no serious or
critical accessibility violation.

A small realistic regency (tests/section_support.py: news with a main image, a clarification, a withdrawn item,
listings, regions, agencies, a KIM group) served by pytest-django's live server; axe-core (vendored in
tests/e2e/vendor/, see its README) is injected into each page and run with its default rules (WCAG 2.x A and AA
plus its best practices) and target-size (WCAG 2.2 AA), as Lighthouse runs it. Every violation is printed —
rule, impact, the elements, the help page — and the serious and critical ones fail the test, so a failure says
what to fix. The full results go to test-artifacts/axe-<viewport>.json.
"""

import json
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from django.conf import settings
from django.utils import timezone

from wagtail.models import Site

from cms.services.submissions import submission_create
from tests.e2e.conftest import chromium_page
from tests.factories import png_bytes
from tests.section_support import section_content

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
FAILING_IMPACTS = ("serious", "critical")
TILES = "https://tile.openstreetmap.org/"
BROKEN_URL = "https://uji.invalid/"  # answered by the test itself
VIEWPORTS = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1400, "height": 1000}},
}
# axe's default rules, plus target-size (WCAG 2.2 AA 2.5.8, taps of at least 24 px: what a thumb on a phone
# needs), which axe leaves off by default and Lighthouse turns on. Only the violations; each element reduced to
# what a person fixing it needs.
RUN_AXE = """async () => {
  const options = {resultTypes: ["violations"], rules: {"target-size": {enabled: true}}};
  const results = await axe.run(document, options);
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html, summary: n.failureSummary})),
  }));
}"""


def site_pages(c, receipt: str) -> dict[str, tuple[str, int]]:
    """Name → (address, expected status) of every kind of public page."""
    return {
        "home": ("/", 200),
        "news list": ("/berita/", 200),
        "article with a main image": (c.posyandu.url, 200),
        "clarification": (c.hoax.url, 200),
        "withdrawn item": (c.withdrawn.url, 410),
        "categories": ("/berita/kategori/", 200),
        "category": (f"/berita/kategori/{c.health.slug}/", 200),
        "tag": ("/berita/tag/posyandu/", 200),
        "fact checks": ("/cek-fakta/", 200),
        "directory": ("/direktori/", 200),
        "directory category": ("/direktori/kesehatan/", 200),
        "listing": (c.puskesmas.url, 200),
        "regions": ("/wilayah/", 200),
        "district": (f"/wilayah/{c.lawang.slug}/", 200),
        "village": (f"/wilayah/{c.lawang.slug}/{c.tanjung.slug}/", 200),
        "agencies": ("/opd/", 200),
        "agency": (f"/opd/{c.dinkes.slug}/", 200),
        "KIM groups": ("/kim/", 200),
        "KIM group": (f"/kim/{c.kim.slug}/", 200),
        "search with results": ("/cari/?q=posyandu", 200),
        "search without results": ("/cari/?q=zzzyx", 200),
        "search, empty": ("/cari/", 200),
        "submission form": ("/kirim/", 200),
        "status lookup": ("/kirim/status/", 200),
        "status": (f"/kirim/status/{receipt}/", 200),
        "not found": ("/halaman-yang-tidak-ada/", 404),
    }


def serve_media(route):
    """The live server has no /media/ (nginx serves it in production): answer from MEDIA_ROOT, as nginx would."""
    target = Path(settings.MEDIA_ROOT) / urlsplit(route.request.url).path.removeprefix("/media/")
    if target.is_file():
        route.fulfill(status=200, body=target.read_bytes(), content_type=mimetypes.guess_type(target.name)[0])
    else:
        route.fulfill(status=404, body=b"")


def describe(page_name: str, violation: dict) -> str:
    lines = [f"[{violation['impact']}] {page_name}: {violation['id']} — {violation['help']} ({violation['helpUrl']})"]
    for node in violation["nodes"][:8]:
        lines.append(f"    {node['target']}: {node['html'][:160]}")
        summary = " ".join(node["summary"].split())
        lines.append(f"      {summary[:300]}")
    if len(violation["nodes"]) > 8:
        lines.append(f"    … and {len(violation['nodes']) - 8} more elements")
    return "\n".join(lines)


def test_the_vendored_axe_is_the_version_named_here_and_finds_what_it_should(chromium_path):
    assert f"axe v{AXE_VERSION}" in AXE.read_text()[:200]
    assert (AXE.parent / "LICENSE").is_file()
    # A page made to fail: a picture without a text, pale grey on white, a tiny link between two others.
    broken = (
        '<!DOCTYPE html><html lang="id"><head><title>Uji</title></head><body><main><h1>Uji</h1>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">'
        '<p style="color:#ddd;background:#fff">Teks pucat</p>'
        '<p><a href="/a">a</a><a href="/b" style="font-size:6px">b</a><a href="/c">c</a></p>'
        "</main></body></html>"
    )
    with chromium_page(chromium_path, **VIEWPORTS["phone"]) as page:
        page.context.add_init_script(path=str(AXE))
        page.route(BROKEN_URL, lambda route: route.fulfill(status=200, content_type="text/html", body=broken))
        page.goto(BROKEN_URL)
        found = {violation["id"]: violation["impact"] for violation in page.evaluate(RUN_AXE)}
    assert found.get("image-alt") == "critical"
    assert found.get("color-contrast") == "serious"
    assert found.get("target-size") == "serious"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_public_page_has_a_serious_accessibility_violation(
    viewport, live_server, chromium_path, allow_orm_beside_playwright, artifacts, moderator
):
    from playwright.sync_api import expect

    address = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(hostname=address.hostname, port=address.port)
    c = section_content(moderator)
    receipt = submission_create(
        group=c.kim,
        contributor_name="Siti Aminah",
        contributor_phone="0812-3456-7890",
        title="Kerja Bakti Membersihkan Pasar Tanjung Enim",
        story="Warga dan pedagang membersihkan los pasar dan saluran air pada Minggu pagi.",
        category=c.health,
        village=c.tanjung,
        event_date=timezone.localdate(),
    ).submission.receipt
    pages = site_pages(c, receipt)
    tile = png_bytes(256, 256, (200, 220, 200))

    found: dict[str, list[dict]] = {}
    with chromium_page(chromium_path, **VIEWPORTS[viewport]) as page:
        page.context.add_init_script(path=str(AXE))  # through the DevTools protocol: no page policy stops it
        page.context.route(f"{live_server.url}/media/**", serve_media)
        page.context.route(f"{TILES}**", lambda route: route.fulfill(status=200, content_type="image/png", body=tile))

        for name, (path, status) in pages.items():
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == status, f"{name} ({path}) answered {response.status}"
            expect(page.locator("h1").first).to_be_visible()
            found[name] = page.evaluate(RUN_AXE)

        # The listing's map, open, as a visitor who pressed the button sees it.
        page.goto(f"{live_server.url}{c.puskesmas.url}")
        page.locator(".map__open").click()
        expect(page.locator(".map__canvas.leaflet-container")).to_be_visible()
        page.wait_for_function("document.querySelectorAll('.leaflet-tile-loaded').length > 0")
        found["listing, map open"] = page.evaluate(RUN_AXE)

    (artifacts / f"axe-{viewport}.json").write_text(json.dumps(found, indent=2, ensure_ascii=False))
    report = [describe(name, violation) for name, violations in found.items() for violation in violations]
    print(f"\naxe-core {AXE_VERSION}, {viewport}: {len(pages) + 1} pages, {len(report)} violations")
    print("\n".join(report))
    failing = [
        describe(name, violation)
        for name, violations in found.items()
        for violation in violations
        if violation["impact"] in FAILING_IMPACTS
    ]
    assert not failing, f"{len(failing)} serious or critical axe violations on the {viewport}:\n" + "\n".join(failing)
