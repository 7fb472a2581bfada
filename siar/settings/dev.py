"""The embedded default: no environment needed, SQLite and a broker-less Celery under var/."""

from siar.settings.base import *  # noqa: F403
from siar.settings.env import env_bool, env_list, env_str

DEBUG = env_bool("DEBUG", True)
# A fixed key is acceptable only here: the dev setup never faces the internet.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-siar-key-never-use-in-production-3f9a7c1e")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
