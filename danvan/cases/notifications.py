"""Telling people what happened: queued with the change, sent by a task after commit.

Nothing is sent from inside a request. Each notification is a row with a unique key, created
in the same transaction as the event it reports, so a rolled-back change sends nothing and a
repeated sweep reminds once. The `deliver` task claims a row before sending; a row stuck in
`sending` (a worker killed mid-send) is queued again by the sweep.
"""

import logging
from datetime import date, datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from danvan.accounts.models import User
from danvan.core import outbox
from danvan.core.sms import send_sms

from .models import Case, CaseEvent, Notification
from .workflow import Action, Kind

logger = logging.getLogger("danvan.notifications")

# Steps the citizen is told about (LTC Art. 9 and LKN Art. 12 require most of them).
NOTIFIED = frozenset(
    {Action.ACCEPT, Action.DECLINE, Action.FORWARD, Action.GUIDE, Action.REQUEST_INFO,
     Action.EXTEND, Action.RESOLVE, Action.LINK, Action.MERGE}
)  # fmt: skip
MAX_ATTEMPTS, STUCK_AFTER = outbox.MAX_ATTEMPTS, outbox.STUCK_AFTER


def notify_submitted(case: Case) -> None:
    queue(case, key=f"submitted:{case.pk}", purpose="submitted")


def notify_citizen(case: Case, event: CaseEvent) -> None:
    queue(case, key=f"{event.action}:{event.pk}", purpose=event.action)


def notify_reminder(case: Case, user: User, due: date, days: int) -> bool:
    """A reminder to an officer `days` before `due`; False when it was already queued."""
    key = f"remind:{case.pk}:{due.isoformat()}:{days}:{user.pk}"
    return queue(case, key=key, purpose="reminder", to_user=user)


def queue(case: Case, *, key: str, purpose: str, to_user: User | None = None) -> bool:
    try:
        with transaction.atomic():
            row = Notification.objects.create(case=case, key=key, purpose=purpose, to_user=to_user)
    except IntegrityError:
        return False
    transaction.on_commit(lambda: deliver.enqueue(row.pk))
    return True


def requeue_stuck(now: datetime | None = None) -> int:
    """Queue again what a dead worker left half-sent, or what failed and may be retried."""
    return outbox.requeue_stuck(Notification, deliver.enqueue, now)


@task
def deliver(notification_id: int) -> str:
    if not outbox.claim(Notification, notification_id):
        return "already handled"
    row = Notification.objects.select_related("case", "to_user").get(pk=notification_id)
    try:
        state = _send(row)
    except Exception as error:
        _finish(row, Notification.State.FAILED, error=repr(error)[:300])
        raise
    _finish(row, state)
    return str(state)


def _finish(row: Notification, state: str, error: str = "") -> None:
    Notification.objects.filter(pk=row.pk).update(
        state=state, error=error, sent_at=timezone.now() if state == "sent" else None
    )


def _send(row: Notification) -> str:
    email, phone = _address(row)
    if not email and not phone:
        return Notification.State.SKIPPED
    with translation.override(settings.LANGUAGE_CODE):
        subject, text = _message(row)
    if email:
        send_mail(subject, text, None, [email])
    if phone:
        send_sms(phone, f"{subject}. {_link(row.case)}")
    return Notification.State.SENT


def _address(row: Notification) -> tuple[str, str]:
    if row.to_user is not None:
        return row.to_user.email or "", ""
    case = row.case
    if case.kind == Kind.DENUNCIATION:
        from .identity import contact_for_notice

        contact = contact_for_notice(case)
        return contact["email"], contact["phone"]
    citizen = case.citizen
    email = case.submitter_email or (citizen.email if citizen else "") or ""
    phone = case.submitter_phone or (citizen.phone if citizen else "") or ""
    return email, phone


def _link(case: Case) -> str:
    return f"{settings.DANVAN_SITE_URL}/tra-cuu/{case.tracking_code}/"


def _message(row: Notification) -> tuple[str, str]:
    case = row.case
    if row.purpose == "reminder":
        subject = _("Letter %(code)s is due on %(due)s") % {
            "code": case.tracking_code,
            "due": case.due_on.strftime("%d/%m/%Y") if case.due_on else "",
        }
        return subject, f"{subject}\n{settings.DANVAN_SITE_URL}{case.get_absolute_url()}"
    subject = _SUBJECTS.get(row.purpose, _SUBJECTS["submitted"])() % {"code": case.tracking_code}
    # The body never repeats the content: an e-mail may be read by someone else.
    body = _("You can follow your letter at %(link)s") % {"link": _link(case)}
    return subject, f"{subject}\n\n{body}"


_SUBJECTS = {
    "submitted": lambda: _("Your letter was received; tracking code %(code)s"),
    Action.ACCEPT: lambda: _("Your letter %(code)s was accepted for handling"),
    Action.DECLINE: lambda: _("Your letter %(code)s was not accepted; see the reason"),
    Action.FORWARD: lambda: _("Your letter %(code)s was forwarded to the competent agency"),
    Action.GUIDE: lambda: _("Guidance on where to send your letter %(code)s"),
    Action.REQUEST_INFO: lambda: _("More information is needed for your letter %(code)s"),
    Action.EXTEND: lambda: _("The deadline of your letter %(code)s was extended"),
    Action.RESOLVE: lambda: _("Your letter %(code)s has been answered"),
    Action.LINK: lambda: _(
        "Your letter %(code)s is handled together with another on the same matter"
    ),
    Action.MERGE: lambda: _(
        "Your letter %(code)s was joined to an earlier letter on the same matter"
    ),
}
