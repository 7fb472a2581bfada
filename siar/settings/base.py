"""Settings shared by every setup. Differences come only from environment variables (see .env.example)."""

import os
from pathlib import Path

import dj_database_url

from scheduler.schedule import BEAT_SCHEDULE
from siar.settings.env import cache_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("SIAR_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "")  # each setup module decides whether a default is acceptable
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "cms",
    "publishers",
    "sitegen",
    "scheduler",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cms.middleware.SiteTimezoneMiddleware",
]

ROOT_URLCONF = "siar.urls"
CSRF_FAILURE_VIEW = "cms.views.submissions.csrf_failure"  # explains in the reader's language what to do
WSGI_APPLICATION = "siar.wsgi.application"

SIAR_THEME = env_str("SIAR_THEME", "default")
THEME_DIR = BASE_DIR / "themes" / SIAR_THEME

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [THEME_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Embedded default: SQLite under var/. Production: DATABASE_URL=postgres://…
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'siar.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Indonesian first: `id` for the public site and the admin, English selectable.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Stored in UTC; shown in the site's own zone (WIB/WITA/WIT, set per site in Siar's site settings).
TIME_ZONE = env_str("SIAR_TIME_ZONE", "Asia/Jakarta")

STATIC_URL = env_str("STATIC_URL", "/static/")
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [THEME_DIR / "static"]
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Photos sent by KIM contributors, re-encoded on intake, waiting for verification. Never under MEDIA_ROOT:
# nginx serves that folder to anyone; these are shown only through an admin view that checks permissions.
SIAR_QUARANTINE_ROOT = Path(env_str("SIAR_QUARANTINE_ROOT", str(VAR_DIR / "quarantine")))
# The static public site built by sitegen: releases under SIAR_SITE_ROOT/releases/, the live one behind the symlink
# SIAR_SITE_ROOT/current (what nginx serves). Keep the last SIAR_SITE_KEEP_RELEASES for `manage.py rollback_site`.
SIAR_SITE_ROOT = Path(env_str("SIAR_SITE_ROOT", str(VAR_DIR / "site")))
SIAR_SITE_KEEP_RELEASES = env_int("SIAR_SITE_KEEP_RELEASES", 5)
# Processes a large build renders in (sitegen.parallel); 1 renders in the building process only.
SIAR_SITE_BUILD_PROCESSES = env_int("SIAR_SITE_BUILD_PROCESSES", min(os.cpu_count() or 1, 4))
# Every publish, withdrawal or snippet edit asks for a build. The first request starts one after this many seconds
# (0: at once, so a publication is live in about a second); requests until it starts, or while it runs, join one
# follow-up build.
SIAR_SITE_AUTO_BUILD = True
SIAR_SITE_BUILD_DELAY = env_int("SIAR_SITE_BUILD_DELAY", 0)

# Shared cache: rate limits of the public submission form and API live here, so every web process must see
# the same counters. Embedded default: files under var/cache (shared by the processes of one machine).
# Production with several machines: redis://host:6379/1.
CACHES = {"default": cache_from_url(env_str("CACHE_URL", ""), default_location=VAR_DIR / "cache")}
# Wagtail looks every image rendition up in this cache. Renditions never change once made, so without a shared
# server each process keeps its own in memory: the file cache's writes (and culls) cost more than the lookups save.
CACHES["renditions"] = (
    {**CACHES["default"], "KEY_PREFIX": "renditions"}
    if CACHES["default"]["BACKEND"].endswith("RedisCache")
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "renditions",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
)
# Which request header carries the client's address (set by our own proxy, e.g. X-Real-IP from nginx).
# Empty: the TCP peer (REMOTE_ADDR). Only name a header the proxy always overwrites.
SIAR_CLIENT_IP_HEADER = env_str("SIAR_CLIENT_IP_HEADER", "")

# Wagtail
WAGTAIL_SITE_NAME = env_str("SIAR_SITE_NAME", "Siar")
WAGTAILADMIN_BASE_URL = env_str("SIAR_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True  # an edit after verification needs re-verification
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("SIAR_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "odt",
    "ods",
    "csv",
    "txt",
    "zip",
    "mp4",
    "webm",
    "mov",
]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
TAGGIT_CASE_INSENSITIVE = True

# Celery: the app object is siar.celery; periodic jobs live in scheduler/.
# Embedded default needs no broker server: the filesystem transport under var/celery.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": env_int("SIAR_BROKER_VISIBILITY_TIMEOUT", 3600)}
)
CELERY_TASK_ALWAYS_EAGER = env_bool("SIAR_CELERY_EAGER", False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = env_int("SIAR_TASK_TIME_LIMIT", 600)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("SIAR_TASK_SOFT_TIME_LIMIT", 540)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Watched channels (scheduler/services/feeds.py): limits of one poll of an external feed.
SIAR_FEED_CONNECT_TIMEOUT = float(env_str("SIAR_FEED_CONNECT_TIMEOUT", "5"))
SIAR_FEED_READ_TIMEOUT = float(env_str("SIAR_FEED_READ_TIMEOUT", "15"))
SIAR_FEED_TOTAL_TIMEOUT = float(env_str("SIAR_FEED_TOTAL_TIMEOUT", "30"))
SIAR_FEED_MAX_BYTES = env_int("SIAR_FEED_MAX_BYTES", 5 * 1024 * 1024)
SIAR_FEED_MAX_REDIRECTS = env_int("SIAR_FEED_MAX_REDIRECTS", 5)
# Freshness alerts (scheduler/services/alerts.py): the office's addresses (besides each channel's owner) and a
# generic webhook (JSON POST) for a WhatsApp/Telegram gateway. Empty: that channel is off.
SIAR_ALERT_EMAILS = env_list("SIAR_ALERT_EMAILS", "")
SIAR_ALERT_WEBHOOK_URL = env_str("SIAR_ALERT_WEBHOOK_URL", "")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "siar@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("SIAR_LOG_LEVEL", "INFO")},
    # Wagtail's deferred work (search index, reference index) logs every task at INFO: too loud.
    "loggers": {"django_tasks": {"level": "WARNING"}},
}
