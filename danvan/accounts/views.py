"""Sign-in, sign-out, sign-up and the account page."""

from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .access import memberships_of, roles_of
from .forms import LoginForm, SignupForm
from .phone import display_phone
from .services import citizen_register

login_view = auth_views.LoginView.as_view(
    form_class=LoginForm, template_name="accounts/login.html", redirect_authenticated_user=True
)
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
