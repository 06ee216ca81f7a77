"""Reminders to the owners of commitments before the due date: an outbox, as in cases.

`commitments_remind` queues one `Reminder` row per official, commitment, due date and lead
time; the key is unique, so running it twice (or on two machines) reminds once. A task sends
each row after commit; a row a dead worker left half-sent, or that failed, is queued
again by the next run (`requeue_stuck`), up to `outbox.MAX_ATTEMPTS`. Lead times come from `DANVAN_COMMITMENT_REMINDER_DAYS` (days before
the due date; 0 is the due date itself).
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from danvan.accounts.queries import agency_members
from danvan.core import outbox
from danvan.core.delivery import send_email

from .access import OWNER_REMINDED_ROLES
from .models import Commitment, CommitmentStatus, Reminder

DEFAULT_DAYS = (7, 1, 0)


def reminder_days() -> list[int]:
    return sorted(set(getattr(settings, "DANVAN_COMMITMENT_REMINDER_DAYS", DEFAULT_DAYS)))


def commitments_remind(today: date | None = None) -> int:
    """Queue the reminders due today; returns how many were new."""
    today = today or timezone.localdate()
    days = reminder_days()
    due_days = [today + timedelta(days=d) for d in days]
    commitments = Commitment.objects.filter(due_on__in=due_days).exclude(
        status=CommitmentStatus.DONE
    )
    roles = [role.value for role in OWNER_REMINDED_ROLES]
    owners: dict[int, list[int]] = {}
    queued = 0
    for commitment in commitments:
        if commitment.owner_id not in owners:
            members = agency_members(agency_id=commitment.owner_id, roles=roles)
            owners[commitment.owner_id] = list(members.values_list("pk", flat=True).distinct())
        lead = (commitment.due_on - today).days
        for user_id in owners[commitment.owner_id]:
            queued += _queue(commitment, user_id, lead)
    return queued


def _queue(commitment: Commitment, user_id: int, lead: int) -> int:
    key = f"commitment:{commitment.pk}:{commitment.due_on.isoformat()}:{lead}:{user_id}"
    try:
        with transaction.atomic():
            row = Reminder.objects.create(
                commitment=commitment, key=key, to_user_id=user_id, days_before=lead
            )
    except IntegrityError:
        return 0
    transaction.on_commit(lambda: deliver_reminder.enqueue(row.pk))
    return 1


def requeue_stuck(now: datetime | None = None) -> int:
    """Queue again what a dead worker left half-sent, or what failed and may be retried."""
    return outbox.requeue_stuck(Reminder, deliver_reminder.enqueue, now)


@task
def deliver_reminder(reminder_id: int) -> str:
    if not outbox.claim(Reminder, reminder_id):
        return "already handled"
    row = Reminder.objects.select_related("commitment", "to_user").get(pk=reminder_id)
    try:
        state = _send(row)
    except Exception as error:
        Reminder.objects.filter(pk=row.pk).update(
            state=Reminder.State.FAILED, error=repr(error)[:300]
        )
        raise
    Reminder.objects.filter(pk=row.pk).update(
        state=state, error="", sent_at=timezone.now() if state == Reminder.State.SENT else None
    )
    return str(state)


def _send(row: Reminder) -> str:
    if not row.to_user.email:
        return Reminder.State.SKIPPED
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Commitment due on %(due)s: %(text)s") % {
            "due": row.commitment.due_on.strftime("%d/%m/%Y"),
            "text": row.commitment.text[:80],
        }
    link = f"{settings.DANVAN_SITE_URL}/staff/commitments/{row.commitment_id}/"
    send_email(subject, f"{subject}\n{link}", row.to_user.email)
    return Reminder.State.SENT
