from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from danvan.accounts.models import User
from danvan.accounts.phone import looks_like_phone, normalize_phone
from danvan.cases.imports import cases_import


def _officer(login: str) -> User:
    lookup = {"phone": normalize_phone(login)} if looks_like_phone(login) else {"email": login}
    user = User.objects.filter(is_active=True, **lookup).first()
    if user is None:
        raise CommandError(f"no active account with the login {login}")
    return user


class Command(BaseCommand):
    help = (
        "Import old letters from a logbook spreadsheet (CSV or XLSX). Prints each row's errors, "
        "then, last, created=N skipped=N errors=N. Nothing is imported when a row is bad, "
        "unless --partial."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a .csv or .xlsx file")
        parser.add_argument(
            "--by", required=True, metavar="EMAIL", help="login of the importing officer"
        )
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument(
            "--partial", action="store_true", help="import the good rows even if others are bad"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        by = _officer(options["by"].strip().lower())
        path: Path = options["file"]
        try:
            with path.open("rb") as file:
                report = cases_import(
                    file=file,
                    by=by,
                    all_or_nothing=not options["partial"],
                    dry_run=options["dry_run"],
                )
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        for row_error in report.errors:
            self.stdout.write(str(row_error))
        self.stdout.write(
            f"created={report.created} skipped={report.skipped_existing} "
            f"errors={len(report.errors)}"
        )
        if report.errors and not report.created:
            raise CommandError(f"nothing imported: {report.rows_with_errors} row(s) to correct")
