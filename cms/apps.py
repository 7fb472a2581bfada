from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """Wagtail content: news, directory, agencies, regions, KIM groups and site settings."""

    name = "cms"
    verbose_name = _("Siar content")
    default_auto_field = "django.db.models.BigAutoField"
