from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishersConfig(AppConfig):
    """The outbox and one adapter per social channel (built in the publishers issue)."""

    name = "publishers"
    verbose_name = _("Publishers")
