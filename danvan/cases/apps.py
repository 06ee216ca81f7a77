from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Citizens' letters: intake, routing, lifecycle, deadlines, tracking."""

    name = "danvan.cases"
    verbose_name = _("Letters and cases")
