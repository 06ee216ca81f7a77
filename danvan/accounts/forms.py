"""Sign-in and sign-up forms; every message a person can see is in Vietnamese first."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    AuthenticationForm,
    SetPasswordForm,
    UserChangeForm,
)
from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import ModelMultipleIdField, NormalisedText, TextForm, TextModelForm
from danvan.core.text import is_number

from . import onetime
from .models import ContactCode, User
from .phone import looks_like_phone, normalize_phone

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise as _StrPromise


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

    # Whether an account already uses the phone or address is never said here: the sign-up
    # goes on the same way and its owner is told instead (services.signup_start).
    def clean_email(self) -> str | None:
        return self.cleaned_data["email"].strip().lower() or None

    def clean_phone(self) -> str | None:
        raw = self.cleaned_data["phone"].strip()
        return normalize_phone(raw) if raw else None

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
        field_classes = {"groups": ModelMultipleIdField}


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


def _digits_only(value: str, length: int = 6) -> str:
    code = "".join(value.split())
    if len(code) != length or not is_number(code):
        raise ValidationError(_("The code has exactly 6 digits."), code="format")
    return code


class LongCodeForm(TextForm):
    """A 12-character code (enrolment or recovery); spaces, hyphens and case are ignored."""

    code = forms.CharField(
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True,
                   "spellcheck": "false"}
        ),
    )  # fmt: skip

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"])
        if not onetime.well_formed(code):
            raise ValidationError(
                _("The code has 12 letters and digits, for example ABCD-EFGH-JKLM."),
                code="format",
            )
        return onetime.normalize(code)


class EnrolmentCodeForm(LongCodeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Enrolment code")
        self.fields["code"].error_messages["required"] = _(
            "Enter the enrolment code the administrator gave you."
        )


class RecoveryCodeForm(LongCodeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Recovery code")
        self.fields["code"].error_messages["required"] = _("Enter one of your recovery codes.")


def _six_digit_field(label: "str | _StrPromise") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=12,
        error_messages={"required": _("Enter the 6-digit code we sent.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class SignupConfirmForm(TextForm):
    """One 6-digit code for each address of the sign-up (`channels`: 'phone', 'email')."""

    def __init__(self, *args: Any, channels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            ContactCode.Channel.PHONE: _("Code sent to your phone"),
            ContactCode.Channel.EMAIL: _("Code sent to your email"),
        }
        for channel in channels:
            self.fields[channel] = _six_digit_field(str(labels[ContactCode.Channel(channel)]))
        if channels:
            self.fields[channels[0]].widget.attrs["autofocus"] = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.fields:
            if data.get(name) is not None:
                try:
                    data[name] = _digits_only(str(data[name]))
                except ValidationError as error:
                    self.add_error(name, error)
        return data


class PasswordResetRequestForm(TextForm):
    """The email or mobile number of the account; gives (channel, address)."""

    login = forms.CharField(
        label=_("Email or mobile number"),
        max_length=254,
        error_messages={"required": _("Enter your email or mobile number.")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )

    def clean_login(self) -> tuple[str, str]:
        text = str(self.cleaned_data["login"]).strip()
        if looks_like_phone(text):
            return ContactCode.Channel.PHONE.value, normalize_phone(text)
        try:
            validators.validate_email(text)
        except ValidationError:
            raise ValidationError(
                _("Enter a valid email address or a Vietnamese mobile number."), code="invalid"
            ) from None
        return ContactCode.Channel.EMAIL.value, text.lower()


class ContactCodeForm(TextForm):
    code = _six_digit_field(_("6-digit code"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["autofocus"] = True

    def clean_code(self) -> str:
        return _digits_only(str(self.cleaned_data["code"]))


class NewPasswordForm(NormalisedText, SetPasswordForm):  # type: ignore[type-arg]
    """Django's form (its validators, the account's own details), with our words."""

    error_messages = {"password_mismatch": _("The two passwords differ.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label, second.label = _("New password"), _("Repeat the password")
        first.help_text = " ".join(password_validation.password_validators_help_texts())
        second.help_text = ""
        first.widget.attrs["autofocus"] = True
        first.error_messages["required"] = _("Choose a password.")
        second.error_messages["required"] = _("Repeat the password.")
