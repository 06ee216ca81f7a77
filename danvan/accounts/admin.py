from typing import Any

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from danvan.core.forms import TextModelForm

from . import admin_guard, admin_twofactor, twofactor
from .forms import UserAdminChangeForm, UserAdminCreationForm
from .models import Membership, User

BOTH = [admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM]


class MembershipInline(admin.TabularInline[Membership, User]):
    form = TextModelForm
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        return admin_guard.membership_formset(formset, request)


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "phone", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active"]
    search_fields = ["full_name", "email", "phone"]
    fieldsets = (
        (None, {"fields": ("full_name", "email", "phone", "password")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("full_name", "email", "phone", "password1", "password2"),
            },
        ),
    )
    filter_horizontal = ["groups"]
    inlines = [MembershipInline]
    actions = ["issue_enrolment_code", "reset_two_factor"]

    @admin.action(
        description=_("Issue a two-step enrolment code"),
        description_plural=_("Issue two-step enrolment codes"),
        location=BOTH,
    )
    def issue_enrolment_code(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> HttpResponse | None:
        """One-time codes an official needs to set up the authenticator app, shown once."""
        return admin_twofactor.issue_codes(self, request, queryset)

    @admin.action(
        description=_("Reset two-step verification (device and recovery codes)"),
        location=BOTH,
    )
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """A lost phone: the device and recovery codes go; the person enrols again with a new
        enrolment code."""
        count = twofactor.devices_reset(users=queryset)
        self.message_user(
            request,
            ngettext(
                "Two-step verification reset for %(count)d account.",
                "Two-step verification reset for %(count)d accounts.",
                count,
            )
            % {"count": count},
        )

    def get_form(
        self, request: HttpRequest, obj: User | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        # No one changes their own powers: admin_guard (another administrator must).
        form = super().get_form(request, obj, change=change, **kwargs)
        return admin_guard.user_form(form, request)

    def get_inlines(
        self, request: HttpRequest, obj: User | None
    ) -> list[type[InlineModelAdmin[Any, Any]]]:
        # Memberships are added once the account exists, as on Django's own two-step form.
        return [] if obj is None else list(self.inlines)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    form = TextModelForm
    list_display = ["user", "agency", "role", "title", "started_on", "ended_on"]
    list_filter = ["role"]
    search_fields = ["user__full_name", "agency__name"]
    autocomplete_fields = ["user", "agency"]
    list_select_related = ["user", "agency"]

    def get_form(
        self,
        request: HttpRequest,
        obj: Membership | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        return admin_guard.membership_form(form, request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        mine = obj is not None and obj.user_id == request.user.pk
        return not mine and super().has_delete_permission(request, obj)
