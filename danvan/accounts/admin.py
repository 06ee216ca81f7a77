from typing import Any

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from danvan.core.forms import TextModelForm

from . import twofactor
from .forms import UserAdminChangeForm, UserAdminCreationForm
from .models import Membership, User


class MembershipInline(admin.TabularInline[Membership, User]):
    form = TextModelForm
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]


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
    actions = ["reset_two_factor"]

    @admin.action(description=_("Reset two-step verification (set up again at next sign-in)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """A lost phone: the device goes; the person enrols a new one after the password."""
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
