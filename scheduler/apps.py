from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulerConfig(AppConfig):
    """Celery configuration, periodic jobs and channel freshness (built in the scheduler issue)."""

    name = "scheduler"
    verbose_name = _("Scheduler")
