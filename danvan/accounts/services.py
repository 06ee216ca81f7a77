"""Writes for accounts: a sign-up confirmed by codes, a password reset by a code.

Neither says whether an account exists. A sign-up whose phone or address already has an
account goes exactly as a fresh one (the same pages, the same writes, one message to each
address): only the message differs, a notice to the owner instead of a code, so the
account cannot be completed and its owner learns that someone tried. A password reset for
an unknown phone or address queues a message that is never sent.

The account is created only once every code of the sign-up is entered (not as an inactive
account that a code activates): an unconfirmed sign-up then never holds someone else's phone
number or address, never shows in the admin, exports or statistics, and leaves nothing
behind when abandoned (`PendingSignup` rows are deleted an hour after the last code).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.audit.services import record

from .contact import (
    contact_code_check,
    contact_code_queue,
    contact_codes_use,
    latest,
    purge_old,
    throttle_check,
)
from .models import ContactCode, PendingSignup, User
from .twofactor import needs_two_factor

SIGNUP_LIFETIME = timedelta(hours=1)
Message, Purpose = ContactCode.Message, ContactCode.Purpose


@dataclass(frozen=True)
class SignupDetails:
    full_name: str
    email: str | None
    phone: str | None
    password: str


class CodesRefused(Exception):
    """Codes that did not pass: {channel: message for the person}."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(problems)
        self.problems = problems


class SignupFailed(Exception):
    pass


def contacts_of(pending: PendingSignup) -> list[tuple[str, str]]:
    """(channel, address) to confirm, the phone first; channels are the User field names."""
    pairs = [(ContactCode.Channel.PHONE.value, pending.phone), (ContactCode.Channel.EMAIL.value,
             pending.email)]  # fmt: skip
    return [(channel, address) for channel, address in pairs if address]


def signup_start(*, details: SignupDetails, client_address: str) -> PendingSignup:
    """Hold the sign-up and send a code to its phone and address (Throttled when too many)."""
    addresses = [a for a in (details.phone, details.email) if a]
    throttle_check(destinations=addresses, client_address=client_address)
    with transaction.atomic():
        _purge()
        pending = PendingSignup.objects.create(
            full_name=details.full_name.strip(), email=details.email or "",
            phone=details.phone or "",
            password=make_password(details.password),
            expires_at=timezone.now() + SIGNUP_LIFETIME,
        )  # fmt: skip
        _queue_signup_codes(pending, client_address)
    return pending


def signup_resend(*, pending: PendingSignup, client_address: str) -> None:
    """New codes in place of the earlier ones (Throttled when too many)."""
    throttle_check(
        destinations=[a for _c, a in contacts_of(pending)], client_address=client_address
    )
    with transaction.atomic():
        PendingSignup.objects.filter(pk=pending.pk).update(
            expires_at=timezone.now() + SIGNUP_LIFETIME
        )
        _queue_signup_codes(pending, client_address)


def _queue_signup_codes(pending: PendingSignup, client_address: str) -> None:
    for channel, address in contacts_of(pending):
        taken = User.objects.filter(**{channel: address}).exists()
        contact_code_queue(
            purpose=Purpose.SIGNUP, channel=channel, destination=address,
            message=Message.TAKEN if taken else Message.CODE, client_address=client_address,
            signup=pending,
        )  # fmt: skip


def signup_confirm(*, pending: PendingSignup, codes: dict[str, str]) -> User:
    """The account, once every latest code of the sign-up is right (CodesRefused otherwise;
    SignupFailed when the phone or address has an account by now)."""
    rows: list[ContactCode] = []
    problems: dict[str, str] = {}
    for channel, _address in contacts_of(pending):
        row = latest(signup=pending, channel=channel)
        problem = contact_code_check(row, codes.get(channel, "")) if row else _expired()
        if problem:
            problems[channel] = problem
        elif row is not None:
            rows.append(row)
    if problems:
        raise CodesRefused(problems)
    return _signup_create(pending, rows)


def _signup_create(pending: PendingSignup, rows: list[ContactCode]) -> User:
    user = User(
        full_name=pending.full_name, email=pending.email or None, phone=pending.phone or None,
        password=pending.password,
    )  # fmt: skip
    try:
        with transaction.atomic():
            if not contact_codes_use(rows):
                raise SignupFailed
            user.full_clean(exclude=["password"])  # the phone or address taken meanwhile
            user.save()
            pending.delete()
    except (ValidationError, IntegrityError) as error:
        raise SignupFailed from error
    return user


def _expired() -> str:
    return _("This code has expired. Ask for a new code.")


def password_reset_start(*, channel: str, address: str, client_address: str) -> ContactCode:
    """A code to `address` if an active account uses it; the same row and task if not."""
    throttle_check(destinations=[address], client_address=client_address)
    user = User.objects.filter(**{channel: address}, is_active=True).first()
    with transaction.atomic():
        _purge()
        return contact_code_queue(
            purpose=Purpose.RESET, channel=channel, destination=address,
            message=Message.CODE if user else Message.NONE, client_address=client_address,
            user=user,
        )  # fmt: skip


def password_reset_check(*, row: ContactCode, code: str) -> str:
    """'' when the code is right (it is then spent), else the message for the person."""
    problem = contact_code_check(row, code)
    if not problem and (row.user_id is None or not contact_codes_use([row])):
        problem = _expired()
    return problem


def password_reset_finish(*, user: User, password: str) -> None:
    """The new password; every session of the account ends (their password hash differs)."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        if needs_two_factor(user):
            record("account.password_reset", obj=user, actor=user,
                   note="by a code sent to the account's phone or e-mail")  # fmt: skip


def _purge() -> None:
    """Abandoned sign-ups and old code rows name people: they are kept no longer than needed."""
    PendingSignup.objects.filter(expires_at__lt=timezone.now()).delete()
    purge_old()
