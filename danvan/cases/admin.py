"""What an administrator configures for letters: topics, routing, suggestions; and what
auditors read: who opened a denouncer's identity, which notifications went out."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from danvan.accounts.admin_site import is_auditor
from danvan.core.admin_readonly import ReadOnlyAdmin
from danvan.core.forms import TextModelForm

from .models import (
    HandlingDelegation,
    IdentityLook,
    KeywordRule,
    Notification,
    RoutingRule,
    SuggestionModel,
    SuggestionSettings,
    Topic,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin[Topic]):
    form = TextModelForm
    list_display = ["name", "code", "parent", "is_public", "is_active", "position"]
    list_filter = ["is_public", "is_active", "parent"]
    search_fields = ["name", "code"]
    list_editable = ["position", "is_active"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin[RoutingRule]):
    form = TextModelForm
    list_display = ["topic", "unit", "kind", "agency"]
    list_filter = ["topic", "kind"]
    autocomplete_fields = ["unit", "agency"]
    list_select_related = ["topic", "unit", "agency"]


@admin.register(KeywordRule)
class KeywordRuleAdmin(admin.ModelAdmin[KeywordRule]):
    form = TextModelForm
    list_display = ["__str__", "topic", "kind"]
    list_filter = ["kind", "topic"]


class SuggestionModelAdmin(ReadOnlyAdmin[SuggestionModel]):
    list_display = [
        "target",
        "created_at",
        "examples",
        "tested_on",
        "accuracy",
        "macro_f1",
        "is_active",
    ]
    list_filter = ["target", "is_active"]
    exclude = ["model"]


@admin.register(SuggestionSettings)
class SuggestionSettingsAdmin(admin.ModelAdmin[SuggestionSettings]):
    form = TextModelForm
    list_display = ["__str__", "threshold", "auto_route", "min_examples"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not SuggestionSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IdentityLook)
class IdentityLookAdmin(ReadOnlyAdmin[IdentityLook]):
    """The identity access log, the auditors' to read (and only theirs: a citizen's look at
    their own letter names the denouncer). Nobody adds, changes or deletes a row."""

    list_display = ["at", "case", "user", "what", "address"]
    list_filter = [
        ("at", admin.DateFieldListFilter),
        ("user", admin.RelatedOnlyFieldListFilter),
        ("case", admin.RelatedOnlyFieldListFilter),
        "what",
    ]
    search_fields = ["case__tracking_code", "user__full_name", "user__email", "what"]
    date_hierarchy = "at"
    list_select_related = ["case", "user"]
    actions = None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_auditor(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_auditor(request.user)


@admin.register(HandlingDelegation)
class HandlingDelegationAdmin(ReadOnlyAdmin[HandlingDelegation]):
    """Heads record and revoke delegations on /staff/delegations/; the admin only reads."""

    list_display = ["document_number", "document_date", "agency", "head", "delegate",
                    "valid_from", "valid_until", "revoked_at"]  # fmt: skip
    list_filter = [("agency", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["agency", "head", "delegate"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin[Notification]):
    list_display = ["created_at", "case", "purpose", "to_user", "state", "attempts", "sent_at"]
    list_filter = ["state", "purpose"]
    date_hierarchy = "created_at"
    list_select_related = ["case", "to_user"]
