"""An administrator never changes their own powers in the admin: not their roles and agency
memberships, not `is_staff`, `is_superuser` or groups. Another administrator must.

Otherwise one administrator could make themselves an auditor, and so read every denouncer's
identity (Luật Tố cáo 2018 Art. 47). Each refused attempt is an audit entry
(`admin.self_change_refused`, with the fields tried) besides the message on the form.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from danvan.audit.services import record

# The fields of one's own account that grant powers.
POWERS = ("is_staff", "is_superuser", "groups", "user_permissions")
SELF_CHANGE = _(
    "You cannot change the roles, agency memberships or administrator rights of your own"
    " account. Another administrator must make this change."
)


def refusal(request: HttpRequest, obj: Any, fields: list[str]) -> ValidationError:
    """Record the attempt and give the error the form shows."""
    record("admin.self_change_refused", obj=obj, actor=request.user, changes={"fields": fields})
    return ValidationError(SELF_CHANGE, code="self_change")


def _is_self(request: HttpRequest, user_id: int | None) -> bool:
    return user_id is not None and user_id == request.user.pk


def user_form(form_class: type[forms.ModelForm[Any]], request: HttpRequest) -> type[Any]:
    """`form_class` (the user change form) refusing a change of the signed-in user's powers."""

    class SelfGuarded(form_class):  # type: ignore[valid-type, misc]
        def clean(self) -> dict[str, Any]:
            data: dict[str, Any] = super().clean()
            changed = sorted(set(self.changed_data) & set(POWERS))
            if _is_self(request, self.instance.pk) and changed:
                raise refusal(request, self.instance, changed)
            return data

    return SelfGuarded


def membership_form(form_class: type[forms.ModelForm[Any]], request: HttpRequest) -> type[Any]:
    """`form_class` (a membership form) refusing a membership of the signed-in user."""

    class SelfGuarded(form_class):  # type: ignore[valid-type, misc]
        def clean(self) -> dict[str, Any]:
            data: dict[str, Any] = super().clean()
            user = data.get("user")
            mine = _is_self(request, self.instance.user_id) or _is_self(
                request, getattr(user, "pk", None)
            )
            if mine and self.has_changed():  # recorded against the account concerned
                raise refusal(request, request.user, ["memberships", *sorted(self.changed_data)])
            return data

    return SelfGuarded


def membership_formset(
    formset_class: type[BaseInlineFormSet[Any, Any, Any]], request: HttpRequest
) -> type[Any]:
    """The memberships inline of a user page, refusing any change on one's own page."""

    class SelfGuarded(formset_class):  # type: ignore[valid-type, misc]
        def clean(self) -> None:
            super().clean()
            if _is_self(request, self.instance.pk) and self.has_changed():
                changed = sorted({name for form in self.forms for name in form.changed_data})
                raise refusal(request, self.instance, ["memberships", *changed])

    return SelfGuarded
