"""The second step of an official's sign-in: the code of their app, a recovery code, or,
without a device, the administrator's enrolment code and then the QR code."""

from typing import cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.models import Device

from . import enrolment, twofactor
from .forms import EnrolmentCodeForm, RecoveryCodeForm, TwoFactorCodeForm
from .models import User


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # login_required: never anonymous here


def _settled(user: User, next_url: str) -> HttpResponse | None:
    """Where to send someone these pages are not for: a citizen, or a verified session."""
    if not twofactor.needs_two_factor(user) or twofactor.is_verified(user):
        return redirect(next_url)
    return None


@require_http_methods(["GET", "POST"])
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """The current code of the official's authenticator app."""
    user = _user(request)
    next_url = twofactor.safe_next(request)
    if (settled := _settled(user, next_url)) is not None:
        return settled
    device = twofactor.confirmed_device(user)
    if device is None:
        return redirect(twofactor.two_factor_url(user, next_url))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and _code_accepted(form, device):
        twofactor.mark_verified(request, device)
        return redirect(next_url)
    context = {"form": form, "next": next_url, "demo_code": twofactor.demo_hint(device)}
    return render(request, "accounts/two_factor_verify.html", context, status=_status(request))


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_recovery(request: HttpRequest) -> HttpResponse:
    """A recovery code instead of the app's code (a lost or broken phone); each works once."""
    user = _user(request)
    next_url = twofactor.safe_next(request)
    if (settled := _settled(user, next_url)) is not None:
        return settled
    device = enrolment.recovery_device(user)
    left = enrolment.recovery_codes_left(device) if device else 0
    form = RecoveryCodeForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        problem = enrolment.recovery_code_check(device, form.cleaned_data["code"])
        if problem is None:
            twofactor.mark_verified(request, device)
            messages.warning(request, _recovery_left_message(left - 1))
            return redirect(next_url)
        form.add_error(None, problem)
    context = {"form": form, "next": next_url, "codes_left": left}
    return render(request, "accounts/two_factor_recovery.html", context, status=_status(request))


def _recovery_left_message(left: int) -> str:
    if left <= 0:
        return _(
            "You used your last recovery code. Ask the administrator to reset your two-step"
            " verification before you lose access."
        )
    return ngettext(
        "You signed in with a recovery code. %(count)d recovery code is left; each works once.",
        "You signed in with a recovery code. %(count)d recovery codes are left; each works once.",
        left,
    ) % {"count": left}


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Without a device: the one-time code an administrator issued, before any QR code."""
    user = _user(request)
    next_url = twofactor.safe_next(request)
    if (settled := _settled(user, next_url)) is not None:
        return settled
    if twofactor.confirmed_device(user) is not None:
        return redirect(twofactor.two_factor_url(user, next_url))
    if enrolment.granted_device(request) is not None:
        return redirect(_setup_url(next_url))
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = enrolment.enrolment_code_redeem(user=user, code=form.cleaned_data["code"])
        except enrolment.EnrolmentRefused as refused:
            form.add_error(None, str(refused))
        else:
            enrolment.grant(request, device)
            return redirect(_setup_url(next_url))
    context = {"form": form, "next": next_url, "hours": settings.DANVAN_ENROLMENT_CODE_HOURS}
    return render(request, "accounts/two_factor_enrol.html", context, status=_status(request))


def _setup_url(next_url: str) -> str:
    return reverse("accounts:two-factor-setup") + "?" + urlencode({"next": next_url})


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """After the enrolment code: scan the QR code (or type the key), confirm with one code,
    then the recovery codes, shown once."""
    user = _user(request)
    next_url = twofactor.safe_next(request)
    if (settled := _settled(user, next_url)) is not None:
        return settled
    device = enrolment.granted_device(request)
    if device is None:
        return redirect(twofactor.two_factor_url(user, next_url))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and _code_accepted(form, device):
        codes = enrolment.device_confirm(request, device)
        twofactor.mark_verified(request, device)
        response = render(
            request, "accounts/two_factor_recovery_codes.html", {"codes": codes, "next": next_url}
        )
        add_never_cache_headers(response)
        return response
    secret = twofactor.grouped(twofactor.secret_of(device))
    context = {"form": form, "next": next_url, "qr_svg": twofactor.qr_svg(device), "secret": secret}
    return render(request, "accounts/two_factor_setup.html", context, status=_status(request))


def _code_accepted(form: TwoFactorCodeForm, device: Device) -> bool:
    """A well-formed code the device accepts; otherwise the form carries the reason."""
    if not form.is_valid():
        return False
    error = twofactor.check_code(device, form.cleaned_data["code"])
    if error is not None:
        form.add_error(None, error)
        return False
    return True


def _status(request: HttpRequest) -> int:
    """A page shown again after a POST is a refused code (the accepted one redirects)."""
    return 422 if request.method == "POST" else 200
