"""Registering the checked rows as letters, through `case_submit`, each at most once."""

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from danvan.accounts.models import User

from ..idempotency import IdempotencyKeyReused
from ..models import Case, Channel
from ..services import case_submit
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
            created: list[Case] = []
            try:
                case = _row_write(row, by=by, on_created=created.append)
            except IdempotencyKeyReused:  # a changed copy of the row, imported meanwhile
                report.skipped_existing += 1
                continue
            if created:
                report.created += 1
                report.cases.append(case)
            else:  # another import of the same file got there first
                report.skipped_existing += 1


def _row_write(row: ImportRow, *, by: User, on_created: Callable[[Case], None]) -> Case:
    # For a denunciation, case_submit seals the identity apart (Luật Tố cáo Art. 47).
    return case_submit(
        kind=row.kind,
        title=row.title,
        content=row.content,
        unit=row.unit,
        topic=row.topic,
        anonymous=not row.identity.name,
        name=row.identity.name,
        phone=row.identity.phone,
        email=row.identity.email,
        address=row.identity.address,
        people_count=row.people_count,
        channel=Channel.IMPORT,
        idempotency_key=row.idempotency_key,
        received_at=datetime.combine(row.received, RECEIVED_HOUR, timezone.get_default_timezone()),
        by=by,
        on_created=on_created,
    )
