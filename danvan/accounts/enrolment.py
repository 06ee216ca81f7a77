"""How an official gets two-step verification: an enrolment code, then recovery codes.

A password alone never sets up a device (a stolen password would be a full takeover). An
administrator issues a one-time enrolment code in /admin/ (never for their own account:
another administrator must) or, for the first administrator of a new installation, an
operator runs `manage.py issue_enrolment_code`. The code is shown once, stored as a digest,
expires after DANVAN_ENROLMENT_CODE_HOURS, works once, and is revoked by a newer code, by an
administrator, or after DANVAN_ENROLMENT_CODE_ATTEMPTS wrong entries. Entering it after the
password step gives this session a fresh, unconfirmed device: only then the QR code.

Confirming the device makes RECOVERY_CODES one-time recovery codes (django-otp's static
device; each token holds a digest, not the code), shown once. Each passes the second step
once, for a lost or broken phone. Every step is written to the audit log.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.audit.services import record

from . import onetime
from .models import EnrolmentCode, User
from .twofactor import DEVICE_NAME, check_code, confirmed_device, needs_two_factor

SESSION_KEY = "danvan_two_factor_enrolment"  # the device this session may confirm
RECOVERY_DEVICE_NAME = "recovery"
RECOVERY_CODES = 10


class EnrolmentRefused(Exception):
    """Why a code was not issued or not accepted, in words for the person."""


@dataclass(frozen=True)
class Issued:
    user: User
    code: str  # readable: shown once, then gone
    expires_at: datetime


def open_codes(user: User) -> QuerySet[EnrolmentCode]:
    return EnrolmentCode.objects.filter(
        user=user, used_at=None, revoked_at=None, expires_at__gt=timezone.now()
    )


def enrolment_code_issue(*, user: User, by: User | None) -> Issued:
    """A new code for `user`, revoking any earlier one; `by` None is an operator's command."""
    refusal = _issue_refusal(user, by)
    if refusal:
        raise EnrolmentRefused(refusal)
    code = onetime.new_code()
    now = timezone.now()
    expires_at = now + timedelta(hours=settings.DANVAN_ENROLMENT_CODE_HOURS)
    try:
        with transaction.atomic():
            _revoke(EnrolmentCode.objects.filter(user=user, used_at=None, revoked_at=None),
                    reason="replaced by a new code")  # fmt: skip
            EnrolmentCode.objects.create(
                user=user, code_hash=onetime.digest(code), issued_by=by, issued_at=now,
                expires_at=expires_at,
            )  # fmt: skip
            record("two_factor.enrolment_code.issue", obj=user,
                   changes={"expires_at": [None, expires_at]})  # fmt: skip
    except IntegrityError:  # another administrator's code for the account, at the same moment
        raise EnrolmentRefused(
            _("Another code was issued for %(name)s at the same moment. Issue it again.")
            % {"name": user}
        ) from None
    return Issued(user=user, code=code, expires_at=expires_at)


def _issue_refusal(user: User, by: User | None) -> str:
    if by is not None and by.pk == user.pk:
        return _(
            "You cannot issue an enrolment code for your own account: another administrator"
            " must do it."
        )
    if not needs_two_factor(user):
        return _("%(name)s does not use two-step verification (a citizen's account).") % {
            "name": user
        }
    if confirmed_device(user) is not None:
        return _(
            "%(name)s already has two-step verification. Reset it first if the phone was lost."
        ) % {"name": user}
    return ""


def enrolment_codes_revoke(*, codes: QuerySet[EnrolmentCode]) -> int:
    """Revoke the open codes among `codes` (an administrator's action); returns how many."""
    with transaction.atomic():
        return _revoke(codes.filter(used_at=None, revoked_at=None), reason="revoked")


def _revoke(codes: QuerySet[EnrolmentCode], *, reason: str) -> int:
    rows = list(codes.select_related("user").select_for_update(of=("self",)))
    now = timezone.now()
    for row in rows:
        EnrolmentCode.objects.filter(pk=row.pk).update(revoked_at=now)
        record("two_factor.enrolment_code.revoke", obj=row.user, note=reason)
    return len(rows)


def enrolment_code_redeem(*, user: User, code: str) -> TOTPDevice:
    """Spend `user`'s code: a fresh unconfirmed device (a new key), or EnrolmentRefused."""
    with transaction.atomic():
        row = (
            EnrolmentCode.objects.select_for_update()
            .filter(user=user, code_hash=onetime.digest(code))
            .first()
        )
        if row is None:
            problem, device = _count_wrong(user), None
        else:
            problem = _redeem_problem(row)
            device = None if problem else _spend(row)
    if device is None:
        raise EnrolmentRefused(problem)
    return device


def _spend(row: EnrolmentCode) -> TOTPDevice:
    EnrolmentCode.objects.filter(pk=row.pk).update(used_at=timezone.now())
    TOTPDevice.objects.filter(user_id=row.user_id, confirmed=False).delete()
    device = TOTPDevice.objects.create(user_id=row.user_id, name=DEVICE_NAME, confirmed=False)
    record("two_factor.enrolment_code.use", obj=row.user)
    return device


def _redeem_problem(row: EnrolmentCode) -> str:
    if row.used_at is not None:
        return _("This enrolment code was already used. Ask the administrator for a new one.")
    if row.revoked_at is not None:
        return _("This enrolment code was revoked. Ask the administrator for a new one.")
    if row.expires_at <= timezone.now():
        return _("This enrolment code has expired. Ask the administrator for a new one.")
    return ""


def _count_wrong(user: User) -> str:
    """A wrong code counts against the account's open code, which lapses after too many."""
    open_codes(user).update(failed_attempts=F("failed_attempts") + 1)
    limit = settings.DANVAN_ENROLMENT_CODE_ATTEMPTS
    if _revoke(open_codes(user).filter(failed_attempts__gte=limit), reason="too many wrong codes"):
        return _(
            "Too many wrong codes: your enrolment code was revoked. Ask the administrator for"
            " a new one."
        )
    return _(
        "This enrolment code is wrong. Check it (letters and digits, for example"
        " ABCD-EFGH-JKLM) or ask the administrator for a new one."
    )


def grant(request: HttpRequest, device: TOTPDevice) -> None:
    """This session, and only it, may now see the device's key and confirm it."""
    request.session[SESSION_KEY] = device.pk


def granted_device(request: HttpRequest) -> TOTPDevice | None:
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    return TOTPDevice.objects.filter(pk=pk, user_id=request.user.pk, confirmed=False).first()


def device_confirm(request: HttpRequest, device: TOTPDevice) -> list[str]:
    """The device passed its first code: confirmed, with new recovery codes (returned once)."""
    user = User.objects.get(pk=device.user_id)
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        codes = recovery_codes_create(user=user)
        record("two_factor.enrol", obj=user)
    request.session.pop(SESSION_KEY, None)
    return codes


def recovery_codes_create(*, user: User) -> list[str]:
    """RECOVERY_CODES new codes in place of any earlier ones."""
    codes = [onetime.new_code() for _ in range(RECOVERY_CODES)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        StaticToken.objects.bulk_create(
            StaticToken(device=device, token=recovery_digest(code)) for code in codes
        )
    return codes


def recovery_digest(code: str) -> str:
    """What a recovery code's token holds (django-otp keeps at most 16 characters)."""
    return onetime.digest(code)[:16]


def recovery_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(device: StaticDevice) -> int:
    return int(StaticToken.objects.filter(device=device).count())


def recovery_code_check(device: StaticDevice, code: str) -> str | None:
    """None when the code passes (it is then spent), else the message for the person."""
    wrong = _(
        "This recovery code is wrong or was already used. Each code works once; check it and"
        " try another."
    )
    return check_code(device, recovery_digest(code), wrong=wrong)
