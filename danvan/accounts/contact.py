"""Six-digit codes sent by SMS or e-mail, to prove that a person holds a phone or address.

Sign-up and password reset use them (`services`). Each message is a `ContactCode` row made
in the request's transaction; after commit a task makes the code, stores its keyed digest
and sends it through the same gateways as notifications (`danvan.core.sms`, Django's
mailers), so a code is never readable in the database, the task queue or the request. The
row's `message` decides what goes out: the code, a notice to the owner of an account that
already uses the address, or nothing; the request does the same work for all three, so
neither its answer nor its timing tells whether an account exists.

Throttles (`throttle_check`) count rows, whatever their message: per address an hour, per
client address an hour, and a pause between two codes to one address. Codes expire after
DANVAN_CONTACT_CODE_MINUTES and allow DANVAN_CONTACT_CODE_ATTEMPTS tries.
"""

import logging
import math
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danvan.core.clients import household
from danvan.core.delivery import send_email
from danvan.core.sms import send_sms

from . import onetime
from .models import ContactCode, PendingSignup, User

logger = logging.getLogger("danvan.accounts")
HOUR = timedelta(hours=1)
KEEP = timedelta(days=1)  # rows are deleted after this (they only feed the throttles)
Message, Purpose, State = ContactCode.Message, ContactCode.Purpose, ContactCode.State
Channel = ContactCode.Channel


class Throttled(Exception):
    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = max(1, seconds)

    def message(self) -> str:
        if self.seconds <= 120:
            return ngettext(
                "Wait %(seconds)d second before asking for another code.",
                "Wait %(seconds)d seconds before asking for another code.",
                self.seconds,
            ) % {"seconds": self.seconds}
        minutes = math.ceil(self.seconds / 60)
        return ngettext(
            "Too many codes were asked for. Try again in %(minutes)d minute.",
            "Too many codes were asked for. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}


def throttle_check(*, destinations: list[str], client_address: str) -> None:
    """Raise Throttled when one more message to these addresses, from this client, is too
    many. It counts every row, so it answers the same whether an account exists or not."""
    now = timezone.now()
    waits = [_client_wait(client_address, now)]
    waits += [_destination_wait(destination, now) for destination in destinations]
    if max(waits) > 0:
        raise Throttled(max(waits))


def _destination_wait(destination: str, now: datetime) -> int:
    recent = ContactCode.objects.filter(destination=destination, created_at__gt=now - HOUR)
    times = sorted(recent.values_list("created_at", flat=True))
    if not times:
        return 0
    pause = timedelta(seconds=settings.DANVAN_CONTACT_CODE_RESEND_SECONDS)
    wait = times[-1] + pause - now
    limit = settings.DANVAN_CONTACT_CODES_PER_HOUR
    if len(times) >= limit:
        wait = max(wait, times[-limit] + HOUR - now)
    return math.ceil(wait.total_seconds())


def _client_wait(client_address: str, now: datetime) -> int:
    if not client_address:
        return 0
    recent = ContactCode.objects.filter(
        client_address=household(client_address)[:45], created_at__gt=now - HOUR
    )
    limit = settings.DANVAN_CONTACT_CODES_PER_CLIENT_HOUR
    times = sorted(recent.values_list("created_at", flat=True))
    if len(times) < limit:
        return 0
    return math.ceil((times[-limit] + HOUR - now).total_seconds())


def contact_code_queue(
    *,
    purpose: str,
    channel: str,
    destination: str,
    message: str,
    client_address: str,
    signup: PendingSignup | None = None,
    user: User | None = None,
) -> ContactCode:
    """One message to `destination`, sent after commit."""
    now = timezone.now()
    row = ContactCode.objects.create(
        purpose=purpose, channel=channel, destination=destination, message=message,
        signup=signup, user=user, client_address=household(client_address)[:45],
        language=translation.get_language() or settings.LANGUAGE_CODE, created_at=now,
        expires_at=now + timedelta(minutes=settings.DANVAN_CONTACT_CODE_MINUTES),
    )  # fmt: skip
    # robust: a task queue that is away leaves the row unsent (the person asks for a new
    # code) and the page answers as usual, whichever message the row holds.
    transaction.on_commit(lambda: deliver_contact_code.enqueue(row.pk), robust=True)
    return row


def purge_old() -> int:
    """Delete rows past the throttles' window (they name a phone or address)."""
    deleted, _detail = ContactCode.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    return deleted


@task
def deliver_contact_code(code_id: int) -> str:
    """Make the code, keep its digest, send the row's message (once: the row is claimed)."""
    if not ContactCode.objects.filter(pk=code_id, state=State.QUEUED).update(state=State.SENDING):
        return "already handled"
    row = ContactCode.objects.get(pk=code_id)
    code = onetime.six_digits()
    ContactCode.objects.filter(pk=row.pk).update(code_hash=onetime.keyed_digest(row.pk, code))
    state = State.SKIPPED
    try:
        if row.message != Message.NONE:
            _send(row, code)
            state = State.SENT
    except Exception:
        ContactCode.objects.filter(pk=row.pk).update(state=State.FAILED)
        logger.exception("contact code %s not sent", row.pk)  # no address, no code
        raise
    ContactCode.objects.filter(pk=row.pk).update(state=state)
    return str(state)


def _send(row: ContactCode, code: str) -> None:
    with translation.override(row.language or settings.LANGUAGE_CODE):
        subject, text = _subject(row), _text(row, code)
    if row.channel == Channel.PHONE:
        send_sms(row.destination, text, reference=f"contact-code:{row.pk}")
    else:
        send_email(subject, text, row.destination)


def _subject(row: ContactCode) -> str:
    site = settings.DANVAN_SITE_NAME
    if row.message == Message.TAKEN:
        return _("%(site)s: someone tried to create an account") % {"site": site}
    if row.purpose == Purpose.RESET:
        return _("%(site)s: your password reset code") % {"site": site}
    return _("%(site)s: your sign-up code") % {"site": site}


def _text(row: ContactCode, code: str) -> str:
    values = {
        "site": settings.DANVAN_SITE_NAME,
        "code": code,
        "minutes": settings.DANVAN_CONTACT_CODE_MINUTES,
        "link": f"{settings.DANVAN_SITE_URL}/accounts/password-reset/",
    }
    kind = row.channel if row.message == Message.TAKEN else row.purpose
    return _TEXTS[(row.message, kind)]() % values


_TEXTS: dict[tuple[str, str], Callable[[], str]] = {
    (Message.TAKEN, Channel.PHONE): lambda: _(
        "%(site)s: someone tried to create an account with this phone number, which already"
        " has one. If it was you, sign in or use “Forgot password”: %(link)s."
        " If not, you need do nothing."
    ),
    (Message.TAKEN, Channel.EMAIL): lambda: _(
        "%(site)s: someone tried to create an account with this email address, which"
        " already has one. If it was you, sign in or use “Forgot password”:"
        " %(link)s. If not, you need do nothing."
    ),
    (Message.CODE, Purpose.RESET): lambda: _(
        "%(site)s: your password reset code is %(code)s, valid for %(minutes)d minutes."
        " If you did not ask for it, ignore this message."
    ),
    (Message.CODE, Purpose.SIGNUP): lambda: _(
        "%(site)s: your sign-up code is %(code)s, valid for %(minutes)d minutes."
        " Never give it to anyone."
    ),
}


def latest(**filters: object) -> ContactCode | None:
    return ContactCode.objects.filter(**filters).order_by("-created_at", "-pk").first()


def contact_code_check(row: ContactCode, code: str) -> str:
    """'' when `code` is the row's (not yet marked used), else the message for the person;
    a wrong code counts one try."""
    with transaction.atomic():
        locked = ContactCode.objects.select_for_update().get(pk=row.pk)
        problem = _check_problem(locked)
        if not problem and not onetime.same(
            locked.code_hash, onetime.keyed_digest(locked.pk, code)
        ):
            ContactCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
            problem = _("This code is wrong. Check the message and enter its 6 digits.")
    return problem


def _check_problem(row: ContactCode) -> str:
    if row.used_at is not None or row.expires_at <= timezone.now():
        return _("This code has expired. Ask for a new code.")
    if row.attempts >= settings.DANVAN_CONTACT_CODE_ATTEMPTS:
        return _("Too many wrong codes. Ask for a new code.")
    return ""


def contact_codes_use(rows: list[ContactCode]) -> bool:
    """Mark the checked rows used; False when another request used one first."""
    now = timezone.now()
    used = ContactCode.objects.filter(pk__in=[r.pk for r in rows], used_at=None).update(used_at=now)
    return used == len(rows)
