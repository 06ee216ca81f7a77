"""Make an API key from the command line (the admin does the same): prints it once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from danvan.api.keys import key_issue
from danvan.api.models import Scope
from danvan.audit.context import acting_as
from danvan.places.models import Agency


class Command(BaseCommand):
    help = "Make an API key and print it; only a hash is stored, so copy it now."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="who uses it, e.g. 'Đường dây nóng 1022'")
        parser.add_argument("--agency", default="", help="agency code, for the cases:* scopes")
        parser.add_argument(
            "--scope", action="append", choices=Scope.values, required=True, dest="scopes"
        )
        parser.add_argument("--rate", type=int, default=600, help="requests per minute")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(f"no agency with code {options['agency']!r}")
        if set(options["scopes"]) - {Scope.SUBMIT} and agency is None:
            raise CommandError("the cases:read and cases:act scopes need --agency")
        with acting_as("command:issue_api_key"):
            key, text = key_issue(name=options["name"], agency=agency, scopes=options["scopes"])
        key.rate_per_minute = options["rate"]
        key.save(update_fields=["rate_per_minute"])
        self.stdout.write(text)
