"""The outbox pattern shared by notifications and reminders.

A row is created with a unique key in the transaction of the change it reports; a task claims
it (queued -> sending, one more attempt) and sends it after commit. What a dead worker left
in "sending", what a lost task left in "queued", and what failed, is queued again once it is
older than STUCK_AFTER, up to MAX_ATTEMPTS sends in all.
"""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import models
from django.utils import timezone

MAX_ATTEMPTS = 5
STUCK_AFTER = timedelta(minutes=15)
BATCH = 500
RETRIED_STATES = ("sending", "queued", "failed")


def claim(model: type[models.Model], pk: int) -> bool:
    """Take a queued row for sending; False when another task already did."""
    return bool(
        model._default_manager.filter(pk=pk, state="queued").update(
            state="sending", attempts=models.F("attempts") + 1
        )
    )


def requeue_stuck(
    model: type[models.Model], enqueue: Callable[[int], Any], now: datetime | None = None
) -> int:
    """Queue again up to BATCH rows left behind; returns how many."""
    now = now or timezone.now()
    rows = model._default_manager.filter(
        state__in=RETRIED_STATES, created_at__lt=now - STUCK_AFTER, attempts__lt=MAX_ATTEMPTS
    )
    ids = list(rows.values_list("pk", flat=True)[:BATCH])
    model._default_manager.filter(pk__in=ids).update(state="queued")
    for pk in ids:
        enqueue(pk)
    return len(ids)
