"""`manage.py detect_hot_issues [--date YYYY-MM-DD]`: find spikes and new clusters of letters."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from danvan.insights.hotspots import detect


class Command(BaseCommand):
    help = "Detect hot issues (spikes per topic and unit, clusters of similar new letters)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, help="detect as of this day")

    def handle(self, *args: Any, **options: Any) -> None:
        report = detect(options["date"])
        self.stdout.write(f"spikes={report.spikes} clusters={report.clusters}")
