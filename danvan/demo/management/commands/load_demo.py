from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from danvan.demo.services import demo_load, demo_password


class Command(BaseCommand):
    help = "Load the demo province (Hưng Yên), its agencies and one account per role."

    def handle(self, *args: Any, **options: Any) -> None:
        password = demo_password()
        report = demo_load(password=password)
        self.stdout.write(
            f"demo units_created={report.units_created} agencies_created={report.agencies_created}"
        )
        self.stdout.write(_("Demo accounts (password: %(password)s):") % {"password": password})
        for account in report.accounts:
            self.stdout.write(f"  {account.role.label:<24} {account.login}")
