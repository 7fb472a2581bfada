"""A reader on a phone browses the built site as nginx serves it: home → a category → a news item → the directory →
a listing → search, and back to the item from a result.

sitegen builds the public site for real (site_build, full) into a temporary SIAR_SITE_ROOT. A small stand-in for
deploy/nginx/siar.conf serves SIAR_SITE_ROOT/current on 127.0.0.1 — `try_files $uri $uri/ @django` with index.html,
`/_build/` and dotfiles refused, uploads from MEDIA_ROOT — and hands whatever has no file to pytest-django's live
server, as `@django` does. It records how it answered every request, so the test proves that every page the reader
sees is a file of the release and only search reaches Django.

Differences from nginx, on purpose: /static/ is served from the release's own static/ folder (the build copies the
theme's files there so the tree is a complete site; nginx aliases STATIC_ROOT, which holds the same files), and a
refused or missing file answers the release's 404.html with status 404 (nginx would send its own short page).

Debian's Chromium through Playwright, phone-sized viewport; screenshots go to test-artifacts/static-site-*.png.
"""

import http.client
import re
import threading
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from wagtail.models import Site

from tests.factories import verified_publish
from tests.section_support import section_content

pytestmark = pytest.mark.browser

POSYANDU = "Posyandu Tanjung Enim Layani Seratus Balita"
POSYANDU_PATH = "/berita/posyandu-tanjung-enim-layani-seratus-balita/"
POSYANDU_LEAD = "Kader posyandu menimbang balita dan membagikan vitamin A."
PUSKESMAS = "Puskesmas Tanjung Enim"
PUSKESMAS_PATH = "/direktori/puskesmas-tanjung-enim/"
LAST_VERIFIED = date(2025, 8, 17)  # a month whose Indonesian name differs from the English one
LAST_VERIFIED_SHOWN = "Terakhir diverifikasi: 17 Agustus 2025"
DRAFT = "Draf Rahasia Posyandu Belum Diverifikasi"  # shares the search word, but is not live

# nginx's mime.types for what a release holds; text types carry their charset.


def nginx_feed_types() -> dict[str, str]:
    """The media types deploy/nginx/siar.conf gives files under /feeds/ (its `types` block there)."""
    conf = (Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "siar.conf").read_text()
    block = re.search(r"location /feeds/ \{\s*types \{([^}]*)\}", conf).group(1)
    return {f".{extension}": media for media, extension in re.findall(r"(\S+)\s+(\w+);", block)}


FEED_TYPES = nginx_feed_types()
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".xml": "text/xml; charset=utf-8",
    ".atom": "application/atom+xml",
    ".rss": "application/rss+xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
}
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}
DOTFILE = re.compile(r"/\.(?!well-known/)")


# ---- The nginx stand-in ----------------------------------------------------------------------------------------


@dataclass
class Served:
    """How the stand-in answered one request: "file" (the release or MEDIA_ROOT), "django" (proxied) or "refused"."""

    method: str
    path: str
    how: str
    status: int


@dataclass
class FrontServer:
    site_root: Path  # SIAR_SITE_ROOT/current: the symlink is followed on every request, as the kernel does for nginx
    media_root: Path
    django: str  # the live server's base URL
    log: list[Served] = field(default_factory=list)
    url: str = ""

    def how(self, path: str) -> set[str]:
        return {entry.how for entry in self.log if entry.path == path}

    def paths(self, how: str) -> set[str]:
        return {entry.path for entry in self.log if entry.how == how}


def _handler(front: FrontServer):
    upstream = urlsplit(front.django)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as browsers get from nginx

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            pass

        def version_string(self):
            return "nginx"

        def do_HEAD(self):
            self.do_GET(head=True)

        def do_POST(self):
            self.proxy(head=False)

        def do_GET(self, head: bool = False):
            address = urlsplit(self.path)
            path = unquote(address.path)
            if DOTFILE.search(path) or ".." in path.split("/") or path.startswith("/_build/"):
                return self.not_found(path, head)
            if path.startswith("/media/"):  # location /media/ { alias MEDIA_ROOT; try_files $uri =404; }
                target = front.media_root / path.removeprefix("/media/")
                return self.send_file(path, target, head) if target.is_file() else self.not_found(path, head)
            target = front.site_root / path.lstrip("/")
            if target.is_file():  # $uri
                return self.send_file(path, target, head)
            if target.is_dir() and (target / "index.html").is_file():  # $uri/ with `index index.html`
                if not path.endswith("/"):  # nginx sends /x on to /x/ first
                    location = path + "/" + (f"?{address.query}" if address.query else "")
                    return self.answer(path, "file", 301, "text/html", b"", head, [("Location", location)])
                return self.send_file(path, target / "index.html", head)
            if path.startswith("/static/"):  # location /static/ { try_files $uri =404; }: never Django
                return self.not_found(path, head)
            return self.proxy(head)  # @django

        def proxy(self, head: bool):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers["X-Forwarded-Proto"] = "http"
            headers["X-Forwarded-For"] = self.client_address[0]
            headers["X-Real-IP"] = self.client_address[0]
            connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=30)
            try:
                connection.request(self.command, self.path, body=body, headers=headers)
                reply = connection.getresponse()
                payload = reply.read()
                passed = [
                    (k, v) for k, v in reply.getheaders() if k.lower() not in HOP_BY_HOP | {"content-length", "server"}
                ]
            finally:
                connection.close()
            content_type = reply.getheader("Content-Type", "application/octet-stream")
            path = unquote(urlsplit(self.path).path)
            self.answer(path, "django", reply.status, content_type, payload, head, passed)

        def send_file(self, path: str, target: Path, head: bool):
            types = {**TYPES, **FEED_TYPES} if path.startswith("/feeds/") else TYPES
            content_type = types.get(target.suffix.lower(), "application/octet-stream")
            self.answer(path, "file", 200, content_type, target.read_bytes(), head, [])

        def not_found(self, path: str, head: bool):
            page = front.site_root / "404.html"
            payload = page.read_bytes() if page.is_file() else b"Not Found"
            self.answer(path, "refused", 404, "text/html; charset=utf-8", payload, head, [])

        def answer(self, path, how, status, content_type, payload, head, headers):
            front.log.append(Served(self.command, path, how, status))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for key, value in headers:
                if key.lower() not in ("content-type", "date"):
                    self.send_header(key, value)
            self.end_headers()
            if not head:
                self.wfile.write(payload)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # Chromium drops connections it no longer needs
        pass


@pytest.fixture
def front(live_server, settings, tmp_path):
    """The site root in a temporary folder and the nginx stand-in in front of it, on a free port of 127.0.0.1."""
    settings.SIAR_SITE_ROOT = tmp_path / "site"
    front = FrontServer(settings.SIAR_SITE_ROOT / "current", Path(settings.MEDIA_ROOT), live_server.url)
    server = _Server(("127.0.0.1", 0), _handler(front))
    front.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="nginx-stand-in", daemon=True)
    thread.start()
    yield front
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


# ---- The test ----------------------------------------------------------------------------------------------------


def verified_on(page_id: int) -> str:
    """The verdict date of the item's live revision, as the stamp shows it (Indonesian, the site's time zone)."""
    import zoneinfo

    from django.utils import timezone, translation

    from cms.models import NewsPage, SiteProfile, Verdict
    from cms.templatetags.siar_tags import siar_date

    item = NewsPage.objects.get(pk=page_id)
    decided = Verdict.objects.get(revision_id=item.live_revision_id).decided_at
    zone = zoneinfo.ZoneInfo(SiteProfile.for_site(Site.objects.get(is_default_site=True)).time_zone)
    with translation.override("id"):
        return siar_date(timezone.localtime(decided, zone))  # the filter expects local time, as templates give it


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reader_on_a_phone_browses_the_built_site_and_searches(front, phone, artifacts, moderator):
    from playwright.sync_api import expect

    from sitegen.build import site_build

    # Content, then a real build of the site at the stand-in's address (absolute links in the files point there).
    address = urlsplit(front.url)
    Site.objects.filter(is_default_site=True).update(hostname=address.hostname, port=address.port)
    content = section_content(moderator)
    content.puskesmas.last_verified = LAST_VERIFIED
    verified_publish(content.puskesmas)
    release = site_build(trigger="full")
    assert release.status == "live", release
    stamp = f"Terverifikasi · {verified_on(content.posyandu.pk)}"

    page = phone
    failed, errors, outside = [], [], []

    def answered(response):
        if response.status >= 400:
            errors.append(f"{response.status} {response.url}")

    def asked(request):
        if not request.url.startswith(f"{front.url}/"):
            outside.append(request.url)

    page.on("requestfailed", lambda request: failed.append(f"{request.url} {request.failure}"))
    page.on("response", answered)
    page.on("request", asked)

    def look(name: str):
        page.wait_for_load_state("load")
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow}px on a phone"
        page.screenshot(path=artifacts / f"static-site-{name}.png", full_page=True)

    # Home.
    page.goto(f"{front.url}/")
    expect(page.get_by_role("link", name=POSYANDU)).to_be_visible()
    expect(page.get_by_text(DRAFT)).to_have_count(0)
    look("01-home")

    # A category, from the kicker of the item's card.
    page.locator(".card", has_text=POSYANDU).get_by_role("link", name="Kesehatan", exact=True).click()
    page.wait_for_url(f"{front.url}/berita/kategori/kesehatan/")
    expect(page.locator("h1")).to_have_text("Kesehatan")
    look("02-category")

    # The item: title, lead, publication time, the verification stamp with its date, the hero picture (webp).
    page.get_by_role("link", name=POSYANDU).click()
    page.wait_for_url(f"{front.url}{POSYANDU_PATH}")
    expect(page.locator("h1")).to_have_text(POSYANDU)
    expect(page.locator(".article__header .lead")).to_have_text(POSYANDU_LEAD)
    expect(page.locator(".article__header .meta").first).to_contain_text("Diterbitkan")
    expect(page.locator(".verified-stamp")).to_have_text(stamp)
    hero = page.locator(".article__hero img")
    expect(hero).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=hero.element_handle())
    assert urlsplit(hero.evaluate("img => img.currentSrc")).path.endswith(".webp")
    look("03-item")

    # The directory, from the main menu; a listing's card and page both show when it was last verified.
    page.locator(".site-nav").get_by_role("link", name="Direktori", exact=True).click()
    page.wait_for_url(f"{front.url}/direktori/")
    card = page.locator(".card", has_text=PUSKESMAS)
    expect(card.locator(".verified")).to_have_text(LAST_VERIFIED_SHOWN)
    look("04-directory")
    card.get_by_role("link", name=PUSKESMAS).click()
    page.wait_for_url(f"{front.url}{PUSKESMAS_PATH}")
    expect(page.locator("h1")).to_have_text(PUSKESMAS)
    expect(page.locator(".article__header .verified")).to_have_text(LAST_VERIFIED_SHOWN)
    expect(page.locator(".article__header time")).to_have_attribute("datetime", LAST_VERIFIED.isoformat())
    look("05-listing")

    # Search from the header's form: a word of the item's title. Django answers; the draft sharing it is not found.
    page.locator("#site-search-q").fill("posyandu")
    page.locator(".site-search").get_by_role("button", name="Cari").click()
    page.wait_for_url(f"{front.url}/cari/?q=posyandu")
    expect(page.locator("h1")).to_have_text("Cari")
    expect(page.locator("#search-q")).to_have_value("posyandu")
    expect(page.locator(".card__title").get_by_role("link", name=POSYANDU)).to_be_visible()
    expect(page.get_by_text(DRAFT)).to_have_count(0)
    look("06-search")

    # Back to the item from its result: the static file again.
    page.locator(".card__title").get_by_role("link", name=POSYANDU).click()
    page.wait_for_url(f"{front.url}{POSYANDU_PATH}")
    expect(page.locator("h1")).to_have_text(POSYANDU)

    # The app's search is Django's too, through the same front.
    api = page.request.get(f"{front.url}/api/v1/search/?q=posyandu")
    assert api.ok and api.headers["content-type"].startswith("application/json")
    assert [item["title"] for item in api.json()["items"]] == [POSYANDU]

    # Everything the reader saw came from the release; only search reached Django; nothing failed or left the site.
    for visited in ("/", "/berita/kategori/kesehatan/", POSYANDU_PATH, "/direktori/", PUSKESMAS_PATH):
        assert front.how(visited) == {"file"}, visited
    assert front.paths("django") == {"/cari/", "/api/v1/search/"}, front.paths("django")
    assert front.how("/static/css/siar.css") == {"file"}
    assert any(path.startswith("/media/images/") and path.endswith(".webp") for path in front.paths("file"))
    assert front.paths("refused") == set()
    assert failed == [] and errors == [] and outside == []

    # What the stand-in itself answers, as nginx would: types of the release's files, the bookkeeping refused.
    expected_types = {
        "/static/css/siar.css": "text/css",
        "/sitemap.xml": "text/xml",
        "/feeds/berita.json": "application/feed+json",
        "/feeds/berita.xml": "application/rss+xml",
        "/feeds/berita.atom": "application/atom+xml",
        "/api/v1/index.json": "application/json",
        "/robots.txt": "text/plain",
    }
    for path, content_type in expected_types.items():
        answer = page.request.get(f"{front.url}{path}")
        assert answer.status == 200 and answer.headers["content-type"].startswith(content_type), path
    built = page.request.get(f"{front.url}/_build/manifest.json")
    assert built.status == 404 and "<html" in built.text()  # the release's 404.html
    assert (front.site_root / "_build" / "manifest.json").is_file()
    missing = page.request.get(f"{front.url}/berita/tidak-ada-berita-ini/")
    assert missing.status == 404 and front.how("/berita/tidak-ada-berita-ini/") == {"django"}
    assert page.request.get(f"{front.url}/berita", max_redirects=0).headers["location"] == "/berita/"
