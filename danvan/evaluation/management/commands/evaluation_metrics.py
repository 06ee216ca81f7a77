"""`manage.py evaluation_metrics --unit CODE --from YYYY-MM-DD --to YYYY-MM-DD`: every
metric of the agency CODE for the period, one `metric=value` a line; an empty value means
there was nothing to measure (no letter due, no rating)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from danvan.evaluation.metrics import METRICS, format_value, metrics_for
from danvan.places.models import Agency


class Command(BaseCommand):
    help = "Print the evaluation metrics of one agency for a period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="the agency's code (ubnd-c11953)")
        parser.add_argument("--from", dest="start", required=True, type=date.fromisoformat)
        parser.add_argument("--to", dest="end", required=True, type=date.fromisoformat)

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(code=options["unit"]).first()
        if agency is None:
            raise CommandError(f"no agency has the code {options['unit']!r}")
        if options["end"] < options["start"]:
            raise CommandError("--to comes before --from")
        values = metrics_for(agency_ids=[agency.pk], start=options["start"], end=options["end"])
        for code in METRICS:
            self.stdout.write(f"{code}={format_value(values[agency.pk][code])}")
