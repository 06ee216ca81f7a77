"""The writes under every service of a case: a step's event, a transition under its lock, a
file kept. The cases services (`services`, `duplicates`, `retention`, `outgoing`) call these;
nothing else writes a case's status or an event.

Nothing here tells anyone: a service whose step the citizen must hear about queues the notice
itself (`notifications.notify_citizen`), in the same transaction as the event.
"""

import uuid
from collections.abc import Iterable
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from danvan.accounts.models import User
from danvan.core import sealed
from danvan.core.storage import storing

from .identity import masked_texts
from .models import Attachment, Case, CaseEvent
from .workflow import Action, Status, target

if TYPE_CHECKING:
    from danvan.core.uploads import CleanFile


class TransitionError(Exception):
    """The action is not allowed from the case's current status."""

    def __init__(self, action: Action, status: str) -> None:
        super().__init__(f"{action} is not allowed from {status}")
        self.action, self.status = action, status


class ConcurrentUpdate(Exception):
    """Another officer changed the case first; reload and try again."""


def case_event(case: Case, action: Action, by: User | None, **fields: Any) -> CaseEvent:
    """Append one event to the case's history (`fields`: CaseEvent's columns)."""
    fields.setdefault("at", timezone.now())
    return CaseEvent.objects.create(case=case, action=action, actor=by, **fields)


def case_move(
    case: Case,
    action: Action,
    by: User | None,
    *,
    note: str = "",
    public: bool = True,
    data: dict[str, Any] | None = None,
    **changes: Any,
) -> tuple[Case, CaseEvent]:
    """Apply a transition: status check, optimistic lock, the change and its event.

    Returns the case reloaded and the event. On a sealed letter the note and the answer are
    stored with the sender's details masked.
    """
    to = target(action, Status(case.status))
    if to is None:
        raise TransitionError(action, case.status)
    with transaction.atomic():
        note = _masked(case, note, changes)
        moved = Case.objects.filter(pk=case.pk, version=case.version, status=case.status).update(
            status=to, version=F("version") + 1, **changes
        )
        if moved != 1:
            raise ConcurrentUpdate(case.pk)
        event = case_event(
            case,
            action,
            by,
            from_status=case.status,
            to_status=to,
            note=note,
            is_public=public,
            data=data or {},
        )
    case.refresh_from_db()
    return case, event


def _masked(case: Case, note: str, changes: dict[str, Any]) -> str:
    """The note (returned) and the answer (in `changes`), masked if the letter is sealed."""
    if "answer" not in changes:
        return masked_texts(case, [note])[0]
    note, changes["answer"] = masked_texts(case, [note, changes["answer"]])
    return note


def attachments_add(
    case: Case,
    files: Iterable["CleanFile"],
    *,
    by: User | None,
    source: str,
    public: bool = False,
    document_kind: str = "",
) -> list[Attachment]:
    """Store checked files; a sealed letter's files (scans, photos, and the documents
    addressed to its sender) are sealed, whatever its kind now: scans show handwriting."""
    secret = case.identity_sealed
    saved = []
    for clean in files:
        stored_name = f"{uuid.uuid4().hex}{PurePath(clean.name).suffix.lower()}"
        content = sealed.seal_bytes(clean.data) if secret else clean.data
        attachment = Attachment(case=case, name=clean.name, content_type=clean.content_type,
                                size=clean.size, sha256=clean.sha256, uploaded_by=by,
                                source=source, is_public=public, sealed=secret,
                                document_kind=document_kind)  # fmt: skip
        # The log names the stored file, never the sender's name for it (it may name them).
        with storing(f"attachment {stored_name}"):
            attachment.file.save(stored_name, ContentFile(content), save=True)
        saved.append(attachment)
    return saved
