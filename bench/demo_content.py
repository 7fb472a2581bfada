"""Benchmark: how long `manage.py load_demo_content` takes on a fresh embedded database (target: < 60 s).

Usage: .venv/bin/python bench/demo_content.py
Prints the migrate time, the first load and the second (idempotent) load, each in a scratch SIAR_VAR_DIR.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60


def timed(env: dict, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="siar-bench-") as var_dir:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
        env.update(DJANGO_SETTINGS_MODULE="siar.settings.dev", SIAR_VAR_DIR=var_dir)
        migrate = timed(env, "migrate", "--verbosity", "0")
        first = timed(env, "load_demo_content")
        second = timed(env, "load_demo_content")
    print(f"migrate (fresh SQLite)          {migrate:6.1f} s")
    share = first / TARGET_SECONDS
    print(f"load_demo_content, first run    {first:6.1f} s  ({share:.2f} of the {TARGET_SECONDS} s budget)")
    print(f"load_demo_content, second run   {second:6.1f} s  (idempotent: nothing new)")


if __name__ == "__main__":
    main()
