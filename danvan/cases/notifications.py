"""Telling people what happened: queued with the change, sent in batches after commit.

Nothing is sent from inside a request. Each notification is a row with a unique key, created
in the same transaction as the event it reports, so a rolled-back change sends nothing and a
repeated sweep reminds once. After commit, `queue` kicks the `deliver_queued` task (see
`danvan.core.outbox`): one job for a burst of commits rather than one per message, since a job
costs far more than an SMS (RQ bookkeeping, a forked process, a database connection).

`deliver_queued` claims up to BATCH of the oldest queued rows at a time and sends them on
DANVAN_NOTIFY_CONCURRENCY threads, because the gateways' latency, not our CPU, bounds the rate.
Messages and addresses are built in the task's own thread (Django's database connections are
per thread): the pool threads only call the gateways. Each row is marked sent, skipped or
failed as soon as its send returns, so a worker killed mid-batch leaves few rows sent but
still marked `sending`. Those, rows claimed but not yet sent, and failed rows are queued
again by the sweep (`requeue_stuck`, then one kick), up to outbox.MAX_ATTEMPTS sends.
"""

import logging
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from danvan.accounts.models import User
from danvan.core import outbox
from danvan.core.delivery import DeliveryFailed, send_email
from danvan.core.sms import send_sms
from danvan.language import pii

from .identity import notice_address
from .models import Case, CaseEvent, Notification
from .workflow import Action

logger = logging.getLogger("danvan.notifications")

# Steps the citizen is told about (LTC Art. 9 and LKN Art. 12 require most of them): the
# services of these steps queue the notice themselves (notify_citizen), with the event.
NOTIFIED = frozenset(
    {Action.ACCEPT, Action.DECLINE, Action.FORWARD, Action.GUIDE, Action.REQUEST_INFO,
     Action.EXTEND, Action.RESOLVE, Action.LINK, Action.MERGE}
)  # fmt: skip
MAX_ATTEMPTS, STUCK_AFTER = outbox.MAX_ATTEMPTS, outbox.STUCK_AFTER
KICK = "notifications"
BATCH = 200
# A run hands over to a fresh job after this long: under a steady stream it would otherwise
# never run out of rows and be stopped mid-batch by the task timeout.
RUN_SECONDS = 300
LINGER_SECONDS, LINGER_POLL = 2.0, 0.1
State = Notification.State


@dataclass(frozen=True)
class Outgoing:
    """A message ready for the gateways: everything the pool thread needs, no model."""

    email: str
    phone: str
    subject: str
    text: str
    sms: str
    reference: str  # the row's id: the SMS gateway may drop a resend by it


def notify_submitted(case: Case) -> None:
    # The case is new in this transaction: its key cannot exist yet, so no savepoint to
    # catch a duplicate (queue's) on every letter filed.
    Notification.objects.create(case=case, key=f"submitted:{case.pk}", purpose="submitted")
    transaction.on_commit(kick)


def notify_citizen(case: Case, event: CaseEvent) -> None:
    queue(case, key=f"{event.action}:{event.pk}", purpose=event.action)


def notify_reminder(case: Case, user: User, due: date, days: int) -> bool:
    """A reminder to an officer `days` before `due`; False when it was already queued."""
    key = f"remind:{case.pk}:{due.isoformat()}:{days}:{user.pk}"
    return queue(case, key=key, purpose="reminder", to_user=user)


def queue(case: Case, *, key: str, purpose: str, to_user: User | None = None) -> bool:
    try:
        with transaction.atomic():
            Notification.objects.create(case=case, key=key, purpose=purpose, to_user=to_user)
    except IntegrityError:
        return False
    transaction.on_commit(kick)
    return True


def kick() -> None:
    """Have `deliver_queued` run soon; never raises (it runs after a commit)."""
    outbox.kick(deliver_queued, KICK)


def requeue_stuck(now: datetime | None = None) -> int:
    """Queue again what a dead worker left half-sent, or what failed and may be retried."""
    requeued = outbox.requeue_stuck(Notification, now=now)
    if requeued:
        transaction.on_commit(kick)
    return requeued


@task
def deliver_queued() -> str:
    """Send queued notifications, a batch at a time, until none are left."""
    counts: Counter[str] = Counter()
    deadline = time.monotonic() + RUN_SECONDS
    threads = max(1, settings.DANVAN_NOTIFY_CONCURRENCY)
    with ThreadPoolExecutor(threads, thread_name_prefix="notify") as pool:
        while ids := _next_batch():
            counts.update(_send_batch(pool, ids))
            if time.monotonic() > deadline:
                outbox.unkick(KICK)
                kick()
                break
    summary = " ".join(
        f"{state}={counts[state]}" for state in (State.SENT, State.FAILED, State.SKIPPED)
    )
    logger.info("notifications delivered: %s", summary)
    return summary


def _next_batch() -> list[int]:
    # With shared kicks a run waits a little for more rows: under a steady stream one run
    # goes on, instead of a new job (a fork and a database connection) every few letters.
    linger = time.monotonic() + (LINGER_SECONDS if outbox.kicks_shared() else 0)
    while True:
        outbox.hold_kick(KICK)  # commits meanwhile count on this run, not on a new job
        if ids := outbox.claim_batch(Notification, BATCH):
            return ids
        if time.monotonic() >= linger:
            break
        time.sleep(LINGER_POLL)
    # Let the next commit kick again, then look once more: a row committed while the key
    # still existed had its kick swallowed and counts on this run.
    outbox.unkick(KICK)
    return outbox.claim_batch(Notification, BATCH)


def _send_batch(pool: ThreadPoolExecutor, ids: list[int]) -> Iterator[str]:
    """Send the claimed rows `ids` on `pool`; yields each row's final state as it is marked."""
    rows = Notification.objects.select_related("case", "case__citizen", "to_user").filter(
        pk__in=ids
    )
    sending: dict[Future[None], int] = {}
    for row in rows:
        try:
            outgoing = prepare_outgoing(row)
        except Exception as error:
            yield _finish(row.pk, State.FAILED, error)
            continue
        if outgoing is None:
            yield _finish(row.pk, State.SKIPPED)
        else:
            sending[pool.submit(_transmit, outgoing)] = row.pk
    pending = set(sending)
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        sent = []
        for future in done:
            if (failure := future.exception()) is not None:
                yield _finish(sending[future], State.FAILED, failure)
            else:
                sent.append(sending[future])
        yield from mark_sent(sent)


def mark_sent(ids: list[int]) -> Iterator[str]:
    """Rows whose sends returned together, marked by one UPDATE at once: a worker killed
    meanwhile leaves only the messages still at the gateway sent but unmarked."""
    if ids:
        Notification.objects.filter(pk__in=ids).update(
            state=State.SENT, error="", sent_at=timezone.now()
        )
    yield from [str(State.SENT)] * len(ids)


@task
def deliver(notification_id: int) -> str:
    """One row at once: jobs queued by an older release (a rolling upgrade) still work."""
    if not outbox.claim(Notification, notification_id):
        return "already handled"
    row = Notification.objects.select_related("case", "to_user").get(pk=notification_id)
    try:
        outgoing = prepare_outgoing(row)
        if outgoing is not None:
            _transmit(outgoing)
    except Exception as error:
        _finish(row.pk, State.FAILED, error)
        # The task's result keeps this error and its traceback: the masked text only.
        raise DeliveryFailed(_stored(error)) from None
    return _finish(row.pk, State.SKIPPED if outgoing is None else State.SENT)


def _finish(pk: int, state: str, error: BaseException | None = None) -> str:
    Notification.objects.filter(pk=pk).update(
        state=state,
        error=_stored(error) if error else "",
        sent_at=timezone.now() if state == State.SENT else None,
    )
    return str(state)


def _stored(error: BaseException) -> str:
    """A gateway's error may name the recipient ("550 binh@… unknown"): the gateways raise
    without it (`core.delivery`), and the stored text is masked besides."""
    return pii.mask(repr(error))[:300]


def prepare_outgoing(row: Notification) -> Outgoing | None:
    """The message for `row`, None when there is nowhere to send it (reads the database)."""
    email, phone = _address(row)
    if not email and not phone:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        subject, text = _message(row)
    sms = f"{subject}. {_link(row.case)}"
    return Outgoing(email, phone, subject, text, sms=sms, reference=str(row.pk))


def _transmit(message: Outgoing) -> None:
    """Runs in a pool thread: the gateways only, never the database."""
    if message.email:
        send_email(message.subject, message.text, message.email)
    if message.phone:
        send_sms(message.phone, message.sms, message.reference)


def _address(row: Notification) -> tuple[str, str]:
    if row.to_user is not None:
        return row.to_user.email or "", ""
    # A sealed letter's contact is read through the gate (logged as the platform's read),
    # whatever the letter's kind now: a denouncer keeps hearing after a reclassification.
    return notice_address(row.case)


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
