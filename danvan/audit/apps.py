from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only, hash-chained audit log of administrative changes."""

    name = "danvan.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from .admin_hooks import install

        install()
