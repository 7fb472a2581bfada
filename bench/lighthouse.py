"""Benchmark: Lighthouse scores of the public site, in Debian's Chromium, and the article's weight before images.

Usage: .venv/bin/python bench/lighthouse.py [--runs 3] [--var-dir DIR] [--extra /berita/ --extra /wilayah/]

The budget (issue "Lighthouse ≥ 95"): on the home page, an article, a directory listing and the search page,
Lighthouse (mobile, its default simulated throttling) scores at least 95 for performance, accessibility,
best practices and SEO; an article transfers under 100 KB before its images.

One-time install (nothing is installed at run time; Lighthouse is pinned in bench/package.json and
bench/package-lock.json, bench/node_modules/ is git-ignored; no browser is downloaded, it drives Debian's):

    apt-get install -y chromium          # /usr/bin/chromium; CHROME_PATH names another
    npm ci --prefix bench                # Lighthouse 12.8.2 (runs on Node 18.16+; 13.x needs Node 22)

What it does:
  1. builds the demo site in a scratch SIAR_VAR_DIR (`manage.py migrate`, `load_demo_content`, `build_site`),
     or reuses the one in --var-dir if it has a built site;
  2. starts Django under gunicorn (as in production, DEBUG off) and, in front of it, a small server that does
     what deploy/nginx/siar.conf does: the built tree (SIAR_SITE_ROOT/current) with `try_files $uri $uri/
     @django`, /media/ from MEDIA_ROOT, its Cache-Control and security headers, gzip like its `gzip` lines
     (level 5, text types, 1 KB minimum, proxied answers too), and everything else (/cari/, /kirim/) proxied;
  3. runs Lighthouse on each page (--runs N keeps the run with the median performance score), prints the
     four scores per page, every audit that costs points, and the article's transfer size without images.
Prints figures, asserts nothing: scores depend on timing (the test that cannot flake is
tests/sitegen/test_page_weight.py). Each run's JSON report is kept under the scratch directory with --keep.
"""

import argparse
import gzip
import http.client
import json
import mimetypes
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LIGHTHOUSE = BASE_DIR / "bench" / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET = 95
BUDGET_BYTES = 100_000  # "under 100 KB transferred before images"
SEARCH_QUERY = "warga"
# Headless as root in a container; the rest keep Chromium from dialling out on a closed network.
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update "
    "--disable-sync --no-first-run --disable-default-apps"
)

# deploy/nginx/siar.conf, the `location /` and `location /media/` blocks and the server's gzip settings.
SITE_HEADERS = {
    "Cache-Control": "public, max-age=60, stale-while-revalidate=60, stale-if-error=86400",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
MEDIA_HEADERS = {
    "Cache-Control": "public, max-age=604800",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; "
    "sandbox",
    "X-Frame-Options": "SAMEORIGIN",
}
GZIP_LEVEL = 5
GZIP_MIN_LENGTH = 1024
GZIP_TYPES = {
    "text/html",
    "text/plain",
    "text/css",
    "text/xml",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/feed+json",
    "application/manifest+json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "image/svg+xml",
}
TYPES = {
    ".js": "text/javascript",
    ".json": "application/json",
    ".xml": "application/xml",
    ".atom": "application/atom+xml",
}
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


# ---- The nginx stand-in -------------------------------------------------------------------------------------------


def make_handler(site_root: Path, media_root: Path, django_port: int):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as browsers get from nginx

        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            pass

        def do_HEAD(self):
            self.do_GET(head=True)

        def do_GET(self, head: bool = False):
            path = unquote(urlsplit(self.path).path)
            if "/." in path or ".." in path:
                return self.send_body(404, "text/plain", b"not found", {}, head)
            if path.startswith("/media/"):
                target = media_root / path[len("/media/") :]
                if target.is_file():
                    return self.send_file(target, MEDIA_HEADERS, head)
                return self.send_body(404, "text/plain", b"not found", MEDIA_HEADERS, head)
            target = site_root / path.lstrip("/")
            if target.is_file():  # try_files $uri
                return self.send_file(target, SITE_HEADERS, head)
            if target.is_dir():  # $uri/: nginx redirects /x to /x/, then serves its index.html
                if not path.endswith("/"):
                    location = path + "/" + (f"?{urlsplit(self.path).query}" if urlsplit(self.path).query else "")
                    return self.send_body(301, "text/html", b"", {**SITE_HEADERS, "Location": location}, head)
                if (target / "index.html").is_file():
                    return self.send_file(target / "index.html", SITE_HEADERS, head)
            return self.proxy(head)  # @django

        def do_POST(self):
            self.proxy(head=False)

        def proxy(self, head: bool):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            headers["X-Forwarded-Proto"] = "http"
            headers["X-Forwarded-For"] = self.client_address[0]
            upstream = http.client.HTTPConnection("127.0.0.1", django_port, timeout=75)
            try:
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                payload = answer.read()
                passed = [(k, v) for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP | {"content-length"}]
            finally:
                upstream.close()
            content_type = answer.getheader("Content-Type", "application/octet-stream")
            self.send_body(answer.status, content_type, payload, passed, head)

        def send_file(self, target: Path, headers: dict, head: bool):
            content_type = (
                TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            )
            if content_type.startswith("text/") or content_type in ("application/json", "application/xml"):
                content_type += "; charset=utf-8"
            stat = target.stat()
            extra = {
                **headers,
                "Last-Modified": formatdate(stat.st_mtime, usegmt=True),
                "ETag": f'"{int(stat.st_mtime):x}-{stat.st_size:x}"',
            }
            self.send_body(200, content_type, target.read_bytes(), extra, head)

        def send_body(self, status: int, content_type: str, payload: bytes, headers, head: bool):
            items = list(headers.items()) if isinstance(headers, dict) else list(headers)
            mime = content_type.split(";")[0].strip().lower()
            compressible = mime in GZIP_TYPES and len(payload) >= GZIP_MIN_LENGTH
            if compressible:
                items.append(("Vary", "Accept-Encoding"))  # gzip_vary on
                if "gzip" in self.headers.get("Accept-Encoding", ""):
                    payload = gzip.compress(payload, compresslevel=GZIP_LEVEL, mtime=0)
                    items.append(("Content-Encoding", "gzip"))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for key, value in items:
                if key.lower() not in ("content-type", "server", "date"):
                    self.send_header(key, value)
            self.end_headers()
            if not head:
                self.wfile.write(payload)

        def version_string(self):
            return "nginx"  # server_tokens off

    return Handler


class FrontServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exception(), ConnectionError):  # Chromium drops connections it no longer needs
            super().handle_error(request, client_address)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    sys.exit(f"nothing answered on 127.0.0.1:{port}")


# ---- The demo site -------------------------------------------------------------------------------------------------


def django_env(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="siar.settings.dev",
        SIAR_VAR_DIR=str(var_dir),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    return env


def manage(env: dict, *args: str) -> None:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def build_demo(var_dir: Path, env: dict) -> None:
    if (var_dir / "site" / "current" / "index.html").is_file():
        print(f"Reusing the demo site built in {var_dir}")
        return
    # Publishing queues a build on the embedded broker (a folder): it must exist, as `run_siar` makes it.
    for name in ("queue", "processed", "control"):
        (var_dir / "celery" / name).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "load_demo_content")
    manage(env, "build_site")
    print(f"Demo site built in {var_dir} ({time.perf_counter() - started:.0f} s)")


def pick_pages(site: Path) -> dict[str, str]:
    """The home page, the newest article that has a main image, a listing with a map, and a search."""
    news_list = (site / "berita" / "index.html").read_text()
    article = None
    for address in re.findall(r'href="(/berita/[^"/]+/)"', news_list):
        if address.startswith(("/berita/halaman/", "/berita/kategori/", "/berita/tag/")):
            continue
        html = (site / address.strip("/") / "index.html").read_text()
        if 'fetchpriority="high"' in html:
            article = address
            break
    listings = sorted(
        p.parent for p in (site / "direktori").glob("*/index.html") if "geo:" in p.read_text(errors="replace")
    )
    listing = f"/direktori/{listings[0].name}/" if listings else None
    pages = {
        "home": "/",
        "article": article,
        "listing": listing,
        "search": "/cari/",
        "results": f"/cari/?q={SEARCH_QUERY}",
    }
    missing = [name for name, address in pages.items() if not address]
    if missing:
        sys.exit(f"the demo site has no page for: {', '.join(missing)}")
    return pages


# ---- Lighthouse ----------------------------------------------------------------------------------------------------


def lighthouse(url: str, report: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROME}
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-path={CHROME}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--form-factor=mobile",  # the default, with its default simulated throttling (slow 4G, 4× CPU)
        "--output=json",
        f"--output-path={report}",
        "--quiet",
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not report.is_file():
        sys.exit(f"Lighthouse failed on {url}:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return json.loads(report.read_text())


def scores(lhr: dict) -> dict[str, int]:
    return {name: round((lhr["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}


def score_without(lhr: dict, category: str, left_out: set[str]) -> int:
    """The category's score computed as Lighthouse does (weighted mean of scored audits), some audits left out."""
    total = weighted = 0.0
    for ref in lhr["categories"][category]["auditRefs"]:
        audit = lhr["audits"][ref["id"]]
        if ref["id"] in left_out or audit.get("score") is None or not ref["weight"]:
            continue
        if audit.get("scoreDisplayMode") in ("notApplicable", "informative", "manual"):
            continue
        total += ref["weight"]
        weighted += ref["weight"] * audit["score"]
    return round(weighted / total * 100) if total else 0


def transfer_before_images(lhr: dict) -> tuple[int, list[tuple[str, str, int]]]:
    """Bytes on the wire (headers included) of every request but images, from Lighthouse's network log."""
    rows = []
    for item in lhr["audits"]["network-requests"]["details"]["items"]:
        if item.get("resourceType") == "Image" or item.get("url", "").startswith("data:"):
            continue
        rows.append((item.get("resourceType", "?"), item["url"], int(item.get("transferSize") or 0)))
    return sum(size for *_, size in rows), rows


def costly_audits(lhr: dict) -> list[tuple[str, float, str, str, str]]:
    """(category, points lost, audit id, title, value shown) for every weighted audit short of a full score."""
    found = []
    for name in CATEGORIES:
        category = lhr["categories"][name]
        total = sum(ref["weight"] for ref in category["auditRefs"]) or 1
        for ref in category["auditRefs"]:
            audit = lhr["audits"][ref["id"]]
            if audit.get("scoreDisplayMode") in ("notApplicable", "informative", "manual"):
                continue
            score = audit.get("score")
            if score is None or score >= 1:
                continue
            lost = ref["weight"] * (1 - score) / total * 100
            if ref["weight"] == 0 and name != "performance":
                lost = 0.0
            found.append((name, lost, ref["id"], audit["title"], audit.get("displayValue", "")))
    return sorted(found, key=lambda row: -row[1])


def failing_items(audit: dict, limit: int = 5) -> list[str]:
    """What an audit points at: elements (selector and markup), addresses or console messages."""
    details = audit.get("details") or {}
    lines = []
    for item in (details.get("items") or [])[:limit]:
        source = item.get("source") if isinstance(item.get("source"), dict) else {}
        node = item.get("node") if isinstance(item.get("node"), dict) else source
        location = item.get("sourceLocation") or {}
        where = node.get("selector") or item.get("url") or location.get("url") or item.get("source") or ""
        what = node.get("snippet") or item.get("description") or ""
        lines.append(f"{where} {what}".strip()[:200])
    return lines


# ---- Main ----------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page; the median one is shown")
    parser.add_argument("--var-dir", type=Path, help="build the demo here (or reuse the site already built here)")
    parser.add_argument("--extra", action="append", default=[], help="another address to measure (repeatable)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory and the JSON reports")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: npm ci --prefix bench   (see this file's docstring)")
    if not Path(CHROME).exists():
        sys.exit(f"No Chromium at {CHROME}: apt-get install -y chromium (or set CHROME_PATH)")

    scratch = Path(tempfile.mkdtemp(prefix="siar-bench-lighthouse-"))
    var_dir = args.var_dir or scratch / "var"
    var_dir.mkdir(parents=True, exist_ok=True)
    env = django_env(var_dir)
    gunicorn = server = None
    try:
        build_demo(var_dir, env)
        site = (var_dir / "site" / "current").resolve()
        pages = pick_pages(site)
        for number, address in enumerate(args.extra, 1):
            pages[f"extra {number}"] = address

        django_port, front_port = free_port(), free_port()
        gunicorn = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "siar.wsgi", "--bind", f"127.0.0.1:{django_port}"]
            + ["--workers", "2", "--log-level", "warning"],
            cwd=BASE_DIR,
            env=env,
            stderr=(scratch / "gunicorn.log").open("w"),  # Django's "Not Found" warnings: kept, not printed
        )
        wait_for(django_port)
        server = FrontServer(("127.0.0.1", front_port), make_handler(site, var_dir / "media", django_port))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        origin = f"http://127.0.0.1:{front_port}"
        version = subprocess.run([CHROME, "--version"], capture_output=True, text=True).stdout.strip()
        print(f"Lighthouse 12.8.2 (mobile, simulated throttling) in {version}; site at {origin} ({site.name})\n")

        results = {}
        for name, address in pages.items():
            runs = []
            for run in range(args.runs):
                lhr = lighthouse(origin + address, scratch / f"{name.replace(' ', '-')}-{run + 1}.json")
                runs.append(lhr)
            median = statistics.median_low(scores(lhr)["performance"] for lhr in runs)
            results[name] = (address, next(lhr for lhr in runs if scores(lhr)["performance"] == median))

        print(f"{'page':<10} {'address':<58} {'perf':>5} {'a11y':>5} {'b.p.':>5} {'seo':>5}")
        for name, (address, lhr) in results.items():
            s = scores(lhr)
            marks = "".join("" if value >= TARGET else "*" for value in s.values())
            print(
                f"{name:<10} {address[:58]:<58} {s['performance']:>5} {s['accessibility']:>5} "
                f"{s['best-practices']:>5} {s['seo']:>5}  {'below ' + str(TARGET) if marks else 'ok'}"
            )
        for name, (_address, lhr) in results.items():
            if lhr["audits"]["is-crawlable"].get("score") == 0:  # /cari/ says noindex on purpose (cms/views/search.py)
                without = score_without(lhr, "seo", {"is-crawlable"})
                print(f"  {name}: noindex on purpose; SEO without the is-crawlable audit would be {without}")

        metrics = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time")
        print("\nMetrics (simulated): " + ", ".join(metrics[:2]) + ", total-blocking-time, cumulative-layout-shift")
        for name, (_address, lhr) in results.items():
            values = [lhr["audits"][m].get("displayValue", "") for m in (*metrics, "cumulative-layout-shift")]
            print(f"  {name:<10} FCP {values[0]:>7}  LCP {values[1]:>7}  TBT {values[2]:>7}  CLS {values[3]:>6}")

        total, rows = transfer_before_images(results["article"][1])
        verdict = "within" if total < BUDGET_BYTES else "OVER"
        print(
            f"\nArticle {results['article'][0]}: {total:,} bytes transferred before images ({verdict} the "
            f"{BUDGET_BYTES:,}-byte budget)"
        )
        for kind, url, size in rows:
            print(f"  {size:>8,}  {kind:<10} {url.replace(origin, '')[:90]}")

        print("\nAudits that cost points (category, points of 100 lost, audit):")
        for name, (_address, lhr) in results.items():
            lost = [row for row in costly_audits(lhr) if row[1] >= 0.05 or row[0] != "performance"]
            print(f"  == {name}" + ("" if lost else ": none"))
            for category, points, audit_id, title, value in lost:
                print(f"    {category:<15} {points:5.1f}  {audit_id}: {title} {value}".rstrip())
                if category != "performance":
                    for line in failing_items(lhr["audits"][audit_id]):
                        print(f"{'':26}{line}")
        if args.keep:
            print(f"\nReports and scratch directory kept in {scratch}")
    finally:
        if server is not None:
            server.shutdown()
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
