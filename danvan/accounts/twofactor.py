"""Two-factor authentication (TOTP) for officials and administrators.

A citizen signs in with a password only. Anyone who works in the workspace (every role but
citizen, and the administrators of /admin/) also proves, once per session, that they hold
their authenticator app: a 6-digit code that changes every 30 seconds (RFC 6238, through
django-otp's TOTPDevice: one step of clock drift either way, no code accepted twice, growing
waits after wrong codes). Until then every workspace page sends them to enrol or verify.
Enrolment starts with a one-time code an administrator issued (`enrolment`): a password
alone never reaches the QR code.
"""

import math
from base64 import b32decode, b32encode
from collections.abc import Callable
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.audit.services import record

from .access import AnyUser, can_open_staff_home
from .models import User

# Every page only officials use lives under one of these (the URL confs keep it so; a test
# walks them). The public site, the account page and the APIs are outside.
WORKSPACE_PREFIXES = ("/staff/", "/admin/")
DEVICE_NAME = "authenticator"
TOTP_STEP = 30  # seconds, the TOTPDevice default every authenticator app expects


def needs_two_factor(user: AnyUser) -> bool:
    """Officials and administrators; never a citizen."""
    if not user.is_authenticated or not user.is_active:
        return False
    return can_open_staff_home(user) or bool(user.is_superuser)


def is_verified(user: AnyUser) -> bool:
    """Whether this session's user passed the second factor (set by django-otp's middleware)."""
    check: Callable[[], bool] | None = getattr(user, "is_verified", None)
    return bool(check and check())


def is_workspace_path(path: str) -> bool:
    return path.startswith(WORKSPACE_PREFIXES)


def confirmed_device(user: AnyUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("pk").first()


def device_ensure(user: AnyUser, *, secret: str) -> TOTPDevice:
    """Give `user` one confirmed device with this base32 secret (the demo accounts)."""
    key = key_from_secret(secret)
    TOTPDevice.objects.filter(user_id=user.pk).exclude(key=key).delete()
    device, _created = TOTPDevice.objects.get_or_create(
        user_id=user.pk, key=key, defaults={"name": DEVICE_NAME, "confirmed": True}
    )
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return device


def devices_reset(*, users: QuerySet[User]) -> int:
    """Delete the users' devices and recovery codes (a lost phone); returns how many accounts
    had one. Their verified sessions lapse at once: the session names a device that no longer
    exists. They enrol again with a new enrolment code."""
    devices = TOTPDevice.objects.filter(user__in=users)
    recovery = StaticDevice.objects.filter(user__in=users)
    with transaction.atomic():
        holders = list(
            User.objects.filter(
                Q(pk__in=devices.values("user")) | Q(pk__in=recovery.values("user"))
            ).order_by("pk")
        )
        devices.delete()
        recovery.delete()  # its tokens go with it
        for holder in holders:  # the audit log: whose second factor was reset, by whom
            record("two_factor.reset", obj=holder)
    return len(holders)


def key_from_secret(secret: str) -> str:
    """TOTPDevice stores the key in hex; people and apps exchange it in base32."""
    text = secret.replace(" ", "").upper()
    return b32decode(text + "=" * (-len(text) % 8)).hex()


def secret_of(device: TOTPDevice) -> str:
    """The key in base32, as an authenticator app asks for it when typed by hand."""
    return b32encode(device.bin_key).decode("ascii").rstrip("=")


def grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def code_now(secret: str, *, at: float | None = None) -> str:
    """The current 6-digit code of a base32 secret (the demo hint and the browser tests)."""
    key = bytes.fromhex(key_from_secret(secret))
    if at is None:
        at = timezone.now().timestamp()
    return f"{hotp(key, int(at) // TOTP_STEP, digits=6):06d}"


def qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// address as an inline SVG QR code (no image request, no script)."""
    code = segno.make(device.config_url, error="m")
    title = _("QR code for your authenticator app")
    svg = code.svg_inline(scale=5, dark="#000", light="#fff", svgclass="qr", title=title)
    return mark_safe(svg)  # noqa: S308 (segno's own markup; the title is escaped by segno)


def check_code(device: Device, code: str, *, wrong: str = "") -> str | None:
    """Verify a code against the device (throttled); None when accepted, else the message."""
    with transaction.atomic():
        locked = type(device)._default_manager.select_for_update().get(pk=device.pk)
        allowed, data = locked.verify_is_allowed()
        if not allowed:
            until = (data or {}).get("locked_until")
            seconds = max(1, math.ceil((until - timezone.now()).total_seconds())) if until else 1
            return ngettext(
                "Too many wrong codes. Wait %(seconds)d second, then enter the new code.",
                "Too many wrong codes. Wait %(seconds)d seconds, then enter the new code.",
                seconds,
            ) % {"seconds": seconds}
        if locked.verify_token(code):
            device.refresh_from_db()
            return None
    return wrong or _(
        "This code is wrong, has expired or was already used."
        " Enter the 6 digits your authenticator app shows now."
    )


def mark_verified(request: HttpRequest, device: TOTPDevice) -> None:
    """The session passed the second factor: a new session key, then django-otp's mark."""
    request.session.cycle_key()
    django_otp.login(request, device)


def safe_next(request: HttpRequest, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def two_factor_url(user: AnyUser, next_url: str) -> str:
    """Where an unverified official goes: enrolment (which starts with the administrator's
    enrolment code) without a device, else verification."""
    name = "accounts:two-factor" if confirmed_device(user) else "accounts:two-factor-enrol"
    return reverse(name) + "?" + urlencode({"next": next_url})


def demo_hint(device: TOTPDevice) -> str:
    """The current code, shown on the verify page only for the demo's published secret and
    only when DEMO_TOTP_HINT is on (never for a real account's secret)."""
    secret = str(getattr(settings, "DANVAN_DEMO_TOTP_SECRET", ""))
    if not secret or not getattr(settings, "DANVAN_DEMO_TOTP_HINT", False):
        return ""
    if device.key != key_from_secret(secret):
        return ""
    return code_now(secret)


class TwoFactorMiddleware:
    """Sends officials who have not passed the second factor away from the workspace.

    Goes right after django-otp's OTPMiddleware, which tells whether the session passed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            is_workspace_path(request.path_info)
            and needs_two_factor(request.user)
            and not is_verified(request.user)
        ):
            return self.refuse(request)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        next_url = request.get_full_path() if request.method == "GET" else request.path
        target = two_factor_url(request.user, next_url)
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
