"""The Celery app object. Configuration comes from Django settings (CELERY_*); jobs live in scheduler/."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siar.settings.dev")

app = Celery("siar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _filesystem_broker_folders(sender, **kwargs) -> None:
    """The embedded broker is a set of folders: any process that queues a task (web, a management command, a
    shell) makes them, not only `run_siar`; without them queueing fails (FileNotFoundError) and builds are lost."""
    from pathlib import Path

    if str(sender.conf.broker_url or "").startswith("filesystem"):
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            folder = (sender.conf.broker_transport_options or {}).get(key)
            if folder:
                Path(folder).mkdir(parents=True, exist_ok=True)
