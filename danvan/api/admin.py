from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from danvan.core.forms import TextModelForm

from .keys import key_issue, key_revoke
from .models import ApiKey, Scope


class ApiKeyForm(TextModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiKey
        fields = ["name", "agency", "scopes", "rate_per_minute"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        bound = set(data.get("scopes") or []) - {Scope.SUBMIT}
        if bound and not data.get("agency"):
            self.add_error("agency", _("Reading or acting on cases needs an agency."))
        return data


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin[ApiKey]):
    form = ApiKeyForm
    list_display = [
        "name",
        "prefix",
        "agency",
        "scopes",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["agency", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        key, text = key_issue(
            name=obj.name,
            agency=obj.agency,
            scopes=obj.scopes,
            by=request.user,  # type: ignore[arg-type]
        )
        key.rate_per_minute = obj.rate_per_minute
        key.save(update_fields=["rate_per_minute"])
        obj.pk = key.pk
        obj.prefix = key.prefix
        messages.warning(
            request,
            _("The key is %(key)s. Copy it now: it is not stored and cannot be shown again.")
            % {"key": text},
        )

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        keys = list(queryset.filter(revoked_at__isnull=True))
        for key in keys:
            key_revoke(key)
        count = len(keys)
        self.message_user(request, ngettext("%d key revoked.", "%d keys revoked.", count) % count)

    def has_delete_permission(self, request: HttpRequest, obj: ApiKey | None = None) -> bool:
        return False  # a key's record stays: who could call, and when it was stopped
