from typing import Any

from django.core.management.base import BaseCommand

from danvan.places.queries import unit_counts_in_force
from danvan.places.services import units_load


class Command(BaseCommand):
    help = "Load or refresh the administrative units (34 provinces, 3,321 communes, and the pre-2025 units)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = units_load()
        self.stdout.write(
            f"units created={report.created} updated={report.updated} unchanged={report.unchanged} "
            f"successions created={report.successions_created} updated={report.successions_updated}"
        )
        counts = unit_counts_in_force()
        self.stdout.write(f"provinces={counts['provinces']} communes={counts['communes']}")
