"""The Celery app object. Configuration comes from Django settings (CELERY_*); jobs live in scheduler/."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siar.settings.dev")

app = Celery("siar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
