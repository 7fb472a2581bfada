"""Rate limits of the public submission and search endpoints, counted in Django's shared cache.

Fixed windows: a counter per (scope, key, window) that expires with its window. Every limit is declared
here, in one place. The cache must be shared by all web processes (settings.CACHES, see CACHE_URL).
"""

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    window_seconds: int


# Every POST from one address counts (a person correcting a typo stays far below; a script does not).
SUBMISSIONS_PER_ADDRESS = Limit("submit-ip", 10, 10 * 60)
# New submissions stored for one KIM group (duplicates and rejected attempts do not count).
SUBMISSIONS_PER_GROUP = Limit("submit-group", 20, 60 * 60)
# Searches (the site's /cari/ and the app's /api/v1/search/ alike), generous per address: Indonesian mobile
# networks put many phones behind one carrier-grade NAT address, and a search costs one indexed query.
SEARCH_PER_ADDRESS = Limit("search-ip", 120, 60)


@dataclass(frozen=True)
class LimitState:
    allowed: bool
    retry_after: int  # seconds until the window ends


def client_ip(request) -> str:
    """The visitor's address: the proxy's header named in SIAR_CLIENT_IP_HEADER when valid, else the peer."""
    header = settings.SIAR_CLIENT_IP_HEADER
    candidates = [request.headers.get(header, "")] if header else []
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate.strip()))
        except ValueError:
            continue
    return "0.0.0.0"  # noqa: S104 - a placeholder key, never bound


def ip_hash(ip: str) -> str:
    """What we store about a sender's address: an HMAC keyed with SECRET_KEY, useless without it."""
    return salted_hmac("siar.submissions.ip", ip, algorithm="sha256").hexdigest()


def ip_rate_key(ip: str) -> str:
    """IPv6 clients get a whole /64 each (one subscriber), IPv4 one address."""
    address = ipaddress.ip_address(ip)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _cache_key(limit: Limit, key: str, now: float) -> tuple[str, int]:
    window = int(now // limit.window_seconds)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    retry_after = int((window + 1) * limit.window_seconds - now) + 1
    return f"siar:rl:{limit.scope}:{digest}:{window}", retry_after


def limit_peek(limit: Limit, key: str) -> LimitState:
    cache_key, retry_after = _cache_key(limit, key, time.time())
    used = cache.get(cache_key, 0)
    return LimitState(allowed=used < limit.count, retry_after=retry_after)


def limit_hit(limit: Limit, key: str) -> LimitState:
    """Count one event; allowed while the count stays within the limit."""
    cache_key, retry_after = _cache_key(limit, key, time.time())
    cache.add(cache_key, 0, timeout=limit.window_seconds + 5)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=limit.window_seconds + 5)
        used = 1
    return LimitState(allowed=used <= limit.count, retry_after=retry_after)
