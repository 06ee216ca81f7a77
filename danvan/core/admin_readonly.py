"""An admin for records the platform writes: an administrator reads them, never edits them."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .forms import TextModelForm


class ReadOnlyAdmin[M: Any](admin.ModelAdmin[M]):
    """No add, change or delete for anyone, superusers included."""

    form = TextModelForm

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
