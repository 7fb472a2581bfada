"""Reading settings from the environment: every difference between setups goes through here."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on", "ya"}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required for this setup; see .env.example.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    return default if raw is None else raw.strip().lower() in TRUE_WORDS


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return default if raw in (None, "") else int(raw)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def cache_from_url(url: str, *, default_location: Path) -> dict:
    """A CACHES entry from a URL: empty → files under default_location; redis://…; file:///path; locmem://."""
    url = url.strip()
    if not url:
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(default_location)}
    scheme = urlsplit(url).scheme
    if scheme in ("redis", "rediss", "unix"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "file":
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": urlsplit(url).path}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "siar"}
    raise ImproperlyConfigured(f"CACHE_URL {url!r}: use redis://…, file:///path or locmem://; see .env.example.")
