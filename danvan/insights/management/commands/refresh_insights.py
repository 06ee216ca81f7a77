"""`manage.py refresh_insights`: recompute the roll-up of letter figures (serve runs it with
the deadline sweep, every DANVAN_SWEEP_MINUTES)."""

from typing import Any

from django.core.management.base import BaseCommand

from danvan.insights.models import LetterMonth, LetterNow
from danvan.insights.rollup import refresh


class Command(BaseCommand):
    help = "Recompute the figures on letters the province overview and the reports read."

    def handle(self, *args: Any, **options: Any) -> None:
        took = refresh()
        months, now = LetterMonth.objects.count(), LetterNow.objects.count()
        self.stdout.write(f"month_rows={months} open_rows={now} seconds={took:.2f}")
