"""`manage.py remind_evaluation [--date YYYY-MM-DD]`: remind units and supervisors before
a round's deadlines, and queue again the reminders a dead worker left half-sent."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from danvan.evaluation.reminders import requeue_stuck, rounds_remind


class Command(BaseCommand):
    help = "Queue reminders of the evaluation rounds' deadlines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, help="remind as of this day")

    def handle(self, *args: Any, **options: Any) -> None:
        queued = rounds_remind(options["date"])
        self.stdout.write(f"reminders={queued} requeued={requeue_stuck()}")
