"""A retry of a submission told apart from a different letter sent under the same key.

A letter's idempotency key (a form's token, an API caller's Idempotency-Key) is stored with
a digest of what was sent. The key's unique index refuses a second row; only then, on that
rare path, is the first letter read and the digests compared, so an ordinary letter pays no
query for it. The same digest is a retry (a double click, a lost response): the first letter
comes back. Another digest is another letter: it is refused with `IdempotencyKeyReused`,
nothing of it is stored, and the caller says so; it is never answered with the first letter,
which would lose the second without a word.
"""

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils.crypto import salted_hmac

from .models import Case

_SALT = "danvan.cases.idempotency.letter_digest"


class IdempotencyKeyReused(Exception):
    """The key was used for a different letter, `first`; nothing of the new one was stored."""

    def __init__(self, first: Case) -> None:
        super().__init__(f"idempotency key reused (first letter {first.pk})")
        self.first = first


def letter_digest(fields: Mapping[str, Any], file_hashes: Iterable[str]) -> str:
    """A keyed SHA-256 (HMAC with SECRET_KEY) of a canonical form of the letter.

    The fields sorted by name, texts stripped as they are stored, records by primary key,
    and the files' SHA-256 sorted, so the same letter always gives the same digest. Keyed
    rather than a bare hash: the fields hold a denouncer's identity, which a bare digest
    would let anyone who reads the table confirm by guessing.
    """
    canonical = json.dumps(
        {"fields": {name: _plain(value) for name, value in fields.items()},
         "files": sorted(file_hashes)},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )  # fmt: skip
    return salted_hmac(_SALT, canonical, algorithm="sha256").hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, tuple):
        return list(value)
    return value


def letter_retried(key: str | None, digest: str) -> Case | None:
    """After the key's unique index refused a letter: the first letter when this one is a
    retry of it; IdempotencyKeyReused when it is another letter; None without a key row
    (the refusal had another cause). A letter stored before digests existed has none and
    is taken as the same letter, as it was then."""
    if not key:
        return None
    first = Case.objects.filter(idempotency_key=key).first()
    if first is None:
        return None
    if first.submission_digest and first.submission_digest != digest:
        raise IdempotencyKeyReused(first)
    return first
