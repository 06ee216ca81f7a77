from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "danvan.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from .audit import connect

        connect()
