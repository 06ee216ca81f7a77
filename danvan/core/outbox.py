"""The outbox pattern shared by notifications and reminders.

A row is created with a unique key in the transaction of the change it reports, and sent by
a task after commit. Every send starts with a claim (queued -> sending, one more attempt), a
conditional UPDATE, so two tasks never both send a row.

Two ways to run the sending task:

- one task per row (`enqueue(pk)` after commit), as the commitment reminders do: simple, but
  each row costs a whole job (RQ bookkeeping, a forked process, a database connection);
- a *kick* (`kick(task, name)`) after commit, as citizen notifications do: the task takes
  queued rows in batches (`claim_batch`) until none are left. A kick enqueues the task only
  when the key `outbox:kick:<name>` is not in Django's cache (shared by every process
  through Redis), and adds it for KICK_SECONDS, so a burst of commits costs one job. The
  running task keeps the key (`hold_kick`) while it works, deletes it (`unkick`) when it runs
  out of rows, and then looks once more: a row committed while the key still existed, whose
  kick was swallowed, is not left behind. The key lapses by itself, so a task that died, or
  one batch that outlasts KICK_SECONDS, lets the next commit bring another task (several
  tasks share the rows through the claims). With a per-process cache every kick enqueues.

What a dead worker left in "sending", what a lost kick or task left in "queued", and what
failed, is queued again by the sweep (`requeue_stuck`) once it is older than STUCK_AFTER,
up to MAX_ATTEMPTS sends in all. A claimed row's age is counted from its last claim
(`claimed_at`), not from its creation: a row created long ago and claimed a moment ago (a
backlog after an outage) is being sent, and queueing it again would send it twice.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, models, transaction
from django.db.models import Q
from django.tasks import Task
from django.utils import timezone

logger = logging.getLogger("danvan.outbox")

MAX_ATTEMPTS = 5
STUCK_AFTER = timedelta(minutes=15)
BATCH = 500
KICK_SECONDS = 30


def claim(model: type[models.Model], pk: int) -> bool:
    """Take a queued row for sending; False when another task already did."""
    return bool(model._default_manager.filter(pk=pk, state="queued").update(**_claimed()))


def claim_batch(model: type[models.Model], limit: int) -> list[int]:
    """Claim up to `limit` of the oldest queued rows; returns the ids this caller won."""
    with transaction.atomic():
        rows = model._default_manager.filter(state="queued").order_by("created_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            # Another task's batch is locked until its claims commit: take the next rows
            # instead of waiting for those and then losing every claim on them.
            rows = rows.select_for_update(skip_locked=True)
        ids = list(rows.values_list("pk", flat=True)[:limit])
        if not connection.features.has_select_for_update_skip_locked:
            return [pk for pk in ids if claim(model, pk)]
        # Locked by this transaction, so still queued: one statement claims them all.
        model._default_manager.filter(pk__in=ids).update(**_claimed())
        return ids


def _claimed() -> dict[str, Any]:
    return {"state": "sending", "attempts": models.F("attempts") + 1, "claimed_at": timezone.now()}


def kick(task: Task[[], Any], name: str) -> None:
    """Enqueue `task` unless its key is held: a kick within KICK_SECONDS, or a running task.

    Runs after a commit, so it never raises: with the cache or the queue unreachable the
    rows stay queued for the next kick or the sweep.
    """
    key = _kick_key(name)
    try:
        if kicks_shared() and not cache.add(key, 1, timeout=KICK_SECONDS):
            return
    except Exception as error:
        logger.warning("outbox %s not kicked, the cache is unreachable: %r", name, error)
        return
    try:
        task.enqueue()
    except Exception as error:
        logger.warning("outbox %s not kicked, the task queue is unreachable: %r", name, error)
        unkick(name)  # or the next commits would count on a task that was never queued


def hold_kick(name: str) -> None:
    """A running task holds the key, so commits meanwhile count on it instead of kicking
    more tasks; it lapses KICK_SECONDS after the task stopped holding (or died)."""
    try:
        cache.set(_kick_key(name), 1, timeout=KICK_SECONDS)
    except Exception as error:
        logger.warning("outbox %s kick key not set: %r", name, error)


def unkick(name: str) -> None:
    """Let the next commit kick again; the caller then looks for rows once more."""
    try:
        cache.delete(_kick_key(name))
    except Exception as error:
        # The key expires after KICK_SECONDS anyway; until then the sweep is the fallback.
        logger.warning("outbox %s kick key not deleted: %r", name, error)


def _kick_key(name: str) -> str:
    return f"outbox:kick:{name}"


def kicks_shared() -> bool:
    """A per-process cache (one machine without Redis) cannot tell that a task another
    process runs is still coming: each kick enqueues then, as one job per row did before."""
    return not isinstance(caches["default"], LocMemCache | DummyCache)


def requeue_stuck(
    model: type[models.Model],
    enqueue: Callable[[int], Any] | None = None,
    now: datetime | None = None,
) -> int:
    """Queue again up to BATCH rows left behind; returns how many.

    With `enqueue`, each row gets its own task; without, the caller kicks its batch task.
    """
    cutoff = (now or timezone.now()) - STUCK_AFTER
    rows = model._default_manager.filter(
        _waiting(cutoff) | _left(cutoff), attempts__lt=MAX_ATTEMPTS
    )
    found = list(rows.values_list("pk", "state")[:BATCH])
    # Only what was seen sending or failed is set back: a row seen queued may be claimed by a
    # running task right now, and setting it back to queued would send it twice. The claim
    # time is checked again in the UPDATE, so a row claimed since the SELECT stays as it is.
    stuck = [pk for pk, state in found if state != "queued"]
    model._default_manager.filter(_left(cutoff), pk__in=stuck).update(state="queued")
    ids = [pk for pk, _state in found]
    if enqueue is not None:
        for pk in ids:
            enqueue(pk)
    return len(ids)


def _waiting(cutoff: datetime) -> Q:
    """Queued before `cutoff` and still queued: its kick or its task was lost."""
    return Q(state="queued", created_at__lt=cutoff)


def _left(cutoff: datetime) -> Q:
    """Sending or failed, last claimed before `cutoff` (rows claimed before claimed_at
    existed have none: their creation time stands in)."""
    claimed_before = Q(claimed_at__lt=cutoff) | Q(claimed_at__isnull=True, created_at__lt=cutoff)
    return Q(state__in=("sending", "failed")) & claimed_before
