"""Readiness checks: each returns nothing when fine and raises when not.

Each is cheap: one round-trip to the database, one read of the migration table (compared
with the migration files this process loaded once), one count of waiting tasks, one tiny
file written to and deleted from the media storage.
"""

import functools
import logging
import uuid
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.tasks import task_backends

from .metrics import queue_depths

logger = logging.getLogger(__name__)

PROBE_DIR = "ops-readyz"


class NotReady(Exception):
    """A check failed; the message says what, for the log (not for the response)."""


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise NotReady("SELECT 1 did not answer 1")


@functools.cache
def expected_migrations() -> frozenset[tuple[str, str]]:
    """Every migration on disk, a squashed one standing for those it replaces."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.graph.nodes)


def check_migrations() -> None:
    applied = set(MigrationRecorder(connection).applied_migrations())
    missing = sorted(expected_migrations() - applied)
    if missing:
        raise NotReady(f"{len(missing)} migration(s) not applied, e.g. {missing[0]}")


def check_tasks() -> None:
    for backend in task_backends.all():
        queue_depths(backend)  # reaches the backend's store; raises when it cannot


def check_media() -> None:
    name = default_storage.save(f"{PROBE_DIR}/{uuid.uuid4().hex}", ContentFile(b"ok"))
    default_storage.delete(name)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "migrations": check_migrations,
    "tasks": check_tasks,
    "media": check_media,
}


def readiness() -> dict[str, str]:
    """{check: "ok" | "fail" | "skipped"}: the migrations are not read when the database
    does not answer (one timeout is enough)."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        if name == "migrations" and results.get("database") == "fail":
            results[name] = "skipped"
            continue
        try:
            check()
        except Exception as error:
            logger.warning("readiness check %s failed: %s", name, error)
            results[name] = "fail"
        else:
            results[name] = "ok"
    return results
