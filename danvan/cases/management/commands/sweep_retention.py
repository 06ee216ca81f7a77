"""`manage.py sweep_retention`: archived letters whose retention period is over, per agency.

Run daily by `serve`. It only reads: the head of each agency decides on `/staff/retention/`
(TT 05/2021 Art. 28); nothing is ever destroyed without that decision.
"""

import logging
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Count
from django.utils import timezone

from danvan.cases.models import Case

logger = logging.getLogger("danvan.cases.retention")


class Command(BaseCommand):
    help = (
        "List, per agency, the archived letters whose retention period (rule DON-4) is over "
        "and that wait for the head's decision on /staff/retention/. Last line: due= agencies="
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = (
            Case.objects.filter(
                archived_at__isnull=False,
                destroyed_at__isnull=True,
                retain_until__lt=timezone.localdate(),
            )
            .values("agency__code", "agency__name")
            .annotate(due=Count("id"))
            .order_by("agency__code")
        )
        total = 0
        for row in rows:
            total += row["due"]
            logger.info("archived letters wait for the head's decision",
                        extra={"agency": row["agency__code"], "due": row["due"]})  # fmt: skip
            self.stdout.write(
                f"agency={row['agency__code']} due={row['due']} {row['agency__name']}"
            )
        self.stdout.write(f"due={total} agencies={len(rows)}")
