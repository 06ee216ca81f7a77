from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Personal-data requests (Luật 91/2025, NĐ 356/2025): export and correction/deletion."""

    name = "danvan.privacy"
    verbose_name = _("Personal data")
