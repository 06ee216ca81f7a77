"""Who is calling the REST API: an API key (`Authorization: Bearer` or `X-Api-Key`), or no
key; every way in counts the call against its rate limit before the endpoint runs."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import APIKeyHeader, HttpBearer

from .access import key_from, require
from .errors import ApiError
from .models import ApiKey
from .ratelimit import check_request


def _counted(request: HttpRequest, raw: str | None) -> ApiKey | None:
    key = key_from(raw)
    check_request(request, key)
    return key


class BearerKey(HttpBearer):
    """`Authorization: Bearer dv_...`"""

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        return _counted(request, token)


class HeaderKey(APIKeyHeader):
    """`X-Api-Key: dv_...`"""

    param_name = "X-Api-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey | None:
        # Called without the header too: leave counting to the next way in, or an
        # anonymous call would count twice against its address.
        return _counted(request, key) if key else None


class _Anonymous:
    """Marks a call without a key (request.auth), counted by the client's address."""


ANONYMOUS = _Anonymous()


def anonymous(request: HttpRequest) -> _Anonymous:
    check_request(request, None)
    return ANONYMOUS


def no_key(request: HttpRequest) -> None:
    check_request(request, None)
    raise ApiError("api_key_missing")


KEY_AUTH: list[Callable[[HttpRequest], Any]] = [BearerKey(), HeaderKey()]
OPTIONAL = [*KEY_AUTH, anonymous]  # a call without a key is let through, counted by address
REQUIRED = [*KEY_AUTH, no_key]
OPTIONAL_SECURITY: dict[str, Any] = {"security": [{}]}  # appended to the keys: optional


def caller(request: HttpRequest) -> ApiKey | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiKey) else None


def staff_key(request: HttpRequest, scope: str) -> ApiKey:
    return require(caller(request), scope)


def local(value: Any) -> Any:
    return timezone.localtime(value) if value else value
