from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Official documents (Nghị định 30/2020 format) rendered from replaceable DOCX templates."""

    name = "danvan.documents"
    verbose_name = _("Documents")
