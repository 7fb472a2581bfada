"""Production: PostgreSQL and Redis/RabbitMQ through the environment; secrets only from there."""

from django.core.exceptions import ImproperlyConfigured

from siar.settings.base import *  # noqa: F403
from siar.settings.env import env_bool, env_int, env_list, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
for _name, _value in (("SECRET_KEY", SECRET_KEY.strip()), ("ALLOWED_HOSTS", ALLOWED_HOSTS)):
    if not _value:  # missing, or an empty `NAME=` line copied from .env.example
        raise ImproperlyConfigured(f"Environment variable {_name} is required in production; see .env.example.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# nginx terminates TLS and sets X-Forwarded-Proto (deploy/nginx/siar.conf).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SIAR_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SIAR_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SIAR_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview panel opts itself back in with SAMEORIGIN
# gunicorn listens only for nginx, which overwrites X-Real-IP with the real peer (deploy/nginx/siar.conf):
# without this every visitor would share nginx's address and one rate limit.
SIAR_CLIENT_IP_HEADER = env_str("SIAR_CLIENT_IP_HEADER", "X-Real-IP")
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("SIAR_MAX_REQUEST_BYTES", 5 * 1024 * 1024)
# Persistent connections: a per-database option (a top-level CONN_MAX_AGE setting would be ignored by Django).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
ADMINS = [("Siar", email) for email in env_list("SIAR_ADMIN_EMAILS", "")]
SERVER_EMAIL = env_str("SERVER_EMAIL", "siar@localhost")
