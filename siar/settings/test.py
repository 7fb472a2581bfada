"""Settings for the test suite: SQLite in memory unless DATABASE_URL names another database."""

import os
import tempfile
from pathlib import Path

from siar.settings.base import *  # noqa: F403
from siar.settings.base import DATABASES, VAR_DIR

SECRET_KEY = "test-only-siar-key-not-secret-7d41b0a2e6c94f"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="siar-test-media-")
STATIC_ROOT = VAR_DIR / "test-static"
SIAR_QUARANTINE_ROOT = Path(tempfile.mkdtemp(prefix="siar-test-quarantine-"))
SIAR_SITE_ROOT = Path(tempfile.mkdtemp(prefix="siar-test-site-"))  # tests of sitegen use their own tmp_path
# One process: a local-memory cache is enough, and tests/conftest.py clears it between tests.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "siar-test"}}
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not os.environ.get("DATABASE_URL"):
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
# Most tests publish pages without wanting a site build; tests/sitegen/test_triggers.py turns it on.
SIAR_SITE_AUTO_BUILD = False
