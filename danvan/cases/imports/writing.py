"""Registering the checked rows as letters, through `case_submit`, each at most once."""

from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from danvan.accounts.models import User

from ..draft import LetterDraft, Sender
from ..idempotency import IdempotencyKeyReused
from ..models import Case, Channel
from ..submission import case_submit
from .checking import ImportReport, ImportRow

# The hour of an old letter is unknown: take the opening of the office on that day.
RECEIVED_HOUR = time(8, 0)


def existing_keys(rows: list[ImportRow]) -> set[str]:
    """The idempotency keys of these rows that a letter already has (imported before)."""
    keys = [row.idempotency_key for row in rows]
    found: set[str] = set()
    for start in range(0, len(keys), 500):  # under every database's limit of parameters
        cases = Case.objects.filter(idempotency_key__in=keys[start : start + 500])
        found.update(key for key in cases.values_list("idempotency_key", flat=True) if key)
    return found


def rows_write(report: ImportReport, *, by: User, atomic: bool) -> None:
    existing = existing_keys(report.rows)
    todo = [row for row in report.rows if row.idempotency_key not in existing]
    report.skipped_existing = len(report.rows) - len(todo)
    block: AbstractContextManager[object] = transaction.atomic() if atomic else nullcontext()
    with block:
        for row in todo:
            try:
                case, created = case_submit(
                    draft=row_draft(row), by=by, idempotency_key=row.idempotency_key
                )
            except IdempotencyKeyReused:  # a changed copy of the row, imported meanwhile
                report.skipped_existing += 1
                continue
            if created:
                report.created += 1
                report.cases.append(case)
            else:  # another import of the same file got there first
                report.skipped_existing += 1


def row_draft(row: ImportRow) -> LetterDraft:
    """The letter a row records; a denunciation's sender is sealed by `case_submit`
    (Luật Tố cáo Art. 47)."""
    who = row.identity
    sender = Sender(name=who.name, phone=who.phone, email=who.email, address=who.address)
    received_at = datetime.combine(row.received, RECEIVED_HOUR, timezone.get_default_timezone())
    return LetterDraft(kind=row.kind, title=row.title, content=row.content, unit=row.unit,
                       topic=row.topic, sender=sender, anonymous=not who.name,
                       people_count=row.people_count, channel=Channel.IMPORT,
                       received_at=received_at)  # fmt: skip
