"""Fixed-window request limits per API key and per client address.

With Redis (DANVAN_CACHE_URL) counts are shared by every process: one INCR and one EXPIRE NX
in a single round trip per request (Django's cache API would take three: add, then incr's
exists and incr). Without it they are kept in Django's per-process cache, so the limit is per
process there.
"""

import functools
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from redis import Redis
from redis.exceptions import RedisError

from danvan.core.clients import client_address, household

from .errors import ApiError
from .models import ApiKey

logger = logging.getLogger("danvan.api")


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


def parse(text: str) -> Limit:
    """`"120/min"`, `"10/s"`, `"1000/h"` or `"5000/day"`."""
    count, _, unit = text.partition("/")
    seconds = {"s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "hour": 3600, "day": 86400}
    return Limit(int(count), seconds[unit.strip()])


def check(bucket: str, ident: str, limit: Limit) -> None:
    """Count one request of `ident`; ApiError("rate_limited") with Retry-After beyond it.

    When the shared cache cannot be reached (Redis restarting), the request goes through
    uncounted: a letter must not be refused because a counter is down.
    """
    now = time.time()
    window = int(now // limit.seconds)
    key = f"danvan:ratelimit:{bucket}:{ident}:{window}"
    try:
        count = _count(key, limit.seconds + 1)
    except (OSError, RedisError) as error:
        logger.warning("rate limit not counted, the cache is unreachable: %r", error)
        return
    if count > limit.count:
        retry = max(1, int((window + 1) * limit.seconds - now + 0.999))
        raise ApiError("rate_limited", retry_after=retry)


def _count(key: str, timeout: int) -> int:
    client = redis_client()
    if client is not None:
        pipe = client.pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, timeout, nx=True)
        count, _expiring = pipe.execute()
        return int(count)
    cache.add(key, 0, timeout=timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr: this request opens a new window
        cache.set(key, 1, timeout=timeout)
        return 1


@functools.cache
def redis_client() -> Redis | None:
    """The shared counters' Redis, one client (and connection pool) per process."""
    url = settings.DANVAN_CACHE_URL
    return Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1) if url else None


def check_request(request: HttpRequest, key: ApiKey | None) -> None:
    """A key is limited by its own rate; a call without a key by its client address."""
    if key is not None:
        check("key", str(key.pk), Limit(key.rate_per_minute, 60))
    else:
        # An IPv6 subscriber holds a whole /64: one household, one limit.
        address = household(client_address(request))
        check("address", address, parse(settings.DANVAN_API_RATE_ANONYMOUS))
