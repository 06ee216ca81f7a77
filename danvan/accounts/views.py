"""Sign-in (with the second factor for officials), sign-out, sign-up and the account page."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import twofactor
from .access import memberships_of, roles_of
from .forms import LoginForm, SignupForm, TwoFactorCodeForm
from .phone import display_phone
from .services import citizen_register


class LoginView(auth_views.LoginView):
    """The password step; an official then goes on to the second factor."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        url = super().get_success_url()
        user = self.request.user
        if twofactor.needs_two_factor(user) and not twofactor.is_verified(user):
            return twofactor.two_factor_url(user, url)
        return url


login_view = LoginView.as_view()
logout_view = auth_views.LogoutView.as_view()


def locked_out(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any
) -> HttpResponse:
    """What django-axes answers while an identifier is locked after repeated failures."""
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    form = LoginForm(request, data=request.POST or None)
    form.errors.clear()
    message = _(
        "Too many failed sign-in attempts. For your safety, try again in %(minutes)d minutes."
    ) % {"minutes": minutes}
    return render(
        request, "accounts/login.html", {"form": form, "locked_message": message}, status=429
    )


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "accounts/signup.html", {"form": form}, status=422)
        user = citizen_register(
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            phone=form.cleaned_data["phone"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="danvan.accounts.backends.EmailOrPhoneBackend")
        return redirect("accounts:account")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "roles": sorted(roles_of(user), key=str),
        "memberships": memberships_of(user),
        "phone": display_phone(user.phone) if user.phone else "",  # type: ignore[union-attr]
    }
    return render(request, "accounts/account.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step of an official's sign-in: the current code of their device."""
    user = request.user
    next_url = twofactor.safe_next(request)
    if not twofactor.needs_two_factor(user) or twofactor.is_verified(user):
        return redirect(next_url)
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
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrolment: scan the QR code (or type the key), then confirm with one code."""
    user = request.user
    next_url = twofactor.safe_next(request)
    if not twofactor.needs_two_factor(user):
        return redirect(next_url)
    if twofactor.confirmed_device(user) is not None:
        return redirect(twofactor.two_factor_url(user, next_url))
    device = twofactor.enrolment_device(user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and _code_accepted(form, device):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        twofactor.mark_verified(request, device)
        messages.success(request, _("Two-step verification is on for your account."))
        return redirect(next_url)
    secret = twofactor.secret_of(device)
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": twofactor.qr_svg(device),
        "secret": twofactor.grouped(secret),
        "device": device,
    }
    return render(request, "accounts/two_factor_setup.html", context, status=_status(request))


def _code_accepted(form: TwoFactorCodeForm, device: TOTPDevice) -> bool:
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
