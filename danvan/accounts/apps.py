from axes import apps as axes_apps
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "danvan.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from .audit import connect

        connect()


class DanVanAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site: auditors may read what is theirs (admin_site)."""

    default = False  # AccountsConfig stays this module's own app
    default_site = "danvan.accounts.admin_site.AdminSite"


# axes under a Vietnamese name in the admin (INSTALLED_APPS names this in place of its own
# configuration, whose name is English). Imported as a module: a second configuration class
# in this module's namespace would leave Django unable to pick AccountsConfig.
class SignInAttemptsConfig(axes_apps.AppConfig):  # type: ignore[misc]
    default = False
    verbose_name = _("Sign-in attempts and lockouts")
