from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from danvan.accounts.models import User
from danvan.demo.cases import demo_cases_load
from danvan.demo.dialogues import demo_dialogues_load
from danvan.demo.evaluation import demo_round_load
from danvan.demo.reception import demo_reception_load
from danvan.demo.services import (
    DEMO_EMAIL_DOMAIN,
    PROVINCE_CODE,
    demo_load,
    demo_password,
    demo_totp_secret,
)
from danvan.insights.rollup import refresh as refresh_insights
from danvan.places.models import Unit


class Command(BaseCommand):
    help = "Load the demo province (Hưng Yên), its agencies and one account per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--letters", type=int, default=300, help="demo letters to create on the first run"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = demo_password()
        report = demo_load(password=password)
        self.stdout.write(
            f"demo units_created={report.units_created} agencies_created={report.agencies_created}"
        )
        self.stdout.write(_("Demo accounts (password: %(password)s):") % {"password": password})
        for account in report.accounts:
            self.stdout.write(f"  {account.role.label:<24} {account.login}")
        self.stdout.write(
            _("Officials' two-step verification key (any authenticator app): %(secret)s")
            % {"secret": demo_totp_secret()}
        )
        letters = demo_cases_load(
            count=options["letters"],
            officer=User.objects.get(email=f"xuly@{DEMO_EMAIL_DOMAIN}"),
            province=Unit.objects.get(
                level=Unit.Level.PROVINCE, code=PROVINCE_CODE, valid_until__isnull=True
            ),
        )
        self.stdout.write(f"demo letters_created={letters}")
        reception = demo_reception_load()
        self.stdout.write(
            f"demo reception_schedules={reception.schedules} sessions={reception.sessions}"
        )
        self.stdout.write(f"demo dialogues_created={demo_dialogues_load()}")
        round_ = demo_round_load()
        self.stdout.write(f"demo evaluation_round={round_.year if round_ else '-'}")
        # The overview's figures at once, not at serve's first refresh minutes later.
        self.stdout.write(f"demo insights_refreshed_s={refresh_insights():.2f}")
