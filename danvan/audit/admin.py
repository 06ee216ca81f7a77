from django.contrib import admin

from danvan.core.admin_readonly import ReadOnlyAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin[AuditEntry]):
    """Read-only for everyone, superusers included: the log is only ever appended to."""

    list_display = ["seq", "at", "actor_label", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type", ("at", admin.DateFieldListFilter), "actor_label"]
    search_fields = ["actor_label", "action", "object_repr", "object_id", "request_id"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    actions = None
