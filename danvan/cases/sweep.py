"""The deadline sweep: mark overdue cases and remind officers, safe to run anywhere, any time.
It also deletes the files kept for letter forms given up on (cases.held).

Two sweeps may run at once (a cron on each machine, a retry): marking uses a conditional
UPDATE, so only one writes the event; reminders have unique keys, so each goes out once.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from danvan.accounts.models import User
from danvan.accounts.queries import agency_members
from danvan.accounts.roles import Role

from .held import files_expire
from .models import Case
from .notifications import notify_reminder, requeue_stuck
from .services import case_mark_overdue
from .workflow import OPEN, Status

# While the citizen is asked for information the clock stops (pauses), so no overdue then.
RUNNING = sorted(OPEN - {Status.INFO_REQUESTED})


@dataclass(frozen=True)
class SweepReport:
    overdue: int
    reminders: int
    requeued: int
    held_deleted: int = 0


def sweep(today: date | None = None) -> SweepReport:
    today = today or timezone.localdate()
    return SweepReport(
        overdue=mark_overdue(today), reminders=send_reminders(today), requeued=requeue_stuck(),
        held_deleted=files_expire(),
    )  # fmt: skip


def mark_overdue(today: date) -> int:
    late = Case.objects.filter(
        overdue_since__isnull=True, due_on__lt=today, status__in=RUNNING
    ).only("pk", "due_on")
    marked = 0
    # Batches, not one open cursor: a marked row leaves the filter, so the loop ends.
    while batch := list(late[:1000]):
        marked += sum(case_mark_overdue(case=case) for case in batch)
    return marked


def send_reminders(today: date) -> int:
    sent = 0
    for days in sorted(set(settings.DANVAN_REMINDER_DAYS), reverse=True):
        due = today + timedelta(days=days)
        cases = Case.objects.filter(due_on=due, status__in=RUNNING).select_related("assignee")
        for case in list(cases):
            for user in _reminded(case):
                with transaction.atomic():
                    sent += notify_reminder(case, user, due, days)
    return sent


def _reminded(case: Case) -> list[User]:
    """The assigned officer, or, while nobody is assigned, the agency's reception officers."""
    if case.assignee is not None:
        return [case.assignee]
    roles = [Role.RECEPTION_OFFICER, Role.HEAD]
    return list(agency_members(agency_id=case.agency_id, roles=roles))
