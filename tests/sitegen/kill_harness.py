"""Fork server of the kill test (test_releases.py): Django starts once here, and every build runs `manage.py
build_site` in a forked child, which the test SIGKILLs after a random delay or which kills itself at a named point.
A child per build costs milliseconds instead of the second a fresh Django process takes, so 20+ kills stay quick.

    python kill_harness.py SITE_ROOT [--create-tables]     (DATABASE_URL names the database)

One JSON request per line on stdin, one JSON answer per line on stdout:
    {"op": "build", "pages": 60, "version": "v2", "kill": null | "page:K" | POINT}  ->  {"pid": PID}
    {"op": "wait", "pid": PID}                                                      ->  {"killed": bool, "exit": int}
    {"op": "rows"}                                                                  ->  {"rows": [[name, status]]}
POINT is where in sitegen/store.py the child dies: before-sync, before-publish, after-publish (staging renamed to
releases/<name>), before-switch, after-switch (`current` replaced, nothing recorded yet).
"""

import io
import json
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siar.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command, load_command_class  # noqa: E402
from django.db import connection, connections  # noqa: E402

from sitegen import build as sitegen_build  # noqa: E402
from sitegen.models import SiteRelease  # noqa: E402
from tests.sitegen import synthetic_outputs  # noqa: E402


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def arm(point: str) -> None:
    """Wrap the one os call of the point so this process dies right before or right after it."""
    when, step = point.split("-")
    name, matches = {
        "sync": ("sync", lambda args: True),
        "publish": ("rename", lambda args: not Path(args[1]).name.startswith(".")),  # staging -> releases/<name>
        "switch": ("replace", lambda args: Path(args[1]).name == "current"),
    }[step]
    original = getattr(os, name)

    def dying(*args, **kwargs):
        if when == "before" and matches(args):
            die()
        result = original(*args, **kwargs)
        if when == "after" and matches(args):
            die()
        return result

    setattr(os, name, dying)


def child(request: dict) -> None:
    kill = request.get("kill") or ""
    if kill and not kill.startswith("page:"):
        arm(kill)
    page = int(kill.removeprefix("page:")) if kill.startswith("page:") else None
    synthetic_outputs.configure(pages=request["pages"], version=request["version"], reuse_every=3, kill_at_page=page)
    sitegen_build.RENDERER_MODULE = "tests.sitegen.synthetic_outputs"
    try:
        call_command("build_site", stdout=io.StringIO())
    except BaseException as error:  # noqa: BLE001 — reported through the exit code
        print(f"build failed: {error!r}", file=sys.stderr)
        os._exit(1)
    os._exit(0)


def answer(reply: dict) -> None:
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()


def serve() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "build":
            connections.close_all()  # the child opens its own connection
            pid = os.fork()
            if pid == 0:
                child(request)
            answer({"pid": pid})
        elif request["op"] == "wait":
            _, status = os.waitpid(request["pid"], 0)
            killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
            answer({"killed": killed, "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None})
        elif request["op"] == "rows":
            answer({"rows": list(SiteRelease.objects.order_by("name").values_list("name", "status"))})
            connections.close_all()


if __name__ == "__main__":
    settings.SIAR_SITE_ROOT = Path(sys.argv[1])
    load_command_class("sitegen", "build_site")  # imported once here, so a child's time goes to building
    if "--create-tables" in sys.argv:  # a scratch SQLite file: the test's own database is in its memory
        with connection.schema_editor() as editor:
            editor.create_model(get_user_model())  # SQLite wants the table a foreign key names, even when null
            editor.create_model(SiteRelease)
    connections.close_all()
    answer({"ready": True})
    serve()
