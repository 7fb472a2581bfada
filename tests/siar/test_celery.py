"""The embedded broker (a set of folders) works from any process, not only from `manage.py run_siar`."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

QUEUE_ONE = "from sitegen.tasks import build_requested; build_requested.apply_async(countdown=60); print('queued')"


def test_a_management_command_can_queue_a_task_on_a_fresh_embedded_setup(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env.update(DJANGO_SETTINGS_MODULE="siar.settings.dev", SIAR_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", QUEUE_ONE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "queued" in result.stdout
    assert len(list(Path(tmp_path, "celery", "queue").glob("*.msg"))) == 1
