"""`manage.py restore ARCHIVE [--force]`: the database and media files of a backup."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from danvan.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore the database and media files of an archive made by `backup`, after checking "
        "the sha256 of every file against its manifest. Refuses a database that has tables "
        "unless --force. Stop the web server and the workers first. "
        "Last line: archive= cases= attachments= files="
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="replace a database that is not empty"
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore(options["archive"], using=options["database"], force=options["force"])
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        for note in report.notes:
            self.stderr.write(f"note: {note}")
        self.stdout.write(
            f"archive={report.archive} cases={report.cases} "
            f"attachments={report.attachments} files={report.files}"
        )
