"""Two-step verification in the admin: enrolment codes, and devices that can only be removed.

An administrator issues an official's enrolment code (the users' action, on the list or on
one user's page; shown once, never for their own account) and may revoke open codes. The
authenticator devices of django-otp's admin page can be looked at and deleted, never added
or edited: otherwise an administrator could give any account a key they know, outside the
enrolment code and its audit entry. Recovery codes have no admin page at all: the users'
"reset two-step verification" action removes them with the device.
"""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.core.forms import TextModelForm

from . import enrolment
from .models import AuthenticatorApp, EnrolmentCode, User


def issue_codes(
    model_admin: admin.ModelAdmin[User], request: HttpRequest, users: QuerySet[User]
) -> HttpResponse | None:
    """Issue a code for each selected account it applies to; the codes on one page, once."""
    issued: list[enrolment.Issued] = []
    for user in users.order_by("full_name", "pk"):
        try:
            issued.append(enrolment.enrolment_code_issue(user=user, by=request.user))  # type: ignore[arg-type]
        except enrolment.EnrolmentRefused as refused:
            model_admin.message_user(request, str(refused), messages.ERROR)
    if not issued:
        return None
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Two-step enrolment codes"),
        "issued": issued,
        "opts": model_admin.opts,
    }
    response = TemplateResponse(request, "admin/accounts/enrolment_codes_issued.html", context)
    add_never_cache_headers(response)
    return response


@admin.register(EnrolmentCode)
class EnrolmentCodeAdmin(admin.ModelAdmin[EnrolmentCode]):
    form = TextModelForm
    list_display = ["user", "issued_by", "issued_at", "expires_at", "state_label"]
    list_filter = ["issued_at", "expires_at"]
    search_fields = ["user__full_name", "user__email", "user__phone"]
    list_select_related = ["user", "issued_by"]
    ordering = ["-issued_at"]
    fields = ["user", "issued_by", "issued_at", "expires_at", "used_at", "revoked_at",
              "failed_attempts"]  # fmt: skip
    actions = ["revoke"]

    @admin.display(description=_("state"))
    def state_label(self, obj: EnrolmentCode) -> str:
        return obj.state()

    @admin.action(description=_("Revoke the selected open codes"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[EnrolmentCode]) -> None:
        count = enrolment.enrolment_codes_revoke(codes=queryset)
        self.message_user(
            request,
            ngettext("%(count)d code revoked.", "%(count)d codes revoked.", count)
            % {"count": count},
        )

    # Codes are issued by the users' action only, and kept as a record.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _RemoveOnly:
    """Look and delete; no new device and no edited key through the admin."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuthenticatorDeviceAdmin(_RemoveOnly, TOTPDeviceAdmin):  # type: ignore[misc]
    """django-otp's page with our words (its field names are plain English), on the proxy
    model that gives the device a Vietnamese name."""

    form = TextModelForm  # never edited here, but every admin form goes through the normaliser
    list_display = ["official", "device_name", "created", "last_used", "in_use"]
    list_filter: list[str] = []
    search_help_text = _("Search by the official's email.")

    @admin.display(description=_("official"), ordering="user__full_name")
    def official(self, device: TOTPDevice) -> str:
        return str(device.user)

    @admin.display(description=_("device name"), ordering="name")
    def device_name(self, device: TOTPDevice) -> str:
        return str(device.name)

    @admin.display(description=_("created at"), ordering="created_at")
    def created(self, device: TOTPDevice) -> Any:
        return device.created_at

    @admin.display(description=_("last used at"), ordering="last_used_at")
    def last_used(self, device: TOTPDevice) -> Any:
        return device.last_used_at

    @admin.display(description=_("confirmed"), boolean=True, ordering="confirmed")
    def in_use(self, device: TOTPDevice) -> bool:
        return bool(device.confirmed)

    def get_list_display(self, request: HttpRequest) -> list[str]:
        return self.list_display  # without django-otp's key QR code link


for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
admin.site.register(AuthenticatorApp, AuthenticatorDeviceAdmin)
