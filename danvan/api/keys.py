"""Issuing, checking and revoking API keys.

A key reads `dv_<prefix>_<secret>`: the prefix finds the row, the secret is compared with
its SHA-256 in constant time. The secret has 192 random bits, so a slow password hash would
add nothing but latency.
"""

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from danvan.accounts.models import User
from danvan.audit.context import current_actor
from danvan.audit.services import record
from danvan.core import refcache
from danvan.core.refcache import reference
from danvan.places.models import Agency

from .models import ApiKey, Scope

LAST_USED_EVERY = timedelta(minutes=1)  # `last_used_at` is written at most this often


def key_issue(
    *, name: str, agency: Agency | None, scopes: Iterable[str], by: User | None = None
) -> tuple[ApiKey, str]:
    """A new key and its full text, which is never stored and cannot be shown again."""
    wanted = set(scopes)
    unknown = wanted - set(Scope.values)
    if unknown:
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    prefix, secret = secrets.token_hex(4), secrets.token_urlsafe(24)
    with transaction.atomic():
        key = ApiKey.objects.create(
            name=name,
            agency=agency,
            scopes=sorted(wanted),
            prefix=prefix,
            secret_hash=_hash(secret),
            created_by=by,
        )
        # The audit log names the key by its prefix; never the secret, nor its hash.
        issued = {"name": name, "agency": agency.pk if agency else None,
                  "scopes": key.scopes, "prefix": prefix}  # fmt: skip
        changes = {field: [None, value] for field, value in issued.items()}
        record("api_key.issue", obj=key, changes=changes, actor=by or current_actor())
    return key, f"dv_{prefix}_{secret}"


def key_authenticate(raw: str) -> ApiKey | None:
    """The key `raw` names if it exists and its secret matches, revoked or not (the caller
    tells a revoked key apart); None otherwise."""
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != "dv":
        return None
    _, prefix, secret = parts
    if not (prefix.isascii() and prefix.isalnum()):  # token_hex: nothing else is a prefix
        return None
    key = _by_prefix(prefix)
    if key is None or not hmac.compare_digest(key.secret_hash, _hash(secret)):
        return None
    now = timezone.now()
    if key.is_active and (key.last_used_at is None or now - key.last_used_at > LAST_USED_EVERY):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


@reference(ApiKey, Agency)
def _by_prefix(prefix: str) -> ApiKey | None:
    """Kept in memory per process: a revocation reaches every process within a second."""
    return ApiKey.objects.select_related("agency").filter(prefix=prefix).first()


def key_revoke(key: ApiKey) -> None:
    with transaction.atomic():
        now = timezone.now()
        if ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=now):
            record("api_key.revoke", obj=key, changes={"revoked_at": [None, now]})
            refcache.changed()
    key.refresh_from_db(fields=["revoked_at"])


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
