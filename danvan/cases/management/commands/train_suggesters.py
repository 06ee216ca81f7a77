"""`manage.py train_suggesters`: train topic and kind models from confirmed classifications."""

from typing import Any

from django.core.management.base import BaseCommand

from danvan.cases.triage.suggest import train_version


class Command(BaseCommand):
    help = "Train the topic and kind suggestion models; a version is used only if not worse."

    def handle(self, *args: Any, **options: Any) -> None:
        for target in ("topic", "kind"):
            version = train_version(target)
            if version is None:
                self.stdout.write(f"{target}: not enough confirmed letters yet")
                continue
            state = "in use" if version.is_active else "kept, not better"
            self.stdout.write(
                f"{target}: accuracy={version.accuracy:.3f} macro_f1={version.macro_f1:.3f} "
                f"trained_on={version.examples} tested_on={version.tested_on} ({state})"
            )
