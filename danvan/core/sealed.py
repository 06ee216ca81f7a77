"""Encryption at rest for what the law keeps secret (a denouncer's identity and scans).

Fernet (AES-128-CBC + HMAC-SHA256) with keys from the environment only; MultiFernet lets an
administrator rotate keys: the first key seals, every key opens.
"""

import json
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

__all__ = ["InvalidToken", "open_bytes", "open_json", "rotate", "seal_bytes", "seal_json"]


@cache
def _keys() -> MultiFernet:
    keys = getattr(settings, "DANVAN_IDENTITY_KEYS", [])
    if not keys:
        raise ImproperlyConfigured(
            "DANVAN_IDENTITY_KEYS (or DANVAN_IDENTITY_KEYS_FILE) must hold at least one Fernet key."
        )
    return MultiFernet([Fernet(key) for key in keys])


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: Any) -> None:
    if setting == "DANVAN_IDENTITY_KEYS":
        _keys.cache_clear()


def seal_bytes(data: bytes) -> bytes:
    return _keys().encrypt(data)


def open_bytes(token: bytes) -> bytes:
    return _keys().decrypt(bytes(token))


def seal_json(value: dict[str, Any]) -> bytes:
    return seal_bytes(json.dumps(value, ensure_ascii=False).encode())


def open_json(token: bytes) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(open_bytes(token))
    return value


def rotate(token: bytes) -> bytes:
    """Re-seal under the newest key (after a new key was put first)."""
    return _keys().rotate(bytes(token))


def keys_configured() -> bool:
    try:
        _keys()
    except (ImproperlyConfigured, ValueError):
        return False
    return True
