from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionConfig(AppConfig):
    name = "danvan.reception"
    label = "reception"
    verbose_name = _("Citizen reception")

    def ready(self) -> None:
        from danvan.cases.sealing import letter_sealed

        letter_sealed.connect(_logbook_seal, dispatch_uid="reception_logbook_seal")


def _logbook_seal(*, case: Any, sender_details: dict[str, str], **_kwargs: Any) -> None:
    """A letter sealed after it was logged: its logbook rows keep no identity either."""
    from .services import entries_seal

    entries_seal(case, sender_details)
