"""A local web server for feed tests, and feeds in the shapes found in the wild.

`FeedServer` serves routes registered by the test on 127.0.0.1 (a free port, a daemon thread): each route is
a function of (request headers, hit number) returning a `Reply` — status, headers, body, optional delay
before answering and optional slow "drip" of the body. Every request's headers are recorded per path, so a
test can assert what the poller sent (If-None-Match, If-Modified-Since…).
"""

import gzip
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0  # seconds before the status line
    drip: float = 0.0  # seconds between body chunks (body sent in `drip_chunks` pieces, no Content-Length)
    drip_chunks: int = 20
    content_length: bool = True


Route = Callable[[dict[str, str], int], Reply]


class _Handler(BaseHTTPRequestHandler):
    server_version = "SiarTestFeeds/1.0"

    def log_message(self, format, *args):  # quiet
        pass

    def do_GET(self):
        server: FeedServer = self.server.feed_server
        path = self.path.split("?", 1)[0]
        headers = {key.lower(): value for key, value in self.headers.items()}
        hit = server.record(path, headers)
        route = server.routes.get(path)
        reply = route(headers, hit) if route else Reply(404, {"Content-Type": "text/plain"}, b"not found")
        try:
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            if reply.drip:
                self.end_headers()
                size = max(1, len(reply.body) // reply.drip_chunks)
                for start in range(0, len(reply.body), size):
                    self.wfile.write(reply.body[start : start + size])
                    self.wfile.flush()
                    time.sleep(reply.drip)
                return
            if reply.content_length:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the poller gave up on us, as it should


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):  # a client hanging up is not a test failure
        pass


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: dict[str, list[dict[str, str]]] = defaultdict(list)
        self._lock = threading.Lock()
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.feed_server = self
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def start(self) -> "FeedServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def record(self, path: str, headers: dict[str, str]) -> int:
        with self._lock:
            self.requests[path].append(headers)
            return len(self.requests[path])

    def add(self, path: str, route: Route | Reply) -> str:
        self.routes[path] = route if callable(route) else (lambda headers, hit, reply=route: reply)
        return self.url(path)


def closed_port_url() -> str:
    """An address on 127.0.0.1 where nothing listens: connection refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"


# ---------------------------------------------------------------------------------------------------------
# Feeds


@dataclass
class Entry:
    title: str = ""
    link: str = ""
    guid: str = ""
    summary: str = ""
    date: datetime | None = None
    raw_title: bool = False  # title/summary inserted as-is (already escaped, or deliberately broken)


def rfc822(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: str, raw: bool) -> str:
    return value if raw else escape(value)


def rss20(entries: list[Entry], *, encoding: str = "utf-8", declare: str | None = None, version="2.0") -> bytes:
    items = []
    for e in entries:
        parts = []
        if e.title:
            parts.append(f"<title>{_text(e.title, e.raw_title)}</title>")
        if e.link:
            parts.append(f"<link>{_text(e.link, e.raw_title)}</link>")
        if e.guid:
            parts.append(f'<guid isPermaLink="false">{escape(e.guid)}</guid>')
        if e.date and version == "2.0":
            parts.append(f"<pubDate>{rfc822(e.date)}</pubDate>")
        if e.summary:
            parts.append(f"<description>{_text(e.summary, e.raw_title)}</description>")
        items.append("<item>" + "".join(parts) + "</item>")
    xml = (
        f'<?xml version="1.0" encoding="{declare or encoding}"?>\n'
        f'<rss version="{version}"><channel><title>Dinas Uji</title><link>https://dinas.example.go.id/</link>'
        "<description>Berita dinas</description><language>id</language>" + "\n".join(items) + "</channel></rss>"
    )
    return xml.encode(encoding)


def rss10(entries: list[Entry]) -> bytes:
    seq = "".join(f'<rdf:li rdf:resource="{escape(e.link)}"/>' for e in entries)
    items = "".join(
        f'<item rdf:about="{escape(e.link)}"><title>{escape(e.title)}</title><link>{escape(e.link)}</link>'
        f"<description>{escape(e.summary)}</description>"
        + (f"<dc:date>{iso(e.date)}</dc:date>" if e.date else "")
        + "</item>"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<channel rdf:about="https://desa.example.id/"><title>Desa Uji</title><link>https://desa.example.id/</link>'
        f"<description>Kabar desa</description><items><rdf:Seq>{seq}</rdf:Seq></items></channel>"
        f"{items}</rdf:RDF>"
    ).encode()


def atom(entries: list[Entry], *, html_content: bool = True) -> bytes:
    out = []
    for e in entries:
        date = iso(e.date) if e.date else None
        out.append(
            "<entry>"
            + (f'<title type="html">{escape(e.title)}</title>' if e.title else "")
            + (f"<id>{escape(e.guid)}</id>" if e.guid else "")
            + (f'<link rel="alternate" type="text/html" href="{escape(e.link)}"/>' if e.link else "")
            + (f"<published>{date}</published><updated>{date}</updated>" if date else "")
            + (
                f'<content type="{"html" if html_content else "text"}">{escape(e.summary)}</content>'
                if e.summary
                else ""
            )
            + "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="id">'
        "<title>Dinas Uji</title><id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>"
        f"<updated>{iso(datetime.now(UTC))}</updated>"
        '<link rel="self" href="https://dinas.example.go.id/feed.atom"/>' + "".join(out) + "</feed>"
    ).encode()


def youtube(entries: list[Entry], *, channel_id: str) -> bytes:
    out = []
    for e in entries:
        video = e.guid
        out.append(
            f"<entry><id>yt:video:{video}</id><yt:videoId>{video}</yt:videoId>"
            f"<yt:channelId>{channel_id}</yt:channelId><title>{escape(e.title)}</title>"
            f'<link rel="alternate" href="https://www.youtube.com/watch?v={video}"/>'
            f"<author><name>Diskominfo Uji</name><uri>https://www.youtube.com/channel/{channel_id}</uri></author>"
            f"<published>{iso(e.date)}</published><updated>{iso(e.date)}</updated>"
            f"<media:group><media:title>{escape(e.title)}</media:title>"
            f'<media:content url="https://www.youtube.com/v/{video}?version=3" type="application/x-shockwave-flash" '
            'width="640" height="390"/>'
            f'<media:thumbnail url="https://i2.ytimg.com/vi/{video}/hqdefault.jpg" width="480" height="360"/>'
            f"<media:description>{escape(e.summary)}</media:description>"
            '<media:community><media:starRating count="12" average="5.00" min="1" max="5"/>'
            '<media:statistics views="345"/></media:community></media:group></entry>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" '
        'xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">'
        f'<link rel="self" href="http://www.youtube.com/feeds/videos.xml?channel_id={channel_id}"/>'
        f"<id>yt:channel:{channel_id}</id><yt:channelId>{channel_id}</yt:channelId>"
        "<title>Diskominfo Uji</title>"
        f'<link rel="alternate" href="https://www.youtube.com/channel/{channel_id}"/>'
        f"<published>2019-03-01T00:00:00+00:00</published>{''.join(out)}</feed>"
    ).encode()


def gzipped(body: bytes) -> bytes:
    return gzip.compress(body, mtime=0)
