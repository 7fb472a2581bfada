"""WSGI entry point (gunicorn in production: `gunicorn siar.wsgi`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siar.settings.production")

application = get_wsgi_application()
