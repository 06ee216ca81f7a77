"""Who is calling: an API key (with scopes tied to one agency), or nobody."""

from .errors import ApiError
from .keys import key_authenticate
from .models import ApiKey


def key_from(raw: str | None) -> ApiKey | None:
    """The active key `raw` names; None when no key was given. A wrong or revoked key is an
    error, never silently anonymous: the caller meant to use it."""
    if not raw:
        return None
    key = key_authenticate(raw)
    if key is None:
        raise ApiError("api_key_invalid")
    if not key.is_active:
        raise ApiError("api_key_revoked")
    return key


def require(key: ApiKey | None, scope: str) -> ApiKey:
    """`key`, if it holds `scope`; for the agency-bound scopes, only with an agency."""
    if key is None:
        raise ApiError("api_key_missing")
    if not key.allows(scope) or (scope != "submit" and key.agency_id is None):
        raise ApiError("scope_missing")
    return key
