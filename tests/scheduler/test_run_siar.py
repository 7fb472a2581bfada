"""`make run` (manage.py run_siar) on a bare setup: no environment, SQLite, Celery without a broker server.

Starts the real processes (web, worker, beat) in a scratch var/ and proves a visitor gets the site and the
admin login in Bahasa Indonesia, and that the worker really executes tasks sent through the embedded broker.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
SCHEDULE_PAGE = """
from datetime import timedelta
from django.utils import timezone
from cms.models import NewsIndexPage, NewsPage
index = NewsIndexPage.objects.get()
page = index.add_child(instance=NewsPage(title="Jadwal vaksinasi", lead="Vaksinasi di Puskesmas.", live=False))
page.go_live_at = timezone.now() + timedelta(seconds=1)
revision = page.save_revision()
from tests.factories import verify_revision
verify_revision(revision)
revision.publish()
print("PAGE", page.pk, page.live)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_pids(parent: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            pids.append(int(stat.parent.name))
    return pids


def wait_for(url: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 — our own local server
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def embedded_env(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_", "CELERY_", "SIAR_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="siar.settings.dev", SIAR_VAR_DIR=str(tmp_path), SIAR_DEMO_PASSWORD="uji-rahasia-42"
    )
    return env


def test_run_starts_site_admin_worker_and_beat_without_any_server(embedded_env, tmp_path):
    port = free_port()
    runner = subprocess.Popen(
        [sys.executable, "manage.py", "run_siar", "--addr", f"127.0.0.1:{port}", "--no-demo"],
        cwd=BASE_DIR,
        env=embedded_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        home = wait_for(f"http://127.0.0.1:{port}/", 90)
        login = wait_for(f"http://127.0.0.1:{port}/admin/login/", 10)
        assert "Beranda" in home
        assert 'lang="id"' in login and "Masuk" in login
        assert (tmp_path / "siar.sqlite3").exists(), "the embedded setup keeps its database under SIAR_VAR_DIR"

        page_line = manage(embedded_env, "shell", "-c", SCHEDULE_PAGE).strip().splitlines()[-1]
        assert page_line.endswith("False"), "the page must wait for its go-live time"
        time.sleep(1.5)
        subprocess.run(
            [sys.executable, "-m", "celery", "-A", "siar", "call", "scheduler.publish_scheduled"],
            cwd=BASE_DIR,
            env=embedded_env,
            check=True,
            capture_output=True,
            timeout=60,
        )
        live = "False"
        deadline = time.monotonic() + 60
        while live != "True" and time.monotonic() < deadline:
            time.sleep(1)
            live = (
                manage(
                    embedded_env, "shell", "-c", "from cms.models import NewsPage; print(NewsPage.objects.get().live)"
                )
                .strip()
                .splitlines()[-1]
            )
        assert live == "True", "the worker should have run publish_scheduled from the filesystem broker"
        children = child_pids(runner.pid)
        assert len(children) >= 3, "web, worker and beat run as processes of their own"
    finally:
        runner.send_signal(signal.SIGTERM)  # only the launcher: it must take its children down with it
        output, _ = runner.communicate(timeout=60)
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()], "no process outlives make run"
    assert "admin / uji-rahasia-42" in output
    assert (tmp_path / "celery" / "control").is_dir(), "broker bookkeeping stays under var/, not in the checkout"
    assert "celery@" in output and "beat: Starting" in output, output[-3000:]
