"""`manage.py remind_commitments [--date YYYY-MM-DD]`: remind owners before due dates, and
queue again the reminders a dead worker left half-sent."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from danvan.dialogues.reminders import commitments_remind, requeue_stuck


class Command(BaseCommand):
    help = "Queue reminders to the owner agencies of commitments before their due dates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, help="remind as of this day")

    def handle(self, *args: Any, **options: Any) -> None:
        queued = commitments_remind(options["date"])
        self.stdout.write(f"reminders={queued} requeued={requeue_stuck()}")
