from django.contrib import admin

from danvan.core.admin_readonly import ReadOnlyAdmin

from .models import HotIssue


@admin.register(HotIssue)
class HotIssueAdmin(ReadOnlyAdmin[HotIssue]):
    """Counts and labels only: the letters (each shown with its subject, a sealed one's too)
    are for the officers who may open them, on their staff home (`hotspots.py`)."""

    list_display = ["detected_on", "kind", "label", "unit", "count", "baseline"]
    list_filter = ["kind"]
    exclude = ["cases"]
