"""Sign-in, sign-out, sign-up confirmed by codes, password reset by a code, the account page.

The second factor of officials has its own views (`twofactor_views`)."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from danvan.core.clients import client_address

from . import services, twofactor
from .access import memberships_of, roles_of
from .contact import Throttled
from .forms import (
    ContactCodeForm,
    LoginForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    SignupConfirmForm,
    SignupForm,
)
from .models import ContactCode, PendingSignup, User
from .phone import display_phone
from .services import SignupDetails

SIGNUP_SESSION = "danvan_signup"  # the pending sign-up this session confirms
RESET_SESSION = "danvan_password_reset"  # the code row this session asked for
RESET_PASSED_SESSION = "danvan_password_reset_passed"  # [user id, until (timestamp)]


class LoginView(auth_views.LoginView):
    """The password step; an official then goes on to the second factor."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Django's view puts the request's host in `site_name`; the page shows ours.
        return {**super().get_context_data(**kwargs), "site_name": settings.DANVAN_SITE_NAME}

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
    """The form; a code then goes to the phone and address (the same whether or not an
    account already uses them: services.signup_start)."""
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = SignupForm(request.POST or None)
    if request.method != "POST":
        return render(request, "accounts/signup.html", {"form": form})
    if not form.is_valid():
        return render(request, "accounts/signup.html", {"form": form}, status=422)
    data = form.cleaned_data
    details = SignupDetails(full_name=data["full_name"], email=data["email"],
                            phone=data["phone"], password=data["password1"])  # fmt: skip
    try:
        pending = services.signup_start(details=details, client_address=client_address(request))
    except Throttled as throttled:
        form.add_error(None, throttled.message())
        return render(request, "accounts/signup.html", {"form": form}, status=429)
    request.session[SIGNUP_SESSION] = pending.pk
    return redirect("accounts:signup-confirm")


@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest) -> HttpResponse:
    """The codes sent at sign-up; the account exists once they are right."""
    pending = _pending_signup(request)
    if pending is None:
        return _signup_lapsed(request)
    contacts = services.contacts_of(pending)
    form = SignupConfirmForm(request.POST or None, channels=[c for c, _a in contacts])
    if request.method == "POST" and form.is_valid():
        user = _signup_create(form, pending)
        if user is not None:
            request.session.pop(SIGNUP_SESSION, None)
            login(request, user, backend="danvan.accounts.backends.EmailOrPhoneBackend")
            messages.success(request, _("Your account is ready."))
            return redirect("accounts:account")
    context = {"form": form, "addresses": _addresses(contacts), "minutes": _minutes()}
    return render(request, "accounts/signup_confirm.html", context, status=_status(request))


def _signup_create(form: SignupConfirmForm, pending: PendingSignup) -> User | None:
    try:
        return services.signup_confirm(pending=pending, codes=form.cleaned_data)
    except services.CodesRefused as refused:
        for channel, problem in refused.problems.items():
            form.add_error(channel, problem)
    except services.SignupFailed:
        form.add_error(None, _(
            "The account could not be created. If you already have an account, sign in or use"
            " “Forgot password”."
        ))  # fmt: skip
    return None


@require_POST
def signup_resend(request: HttpRequest) -> HttpResponse:
    pending = _pending_signup(request)
    if pending is None:
        return _signup_lapsed(request)
    try:
        services.signup_resend(pending=pending, client_address=client_address(request))
    except Throttled as throttled:
        messages.error(request, throttled.message())
    else:
        messages.success(request, _("We sent new codes. The earlier ones no longer work."))
    return redirect("accounts:signup-confirm")


def _pending_signup(request: HttpRequest) -> PendingSignup | None:
    pk = request.session.get(SIGNUP_SESSION)
    if pk is None:
        return None
    return PendingSignup.objects.filter(pk=pk, expires_at__gt=timezone.now()).first()


def _signup_lapsed(request: HttpRequest) -> HttpResponse:
    request.session.pop(SIGNUP_SESSION, None)
    messages.error(request, _("Your sign-up has expired. Fill in the form again."))
    return redirect("accounts:signup")


def _minutes() -> int:
    return int(settings.DANVAN_CONTACT_CODE_MINUTES)


def _addresses(contacts: list[tuple[str, str]]) -> list[str]:
    """The phone and address as the person wrote them, to say where the codes went."""
    return [display_phone(a) if c == ContactCode.Channel.PHONE else a for c, a in contacts]


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """'Forgot password': a code to the phone or address, if an account uses it (the page
    after is the same either way)."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        channel, address = form.cleaned_data["login"]
        try:
            row = services.password_reset_start(
                channel=channel, address=address, client_address=client_address(request)
            )
        except Throttled as throttled:
            form.add_error(None, throttled.message())
            return render(request, "accounts/password_reset.html", {"form": form}, status=429)
        request.session[RESET_SESSION] = row.pk
        request.session.pop(RESET_PASSED_SESSION, None)
        return redirect("accounts:password-reset-code")
    return render(request, "accounts/password_reset.html", {"form": form}, status=_status(request))


@require_http_methods(["GET", "POST"])
def password_reset_code(request: HttpRequest) -> HttpResponse:
    row = _reset_row(request)
    if row is None:
        return redirect("accounts:password-reset")
    form = ContactCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        problem = services.password_reset_check(row=row, code=form.cleaned_data["code"])
        if not problem:
            until = timezone.now() + timedelta(minutes=_minutes())
            request.session[RESET_PASSED_SESSION] = [row.user_id, until.timestamp()]
            return redirect("accounts:password-reset-new")
        form.add_error("code", problem)
    address = _addresses([(row.channel, row.destination)])[0]
    context = {"form": form, "address": address, "minutes": _minutes()}
    return render(request, "accounts/password_reset_code.html", context, status=_status(request))


@require_POST
def password_reset_resend(request: HttpRequest) -> HttpResponse:
    row = _reset_row(request)
    if row is None:
        return redirect("accounts:password-reset")
    try:
        fresh = services.password_reset_start(
            channel=row.channel, address=row.destination, client_address=client_address(request)
        )
    except Throttled as throttled:
        messages.error(request, throttled.message())
    else:
        request.session[RESET_SESSION] = fresh.pk
        messages.success(request, _("We sent a new code. The earlier one no longer works."))
    return redirect("accounts:password-reset-code")


@require_http_methods(["GET", "POST"])
def password_reset_new(request: HttpRequest) -> HttpResponse:
    """The new password, checked by Django's validators; every session of the account ends."""
    user = _reset_user(request)
    if user is None:
        messages.error(request, _("Your password reset has expired. Start again."))
        return redirect("accounts:password-reset")
    form = NewPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_finish(user=user, password=form.cleaned_data["new_password1"])
        for key in (RESET_SESSION, RESET_PASSED_SESSION):
            request.session.pop(key, None)
        messages.success(request, _(
            "Your password was changed and the account was signed out everywhere. Sign in with"
            " the new password."
        ))  # fmt: skip
        return redirect("accounts:login")
    return render(request, "accounts/password_reset_new.html", {"form": form},
                  status=_status(request))  # fmt: skip


def _reset_row(request: HttpRequest) -> ContactCode | None:
    pk = request.session.get(RESET_SESSION)
    if pk is None:
        return None
    return ContactCode.objects.filter(pk=pk, purpose=ContactCode.Purpose.RESET).first()


def _reset_user(request: HttpRequest) -> User | None:
    """The account whose code this session entered, while the time to choose lasts."""
    passed = request.session.get(RESET_PASSED_SESSION)
    if not passed or passed[1] < timezone.now().timestamp():
        return None
    return User.objects.filter(pk=passed[0], is_active=True).first()


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "roles": sorted(roles_of(user), key=str),
        "memberships": memberships_of(user),
        "phone": display_phone(user.phone) if user.phone else "",  # type: ignore[union-attr]
    }
    return render(request, "accounts/account.html", context)


def _status(request: HttpRequest) -> int:
    """A page shown again after a POST is a refused form (an accepted one redirects)."""
    return 422 if request.method == "POST" else 200
