"""Rendering a build's stale outputs in several processes, so a full build uses every core.

Django's templates hold the GIL, so threads would not help; forked processes do. Each child inherits the plan
(the outputs and their render functions) from the parent at the fork, renders its share and sends the bytes back
through a pipe; the parent alone writes the release (sitegen.releases wants one writer). A child that fails or
is killed makes the build fail like any other error: the release is discarded and the live site stays as it was.

Only where the children can read what the parent reads: a database on disk or on a server, outside a
transaction (inside one, a new connection would not see its uncommitted rows; tests run in transactions).
"""

import contextlib
import os
import selectors
import signal
import struct
import traceback
from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

from sitegen.store import ReleaseError

BLOCK = 16  # outputs dealt out together: neighbours (items loaded in one chunk) stay in one process
CARD_PAGE_WEIGHT = 6  # a page of cards costs about six other outputs (measured at 1k items: ~16 ms against ~2.5 ms)
MIN_PARALLEL = 200  # below this, forking and warming each process's lookups costs more than it saves
FRAME = struct.Struct("!iQ")  # output index (or FAILED), length of what follows
FAILED = -1


def processes_for(count: int) -> int:
    """How many processes to render ``count`` outputs with: 1 means in this process."""
    wanted = settings.SIAR_SITE_BUILD_PROCESSES
    if wanted <= 1 or count < MIN_PARALLEL or not _children_see_the_data():
        return 1
    return wanted


def _children_see_the_data() -> bool:
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            return False
    for alias in connections:
        database = connections.settings[alias]
        if database["ENGINE"].endswith("sqlite3") and str(database["NAME"]) in ("", ":memory:"):
            return False
        if "mode=memory" in str(database["NAME"]):
            return False
    return True


def render_in_processes(
    renders: Sequence[Callable[[], bytes]],
    deliver: Callable[[int, bytes], None],
    count: int,
    card_pages: Sequence[bool] = (),
):
    """Call every ``renders[i]()`` in ``count`` forked processes and ``deliver(i, bytes)`` here, in any order.
    ``card_pages[i]`` marks lists of cards (see ``shares_split``)."""
    connections.close_all()  # each child opens its own; a shared socket would be closed by whichever exits first
    children: dict[int, int] = {}  # read end → pid
    try:
        for shares in shares_split(card_pages or [False] * len(renders), count):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child, which leaves through os._exit
                os.close(read_end)
                _child(renders, shares, write_end)
            os.close(write_end)
            children[read_end] = pid
        _collect(children, deliver)
    except BaseException:
        for pid in children.values():
            _kill(pid)
        raise
    finally:
        for read_end, pid in children.items():
            os.close(read_end)
            _reap(pid)


def shares_split(card_pages: Sequence[bool], count: int) -> list[list[int]]:
    """Which outputs each process renders. Every list of cards goes to the first process: a card is rendered once
    per process (cms.fragments), and spread over two processes every card was rendered twice. The other outputs
    are dealt out in blocks so that each process gets about the same work, the first one its share net of cards."""
    cards = [index for index, is_list in enumerate(card_pages) if is_list]
    others = [index for index, is_list in enumerate(card_pages) if not is_list]
    fair = (CARD_PAGE_WEIGHT * len(cards) + len(others)) / count
    first_others = max(0, round(fair - CARD_PAGE_WEIGHT * len(cards))) if count > 1 else len(others)
    shares = [sorted(cards + others[:first_others])] + [[] for _ in range(count - 1)]
    rest = others[first_others:]
    for number, start in enumerate(range(0, len(rest), BLOCK)):
        shares[1 + number % (count - 1)].extend(rest[start : start + BLOCK])
    return shares


def _child(renders, shares, write_end) -> None:  # pragma: no cover - measured by the tests through its output
    """Render this process's share and send it back; never return into the parent's code."""
    code = 0
    try:
        with os.fdopen(write_end, "wb", buffering=1 << 16) as pipe:
            try:
                for index in shares:
                    data = renders[index]()
                    pipe.write(FRAME.pack(index, len(data)))
                    pipe.write(data)
            except BaseException:
                message = traceback.format_exc().encode()
                pipe.write(FRAME.pack(FAILED, len(message)))
                pipe.write(message)
                code = 1
        connections.close_all()
    except BaseException:
        code = 1
    finally:
        os._exit(code)  # no atexit handlers, no flushing of buffers inherited from the parent


def _collect(children: dict[int, int], deliver) -> None:
    selector = selectors.DefaultSelector()
    buffers = {}
    for read_end in children:
        os.set_blocking(read_end, False)
        selector.register(read_end, selectors.EVENT_READ)
        buffers[read_end] = bytearray()
    open_ends = set(children)
    while open_ends:
        for key, _events in selector.select():
            read_end = key.fd
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                selector.unregister(read_end)
                open_ends.discard(read_end)
                if buffers[read_end]:
                    raise ReleaseError(_("A render process stopped in the middle of a page; the build is discarded."))
                _check_exit(children[read_end])
                continue
            buffer = buffers[read_end]
            buffer += chunk
            _deliver_frames(buffer, deliver)
    selector.close()


def _deliver_frames(buffer: bytearray, deliver) -> None:
    while len(buffer) >= FRAME.size:
        index, length = FRAME.unpack_from(buffer)
        end = FRAME.size + length
        if len(buffer) < end:
            return
        data = bytes(buffer[FRAME.size : end])
        del buffer[:end]
        if index == FAILED:
            raise ReleaseError(_("Rendering failed in a render process:\n%(error)s") % {"error": data.decode()})
        deliver(index, data)


def _check_exit(pid: int) -> None:
    _pid, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise ReleaseError(_("A render process ended with status %(code)s; the build is discarded.") % {"code": code})


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):  # already reaped by _check_exit
        os.waitpid(pid, 0)
