"""Reminders of a round's deadlines, an outbox as the commitments' reminders are.

`rounds_remind` queues one `Reminder` per official, round, deadline and lead time, counted
in working days (DANVAN_EVALUATION_REMINDER_DAYS, default 5, 1 and 0 working days before);
the key is unique, so running it twice (or on two machines) reminds once:

- before the self-assessment deadline, the head and the named officer of every unit that
  has not submitted yet;
- before the review deadline, the supervisors of the round's province, while it is under way.

A task sends each row after commit; what a dead worker left or what failed is queued again
by the next run (`requeue_stuck`), as everywhere else (danvan.core.outbox).
"""

from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from danvan.accounts.models import Membership
from danvan.accounts.queries import agency_members
from danvan.accounts.roles import Role
from danvan.core import outbox
from danvan.core.delivery import send_email
from danvan.rulebook.store import current_calendar

from .models import Assessment, AssessmentStatus, Reminder, Round, RoundStatus

DEFAULT_DAYS = (5, 1, 0)
SELF, REVIEW = "self_assessment", "review"


def reminder_days() -> list[int]:
    return sorted(set(getattr(settings, "DANVAN_EVALUATION_REMINDER_DAYS", DEFAULT_DAYS)))


def _lead(today: date, due: date) -> int | None:
    """Working days from today to the deadline, when it is one of the reminder lead times."""
    calendar = current_calendar()
    for days in reminder_days():
        if (calendar.add_working_days(today, days) if days else today) == due:
            return days
    return None


def rounds_remind(today: date | None = None) -> int:
    """Queue the reminders due today; returns how many were new."""
    today = today or timezone.localdate()
    queued = 0
    for round_ in Round.objects.filter(
        status__in=[RoundStatus.SELF_ASSESSMENT, RoundStatus.REVIEW]
    ):
        if (
            round_.status == RoundStatus.SELF_ASSESSMENT
            and (lead := _lead(today, round_.self_due)) is not None
        ):
            for user_id in _unit_people(round_):
                queued += _queue(round_, SELF, round_.self_due, lead, user_id)
        if (lead := _lead(today, round_.review_due)) is not None:
            for user_id in _supervisors(round_):
                queued += _queue(round_, REVIEW, round_.review_due, lead, user_id)
    return queued


def _unit_people(round_: Round) -> set[int]:
    waiting = Assessment.objects.filter(round=round_, status=AssessmentStatus.DRAFT)
    people: set[int] = set()
    for assessment in waiting.only("agency_id", "assessor_id"):
        heads = agency_members(agency_id=assessment.agency_id, roles=[Role.HEAD.value])
        people.update(heads.values_list("pk", flat=True))
        if assessment.assessor_id:
            people.add(assessment.assessor_id)
    return people


def _supervisors(round_: Round) -> set[int]:
    today = timezone.localdate()
    memberships = Membership.objects.filter(
        role=Membership.Role.SUPERVISOR, ended_on__isnull=True, started_on__lte=today,
        user__is_active=True,
    ).filter(agency__home_unit_id=round_.province_id)  # fmt: skip
    return set(memberships.values_list("user_id", flat=True))


def _queue(round_: Round, purpose: str, due: date, lead: int, user_id: int) -> int:
    key = f"evaluation:{round_.pk}:{purpose}:{due.isoformat()}:{lead}:{user_id}"
    try:
        with transaction.atomic():
            row = Reminder.objects.create(round=round_, key=key, purpose=purpose, due_on=due,
                                          to_user_id=user_id)  # fmt: skip
    except IntegrityError:
        return 0
    transaction.on_commit(lambda: deliver_reminder.enqueue(row.pk))
    return 1


def requeue_stuck(now: datetime | None = None) -> int:
    return outbox.requeue_stuck(Reminder, deliver_reminder.enqueue, now)


@task
def deliver_reminder(reminder_id: int) -> str:
    if not outbox.claim(Reminder, reminder_id):
        return "already handled"
    row = Reminder.objects.select_related("round", "to_user").get(pk=reminder_id)
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
        what = _("self-assessment") if row.purpose == SELF else _("review")
        subject = _("Evaluation %(year)s: the %(what)s is due on %(due)s") % {
            "year": row.round.year, "what": what, "due": row.due_on.strftime("%d/%m/%Y")}  # fmt: skip
    link = f"{settings.DANVAN_SITE_URL}{reverse('evaluation:index')}"
    send_email(subject, f"{subject}\n{link}", row.to_user.email)
    return Reminder.State.SENT
