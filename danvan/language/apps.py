from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LanguageConfig(AppConfig):
    """Vietnamese text: normalisation, search, topic suggestion, duplicates, hot issues."""

    name = "danvan.language"
    verbose_name = _("Language")
