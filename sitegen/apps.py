from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitegenConfig(AppConfig):
    """Static site, app JSON and feed generation (built in the static-site issue)."""

    name = "sitegen"
    verbose_name = _("Site generator")

    def ready(self) -> None:
        from sitegen.signals import connect

        connect()
