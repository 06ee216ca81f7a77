"""`manage.py sweep_deadlines [--date YYYY-MM-DD]`: mark overdue cases, send reminders,
delete the files kept for letter forms given up on."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from danvan.cases.sweep import sweep


class Command(BaseCommand):
    help = (
        "Mark overdue cases, queue deadline reminders and delete files kept for abandoned"
        " letter forms (safe to run concurrently)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, help="sweep as of this day")

    def handle(self, *args: Any, **options: Any) -> None:
        report = sweep(options["date"])
        self.stdout.write(
            f"overdue={report.overdue} reminders={report.reminders} requeued={report.requeued}"
            f" held_files_deleted={report.held_deleted}"
        )
