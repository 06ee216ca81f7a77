from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from danvan.core.forms import TextModelForm

from .models import DataRequest


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin[DataRequest]):
    """The administrator answers; the first answer is due by `first_response_due` (PDP-1)."""

    form = TextModelForm

    list_display = ["received_at", "user", "kind", "first_response_due", "state", "responded_at"]
    list_filter = ["state", "kind", ("first_response_due", admin.DateFieldListFilter)]
    search_fields = ["user__full_name", "user__email", "user__phone", "details"]
    list_select_related = ["user"]
    readonly_fields = ["user", "kind", "details", "received_at", "rule", "first_response_due",
                       "state", "responded_at", "responded_by"]  # fmt: skip
    fields = [*readonly_fields, "response"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # people make requests from their account page

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: DataRequest, form: Any, change: bool) -> None:
        if obj.response.strip() and obj.responded_at is None:
            obj.responded_at = timezone.now()
            obj.responded_by = request.user  # type: ignore[assignment]
            obj.state = DataRequest.State.ANSWERED
        super().save_model(request, obj, form, change)  # audited by danvan.audit's admin hooks
