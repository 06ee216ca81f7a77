"""Prometheus metrics: request latency (recorded per request), task queue depth and overdue
cases (read from the database at scrape time).

Labels stay bounded: a request is labelled with its route's name (or pattern), never its
path; the method with one of a fixed set; the status with its class (2xx, 4xx...).
Overdue cases are one number, not one per agency: an installation for the whole country has
tens of thousands of agencies, and a series per agency would multiply every scrape and the
server's memory for what the officers' queue already shows; alert on the total, look in the
application for who.

gunicorn runs several worker processes: when PROMETHEUS_MULTIPROC_DIR is set (`manage.py
serve` sets it), every process writes its samples there and a scrape adds them up.
"""

import logging
import os
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest
from django.tasks import task_backends
from django.tasks.backends.base import BaseTaskBackend
from django.urls import ResolverMatch
from django.utils import timezone
from prometheus_client import CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import REGISTRY, Collector

logger = logging.getLogger(__name__)

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "<unmatched>"
BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

REQUEST_LATENCY = Histogram(
    "danvan_http_request_duration_seconds",
    "Time to answer a request, by route name, method and status class.",
    ["route", "method", "status"],
    buckets=BUCKETS,
)


def route_of(request: HttpRequest) -> str:
    """The resolved route's name (`cases:detail`) or pattern, never the raw path."""
    match: ResolverMatch | None = getattr(request, "resolver_match", None)
    if match is None:
        return UNMATCHED
    if match.url_name:
        return match.view_name
    return str(match.route or UNMATCHED)


def observe(request: HttpRequest, status: int, seconds: float) -> None:
    method = request.method if request.method in METHODS else "OTHER"
    REQUEST_LATENCY.labels(route_of(request), method, f"{status // 100}xx").observe(seconds)


# Task queue depth, per backend class. A backend either has a `queue_depths()` method of its
# own or a reader registered here under its class path (`register_queue_depth`); either
# returns {queue name: number of tasks waiting to run}. Backends with neither report nothing.
QueueDepthReader = Callable[[BaseTaskBackend], dict[str, int]]
QUEUE_DEPTH_READERS: dict[str, QueueDepthReader] = {}


def register_queue_depth(backend_path: str) -> Callable[[QueueDepthReader], QueueDepthReader]:
    """Decorator: `@register_queue_depth("myapp.backends.RedisBackend")`."""

    def register(reader: QueueDepthReader) -> QueueDepthReader:
        QUEUE_DEPTH_READERS[backend_path] = reader
        return reader

    return register


@register_queue_depth("django_tasks_db.backend.DatabaseBackend")
def _database_queue_depths(backend: BaseTaskBackend) -> dict[str, int]:
    """READY results per queue, one query (the READY rows are a partial index)."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    rows = (
        DBTaskResult.objects.filter(status="READY", backend_name=backend.alias)
        .values_list("queue_name")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(rows)


@register_queue_depth("django.tasks.backends.immediate.ImmediateBackend")
@register_queue_depth("django.tasks.backends.dummy.DummyBackend")
def _nothing_waits(backend: BaseTaskBackend) -> dict[str, int]:
    return {}


def queue_depths(backend: BaseTaskBackend) -> dict[str, int] | None:
    """{queue: waiting tasks}, or None when nobody taught us to read this backend."""
    own: Any = getattr(backend, "queue_depths", None)
    if callable(own):
        return dict(own())
    cls = type(backend)
    reader = QUEUE_DEPTH_READERS.get(f"{cls.__module__}.{cls.__qualname__}")
    return None if reader is None else reader(backend)


def overdue_cases() -> int:
    """Open cases whose running deadline has passed, as the deadline sweep sees them.

    One count over the partial index `case_due_status` (due_on, status WHERE due_on IS NOT
    NULL: finished cases have no running deadline), reading only the overdue entries.
    """
    from danvan.cases.models import Case
    from danvan.cases.sweep import RUNNING

    today = timezone.localdate()
    return Case.objects.filter(due_on__lt=today, status__in=RUNNING).count()


class DatabaseCollector(Collector):
    """Gauges read at scrape time; a failing read leaves its metric out and is logged."""

    def collect(self) -> Iterator[Metric]:
        depth = GaugeMetricFamily(
            "danvan_task_queue_depth",
            "Tasks waiting to run, by task backend and queue.",
            labels=["backend", "queue"],
        )
        try:
            for backend in task_backends.all():
                for queue, count in sorted((queue_depths(backend) or {}).items()):
                    depth.add_metric([backend.alias, queue], count)
            yield depth
        except Exception:
            logger.exception("metrics: could not read the task queue depth")
        try:
            yield GaugeMetricFamily(
                "danvan_cases_overdue",
                "Open cases past their running deadline.",
                value=overdue_cases(),
            )
        except Exception:
            logger.exception("metrics: could not count overdue cases")


def registry() -> CollectorRegistry:
    """This scrape's registry: every worker's samples (multiprocess mode) or this
    process's, and the database gauges."""
    scrape = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(scrape)  # type: ignore[no-untyped-call]
    else:
        scrape.register(REGISTRY)
    scrape.register(DatabaseCollector())
    return scrape


def exposition() -> bytes:
    return generate_latest(registry())
