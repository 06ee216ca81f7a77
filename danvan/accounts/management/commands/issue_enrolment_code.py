"""`manage.py issue_enrolment_code LOGIN`: an enrolment code from the server's command line.

For the first administrator of a new installation (no other administrator can issue one in
the admin yet) and for an operator who has the server in hand. Prints the code once; the
audit log names the command as the actor.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from danvan.accounts.backends import canonical_identifier
from danvan.accounts.enrolment import EnrolmentRefused, enrolment_code_issue
from danvan.accounts.models import User
from danvan.audit.context import acting_as


class Command(BaseCommand):
    help = "Issue a one-time two-step enrolment code for an official and print it (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("login", help="the account's email or mobile number")

    def handle(self, *args: Any, **options: Any) -> None:
        identifier = canonical_identifier(options["login"])
        field = "phone" if identifier.startswith("+84") else "email"
        user = User.objects.filter(**{field: identifier}).first()
        if user is None:
            raise CommandError(f"no account with {field} {options['login']!r}")
        with acting_as("command:issue_enrolment_code"):
            try:
                issued = enrolment_code_issue(user=user, by=None)
            except EnrolmentRefused as refused:
                raise CommandError(str(refused)) from None
        expires = timezone.localtime(issued.expires_at).strftime("%d/%m/%Y %H:%M")
        self.stdout.write(f"{issued.code}  (expires {expires})")
