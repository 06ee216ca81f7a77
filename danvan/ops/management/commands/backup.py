"""`manage.py backup --output DIR`: one archive of the database and every media file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from danvan.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write danvan-backup-<UTC time>.tar into DIR: a consistent database dump, every "
        "media file and a manifest (counts, sha256 of every file, migrations). Safe while "
        "the platform serves. Last line: archive= cases= attachments= files="
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, required=True, help="directory to write to")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup(options["output"], using=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"archive={report.archive} cases={report.cases} "
            f"attachments={report.attachments} files={report.files}"
        )
