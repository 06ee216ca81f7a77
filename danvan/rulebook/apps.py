from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulebookConfig(AppConfig):
    """The administrator's calendar changes and rule settings on top of the legal rules."""

    name = "danvan.rulebook"
    verbose_name = _("Deadlines")
