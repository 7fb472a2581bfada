"""A stand-in renderer for the release tests (sitegen.build.RENDERER_MODULE points here): PAGES pages, every one
carrying the release that wrote it at its start and at its end, so a torn or mixed file shows."""

import os
import re
import signal

PAGES = 40
VERSION = "v1"
REUSE_EVERY = 0  # every n-th page is reused from the live release when it has it; 0: all written
KILL_AT_PAGE = None  # the kill test's hook: the process SIGKILLs itself before writing this page
PADDING = 3000
MARK = re.compile(rb"<!-- release (\S+) (\S+) page (\d+) -->")


def configure(*, pages=40, version="v1", reuse_every=0, kill_at_page=None) -> None:
    global PAGES, VERSION, REUSE_EVERY, KILL_AT_PAGE
    PAGES, VERSION, REUSE_EVERY, KILL_AT_PAGE = pages, version, reuse_every, kill_at_page


def page_path(number: int) -> str:
    return f"berita/{number % 7}/halaman-{number}/index.html"


def page_bytes(number: int, release: str, version: str) -> bytes:
    mark = f"<!-- release {release} {version} page {number} -->".encode()
    return mark + b"\n<p>" + b"x" * PADDING + b"</p>\n" + mark + b"\n"


def page_marks(content: bytes) -> tuple[tuple, tuple]:
    """(release, version, page) at the start and at the end of a page; equal in a whole page."""
    marks = MARK.findall(content)
    return marks[0], marks[-1]


def build_all(build) -> None:
    build.expect(PAGES)
    for number in range(PAGES):
        if number == KILL_AT_PAGE:
            os.kill(os.getpid(), signal.SIGKILL)
        path = page_path(number)
        if REUSE_EVERY and number % REUSE_EVERY == 0 and build.reuse(path):
            continue
        build.write(path, page_bytes(number, build.name, VERSION))
    build.record_sources({"pages": dict.fromkeys(range(PAGES), VERSION), "version": VERSION})
