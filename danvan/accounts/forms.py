"""Sign-in and sign-up forms; every message a person can see is in Vietnamese first."""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AdminUserCreationForm, AuthenticationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import NormalisedText, TextForm, TextModelForm
from danvan.core.text import is_number

from .models import User
from .phone import looks_like_phone, normalize_phone


class LoginForm(NormalisedText, AuthenticationForm):
    username = forms.CharField(
        label=_("Email or mobile number"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "The email or mobile number and password do not match. Check them and try again."
        ),
        "inactive": _("This account has been disabled."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = _("Enter your email or mobile number.")
        self.fields["password"].error_messages["required"] = _("Enter your password.")

    def clean_username(self) -> str:
        """A mistyped phone number gets its own message instead of 'wrong password'."""
        username = str(self.cleaned_data["username"]).strip()
        if looks_like_phone(username):
            normalize_phone(username)
        return username


class SignupForm(TextForm):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(
        label=_("Mobile number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my personal data is processed to handle my letters, "
            "as the Personal Data Protection Law allows."
        )
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].error_messages["required"] = _("Enter your full name.")
        self.fields["password1"].error_messages["required"] = _("Choose a password.")
        self.fields["password2"].error_messages["required"] = _("Repeat the password.")
        self.fields["consent"].error_messages["required"] = _(
            "You must agree to the processing of your personal data to create an account."
        )
        self.fields["email"].error_messages["invalid"] = _(
            "Enter a valid email address, for example ten@example.com."
        )

    def clean_email(self) -> str | None:
        email = self.cleaned_data["email"].strip().lower() or None
        if email and User.objects.filter(email=email).exists():
            raise ValidationError(_("An account with this email already exists."), code="taken")
        return email

    def clean_phone(self) -> str | None:
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return None
        phone = normalize_phone(raw)
        if User.objects.filter(phone=phone).exists():
            raise ValidationError(
                _("An account with this mobile number already exists."), code="taken"
            )
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        contact_errors = self.has_error("email") or self.has_error("phone")
        if not data.get("email") and not data.get("phone") and not contact_errors:
            raise ValidationError(
                _("Enter an email address or a mobile number (or both)."), code="no_contact"
            )
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error(
                "password2", ValidationError(_("The two passwords differ."), code="mismatch")
            )
        elif p1:
            candidate = User(full_name=data.get("full_name", ""), email=data.get("email"))
            try:
                password_validation.validate_password(p1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class _ContactCleaning(TextModelForm):
    """Phone numbers and e-mails stored in one canonical form, whoever types them."""

    def clean_phone(self) -> str | None:
        raw = (self.cleaned_data.get("phone") or "").strip()
        return normalize_phone(raw) if raw else None

    def clean_email(self) -> str | None:
        return (self.cleaned_data.get("email") or "").strip().lower() or None


class UserAdminCreationForm(_ContactCleaning, AdminUserCreationForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ("full_name", "email", "phone")


class UserAdminChangeForm(_ContactCleaning, UserChangeForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = (
            "full_name", "email", "phone", "password", "is_active", "is_staff", "is_superuser",
            "groups", "last_login", "date_joined",
        )  # fmt: skip


class TwoFactorCodeForm(TextForm):
    """The 6-digit code of an authenticator app; spaces are ignored."""

    code = forms.CharField(
        label=_("6-digit code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["required"] = _(
            "Enter the 6-digit code from your authenticator app."
        )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if len(code) != 6 or not is_number(code):
            raise ValidationError(_("The code has exactly 6 digits."), code="format")
        return code
