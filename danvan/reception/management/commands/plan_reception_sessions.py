"""`manage.py plan_reception_sessions`: publish every schedule's sessions ahead (run daily)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from danvan.reception.services import sessions_plan_ahead


class Command(BaseCommand):
    help = "Create the coming sessions of every reception schedule in force; safe to repeat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=settings.DANVAN_RECEPTION_PLAN_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        added = sessions_plan_ahead(days=options["days"])
        self.stdout.write(f"sessions={added}")
