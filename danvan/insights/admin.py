from django.contrib import admin

from danvan.core.admin_readonly import ReadOnlyAdmin

from .models import HotIssue


@admin.register(HotIssue)
class HotIssueAdmin(ReadOnlyAdmin[HotIssue]):
    list_display = ["detected_on", "kind", "label", "unit", "count", "baseline"]
    list_filter = ["kind"]
