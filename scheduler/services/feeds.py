"""Fetching and parsing one feed over HTTP: no database access here, so it can run in any thread.

`feed_fetch` makes one conditional GET (If-None-Match / If-Modified-Since) with a connect/read timeout, a
deadline for the whole response, a size cap (counted after gzip decoding, so a gzip bomb is cut too) and
bounded redirects, then parses the bytes with feedparser. Every entry comes out as a `ParsedItem` that is
already safe to store: plain-text title and summary (all HTML stripped, entities decoded, whitespace
collapsed, length capped) and a link only if it is http(s).
"""

import contextlib
import hashlib
import io
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum
from html.parser import HTMLParser
from urllib.parse import urlsplit

import feedparser
import requests
from urllib3.exceptions import ReadTimeoutError

from django.conf import settings

from scheduler.models import PollError

TITLE_MAX = 300
SUMMARY_MAX = 1000
LINK_MAX = 1000
ERROR_DETAIL_MAX = 300
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5"
)


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0  # the whole response, so a server dripping bytes cannot hold a worker
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = "Siar feed monitor"

    @classmethod
    def from_settings(cls) -> "FetchLimits":
        base = settings.WAGTAILADMIN_BASE_URL
        return cls(
            connect_timeout=settings.SIAR_FEED_CONNECT_TIMEOUT,
            read_timeout=settings.SIAR_FEED_READ_TIMEOUT,
            total_timeout=settings.SIAR_FEED_TOTAL_TIMEOUT,
            max_bytes=settings.SIAR_FEED_MAX_BYTES,
            max_redirects=settings.SIAR_FEED_MAX_REDIRECTS,
            user_agent=f"Siar feed monitor (+{base})" if base else cls.user_agent,
        )


@dataclass(frozen=True)
class FetchRequest:
    url: str
    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class ParsedItem:
    key: str
    title: str
    link: str
    summary: str
    published_at: datetime | None


class Outcome(StrEnum):
    OK = "ok"
    NOT_MODIFIED = "not_modified"
    FAILED = "failed"  # counts towards unreachable
    DEFERRED = "deferred"  # the site asked us to wait (429): not a failure of the source


@dataclass
class FetchResult:
    outcome: Outcome
    status: int | None = None
    etag: str = ""
    last_modified: str = ""
    items: list[ParsedItem] = field(default_factory=list)
    retry_after: timedelta | None = None
    error: str = ""  # a PollError value
    detail: str = ""


# ---------------------------------------------------------------------------------------------------------
# Plain text and safe links


class _TextExtractor(HTMLParser):
    """Keeps only text: drops every tag, and the content of script/style and similar containers."""

    SKIP = {"script", "style", "noscript", "template", "iframe", "object"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    BLOCK = {"br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "hr"}

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


LOOKS_LIKE_MARKUP = re.compile(r"</?[a-zA-Z!?]|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]{1,31});?")
TAG_LIKE = re.compile(r"</?[a-zA-Z!?][^<>]*>?")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u2028\u2029\ufeff]")
WHITESPACE = re.compile(r"\s+")


def plain_text(value: str | None, *, max_length: int) -> str:
    """Text without any HTML: tags and script/style content removed, entities decoded, whitespace collapsed.

    Feeds often escape HTML twice (``&lt;b&gt;`` inside an already-escaped description), so stripping is
    repeated while what remains still looks like markup.
    """
    text = value or ""
    for _round in range(4):
        if not LOOKS_LIKE_MARKUP.search(text):
            break
        extractor = _TextExtractor()
        extractor.feed(text)
        extractor.close()
        text = "".join(extractor.parts)
    text = TAG_LIKE.sub(" ", text)  # whatever survived four rounds of unescaping is not worth keeping
    text = WHITESPACE.sub(" ", CONTROL_CHARS.sub("", text)).strip()
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


URL_INVISIBLES = re.compile(r"[\x00-\x20\x7f]")  # browsers drop tabs/newlines inside URLs: "java\tscript:"


def safe_link(value: str | None) -> str:
    """The link if it is an absolute http(s) URL, else empty: no javascript:, data:, vbscript:, relative."""
    link = URL_INVISIBLES.sub("", (value or "").strip())
    if not link or len(link) > LINK_MAX:
        return ""
    try:
        parts = urlsplit(link)
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return link


def _entry_date(entry) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if value:
            try:
                return datetime(*value[:6], tzinfo=UTC)
            except (TypeError, ValueError, OverflowError):
                continue
    return None


def entry_key(*, entry_id: str, link: str, title: str, published_at: datetime | None, summary: str) -> str:
    """Stable identity of an entry within its source: guid/id, else link, else title + date (hashed)."""
    if entry_id:
        identity = f"id\x00{entry_id}"
    elif link:
        identity = f"link\x00{link}"
    else:
        date = published_at.isoformat() if published_at else ""
        identity = f"text\x00{title}\x00{date}\x00{'' if (title or date) else summary}"
    return hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()


def feed_items(parsed) -> list[ParsedItem]:
    """Safe, de-duplicated items of a parsed feed, in feed order; entries with nothing to show are skipped."""
    items: dict[str, ParsedItem] = {}
    for entry in parsed.entries:
        raw_link = (entry.get("link") or "").strip()
        title = plain_text(entry.get("title"), max_length=TITLE_MAX)
        summary_source = entry.get("summary") or ""
        if not summary_source and entry.get("content"):
            summary_source = entry["content"][0].get("value", "")
        if not summary_source and entry.get("media_description"):
            summary_source = entry["media_description"]
        summary = plain_text(summary_source, max_length=SUMMARY_MAX)
        published_at = _entry_date(entry)
        link = safe_link(raw_link)
        if not (title or link or summary):
            continue
        key = entry_key(
            entry_id=(entry.get("id") or "").strip(),
            link=raw_link,
            title=title,
            published_at=published_at,
            summary=summary,
        )
        items.setdefault(key, ParsedItem(key=key, title=title, link=link, summary=summary, published_at=published_at))
    return list(items.values())


# ---------------------------------------------------------------------------------------------------------
# HTTP


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> timedelta | None:
    """Retry-After as seconds or as an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(timedelta(0), moment - (now or datetime.now(UTC)))


def _failure(error: PollError, detail: str = "", status: int | None = None, **extra) -> FetchResult:
    return FetchResult(
        outcome=Outcome.FAILED, status=status, error=error.value, detail=detail[:ERROR_DETAIL_MAX], **extra
    )


class _Watchdog:
    """Cuts a response off at the deadline, even while a read is blocked on a server dripping bytes.

    The read timeout only bounds each wait for the next bytes; a server sending one byte just within it
    would hold a worker for hours. Shutting the socket down from a timer wakes the blocked read.
    """

    def __init__(self, response: requests.Response, seconds: float) -> None:
        self.response = response
        self.fired = False
        self.timer = threading.Timer(max(0.0, seconds), self._fire)
        self.timer.daemon = True

    def _socket(self):
        raw = self.response.raw  # urllib3's response
        sock = getattr(getattr(raw, "connection", None), "sock", None)
        if sock is None:  # http.client hands a closing connection's socket to the response (HTTP/1.0, close)
            reader = getattr(getattr(raw, "_fp", None), "fp", None)  # http.client response → BufferedReader
            sock = getattr(getattr(reader, "raw", None), "_sock", None)  # → SocketIO → socket
        return sock

    def _fire(self) -> None:
        self.fired = True
        sock = self._socket()
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> "_Watchdog":
        self.timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.timer.cancel()


def _read_body(response: requests.Response, *, limits: FetchLimits, started: float) -> bytes | FetchResult:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        return _failure(PollError.TOO_LARGE, f"Content-Length {declared}", response.status_code)
    too_slow = _failure(PollError.TIMEOUT, f"slower than {limits.total_timeout:g} s", response.status_code)
    chunks, size = [], 0
    with _Watchdog(response, limits.total_timeout - (time.monotonic() - started)) as watchdog:
        try:
            for chunk in response.iter_content(chunk_size=64 * 1024):  # decoded: gzip counted after inflating
                size += len(chunk)
                if size > limits.max_bytes:
                    return _failure(PollError.TOO_LARGE, f"more than {limits.max_bytes} bytes", response.status_code)
                if watchdog.fired or time.monotonic() - started > limits.total_timeout:
                    return too_slow
                chunks.append(chunk)
        except requests.exceptions.RequestException:
            if watchdog.fired:
                return too_slow
            raise
    if watchdog.fired:  # the shutdown may also look like a clean end of a body without Content-Length
        return too_slow
    return b"".join(chunks)


def feed_fetch(*, request: FetchRequest, limits: FetchLimits) -> FetchResult:
    """One conditional GET of a feed and its parsed items. Never raises for anything the network does."""
    headers = {"User-Agent": limits.user_agent, "Accept": ACCEPT}
    if request.etag:
        headers["If-None-Match"] = request.etag
    if request.last_modified:
        headers["If-Modified-Since"] = request.last_modified
    started = time.monotonic()
    try:
        with requests.Session() as session:
            session.max_redirects = limits.max_redirects
            with session.get(
                request.url,
                headers=headers,
                timeout=(limits.connect_timeout, limits.read_timeout),
                stream=True,
                allow_redirects=True,
            ) as response:
                status = response.status_code
                if status == 304:
                    return FetchResult(outcome=Outcome.NOT_MODIFIED, status=status)
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                if status == 429:
                    return FetchResult(
                        outcome=Outcome.DEFERRED, status=status, retry_after=retry_after, error=PollError.RATE_LIMITED
                    )
                if status >= 400 or status < 200:
                    return _failure(
                        PollError.HTTP,
                        f"HTTP {status} {response.reason or ''}".strip(),
                        status,
                        retry_after=retry_after if status == 503 else None,
                    )
                body = _read_body(response, limits=limits, started=started)
                if isinstance(body, FetchResult):
                    return body
                response_headers = {key.lower(): value for key, value in response.headers.items()}
                response_headers["content-location"] = response.url  # relative links resolve against the final URL
                response_headers.pop("content-encoding", None)  # already decoded by requests
    except requests.exceptions.TooManyRedirects as error:
        return _failure(PollError.REDIRECTS, str(error))
    except requests.exceptions.Timeout as error:
        return _failure(PollError.TIMEOUT, str(error))
    except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema) as e:
        return _failure(PollError.INVALID_URL, str(e))
    except requests.exceptions.ConnectionError as error:
        # A read timeout while streaming the body arrives wrapped in a ConnectionError.
        timed_out = any(isinstance(arg, ReadTimeoutError) for arg in error.args) or "timed out" in str(error)
        return _failure(PollError.TIMEOUT if timed_out else PollError.CONNECTION, str(error))
    except requests.exceptions.RequestException as error:  # content decoding errors, chunked encoding errors…
        return _failure(PollError.CONNECTION, f"{type(error).__name__}: {error}")

    return feed_result_from_bytes(body, headers=response_headers, status=status)


def feed_result_from_bytes(body: bytes, *, headers: dict[str, str], status: int = 200) -> FetchResult:
    """Parse a feed body. Broken XML is fine as long as feedparser still finds entries (it usually does)."""
    # A stream, never bytes or str: feedparser treats a string that looks like a URL or a path as one to open.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers)
    items = feed_items(parsed)
    recognised = bool(parsed.get("version")) and not parsed.get("bozo")
    if not parsed.entries and not recognised:
        reason = type(parsed.get("bozo_exception")).__name__ if parsed.get("bozo") else "no entries"
        detail = "empty response" if not body.strip() else f"not a feed ({reason})"
        return _failure(PollError.NOT_A_FEED, detail, status)
    return FetchResult(
        outcome=Outcome.OK,
        status=status,
        etag=headers.get("etag", "")[:500],
        last_modified=headers.get("last-modified", "")[:100],
        items=items,
    )
