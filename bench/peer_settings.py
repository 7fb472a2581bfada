"""Settings for the peer run in bench/sitegen.py: Siar's own settings plus django-distill serving Wagtail pages."""

from siar.settings.dev import *  # noqa: F403
from siar.settings.dev import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "django_distill"]
ROOT_URLCONF = "bench.peer_urls"
DEBUG = False
ALLOWED_HOSTS = ["*"]
