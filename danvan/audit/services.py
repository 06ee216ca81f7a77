"""Writing to the audit log, and checking its hash chain.

Values of secret fields (passwords, keys, tokens, hashes, sealed identities, any binary
field) never enter the log: a short SHA-256 fingerprint shows that they changed, not what
they hold.
"""

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import models, transaction
from django.utils import timezone

from .context import current_actor, current_request_id
from .models import AuditChainHead, AuditEntry

GENESIS = "0" * 64
SECRET_NAME = re.compile(r"password|secret|key|token|hash|sealed|totp|otp|cipher|seed", re.I)
_UNSET: Any = object()


def masked(value: Any) -> str | None:
    """A fingerprint that tells two values apart without revealing either."""
    if value in (None, "", b""):
        return None
    raw = bytes(value) if isinstance(value, bytes | bytearray | memoryview) else str(value)
    data = raw if isinstance(raw, bytes) else raw.encode()
    return "sha256:" + hashlib.sha256(data).hexdigest()[:16]


def is_secret(field: models.Field[Any, Any]) -> bool:
    return isinstance(field, models.BinaryField) or bool(SECRET_NAME.search(field.name))


def jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, bytes | bytearray | memoryview):
        return masked(value)
    return str(value)


def snapshot(obj: models.Model, *, with_m2m: bool = True) -> dict[str, Any]:
    """The object's field values as the log keeps them (secrets masked)."""
    values: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        value = field.value_from_object(obj)
        values[field.attname] = masked(value) if is_secret(field) else jsonable(value)
    if with_m2m and obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            values[m2m.name] = sorted(o.pk for o in m2m.value_from_object(obj))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields that differ."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    if actor is None:
        return None, "system"
    if isinstance(actor, str):
        return None, actor[:200]
    if not getattr(actor, "is_authenticated", False):
        return None, "anonymous"
    login = getattr(actor, "email", None) or getattr(actor, "phone", None) or ""
    label = f"{actor} <{login}>" if login and login != str(actor) else str(actor)
    return int(actor.pk), label[:200]


def canonical(entry: AuditEntry) -> str:
    """The content the hash covers, as one stable JSON text."""
    at = entry.at.astimezone(UTC).isoformat(timespec="microseconds")
    content = {
        "seq": entry.seq, "at": at, "actor_id": entry.actor_id, "actor": entry.actor_label,
        "action": entry.action, "object_type": entry.object_type,
        "object_id": entry.object_id, "object": entry.object_repr,
        "changes": entry.changes, "note": entry.note, "request_id": entry.request_id,
    }  # fmt: skip
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + canonical(entry)).encode()).hexdigest()


def record(
    action: str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: Any = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    note: str = "",
    actor: Any = _UNSET,
) -> AuditEntry:
    """Append one entry (in the caller's transaction: a rolled-back change logs nothing)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    actor_id, label = _actor_fields(current_actor() if actor is _UNSET else actor)
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=actor_id,
            actor_label=label,
            action=action[:60],
            object_type=object_type[:100],
            object_id=str(object_id if object_id is not None else "")[:64],
            object_repr=object_repr[:200],
            changes=jsonable(changes or {}),
            note=note,
            request_id=current_request_id(),
            prev_hash=head.hash,
        )
        entry.hash = entry_hash(head.hash, entry)
        entry.save()
        AuditChainHead.objects.filter(pk=head.pk).update(seq=entry.seq, hash=entry.hash)
    return entry


def record_objects(action: str, objects: Iterable[models.Model], **fields: Any) -> int:
    count = 0
    for obj in objects:
        record(action, obj=obj, **fields)
        count += 1
    return count


@dataclass(frozen=True)
class Break:
    seq: int
    problem: str


def verify_chain() -> tuple[int, list[Break]]:
    """(entries checked, breaks): an edited, removed or inserted row breaks the chain."""
    breaks: list[Break] = []
    prev, expected, count = GENESIS, 1, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=1000):
        count += 1
        if entry.seq != expected:
            breaks.append(Break(entry.seq, f"expected entry #{expected}: entries are missing"))
        if entry.prev_hash != prev:
            breaks.append(Break(entry.seq, "does not follow the entry before it"))
        if entry_hash(entry.prev_hash, entry) != entry.hash:
            breaks.append(Break(entry.seq, "content changed after it was written"))
        prev, expected = entry.hash, entry.seq + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.hash) != (expected - 1, prev):
        breaks.append(Break(head.seq, "the last entries were removed"))
    return count, breaks
