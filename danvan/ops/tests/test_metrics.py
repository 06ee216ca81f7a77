"""/metrics: the Prometheus text format, latency by route name, queue depth, overdue cases,
and who may read it."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client.parser import text_string_to_metric_families

from danvan.cases.models import Case
from danvan.ops import metrics

LATENCY = "danvan_http_request_duration_seconds"


def scrape(client, **headers):
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert not response.cookies
    return {family.name: family for family in text_string_to_metric_families(response.text)}


def sample(families, name, suffix, **labels):
    family_name = name.removesuffix("_seconds") + "_seconds" if suffix else name
    for s in families[family_name].samples:
        if s.name == name + suffix and all(s.labels.get(k) == v for k, v in labels.items()):
            return s.value
    return 0.0


@pytest.mark.django_db
def test_latency_is_recorded_by_route_name_never_by_path(client):
    route = {"route": "ops:healthz", "method": "GET", "status": "2xx"}
    before = sample(scrape(client), LATENCY, "_count", **route)
    client.get("/healthz")
    client.get("/healthz?phone=0912345678")
    client.get("/khong-co-trang-nay/0912345678/")
    families = scrape(client)
    assert sample(families, LATENCY, "_count", **route) == before + 2
    assert sample(families, LATENCY, "_bucket", le="+Inf", **route) == before + 2
    assert sample(families, LATENCY, "_count", route="<unmatched>", status="4xx") >= 1
    routes = {s.labels.get("route") for s in families[LATENCY].samples}
    assert not any("0912345678" in str(r) or str(r).startswith("/") for r in routes)


@pytest.mark.django_db
def test_overdue_cases_are_counted_by_hand(client, letters):
    """Counted by hand from what the test does, not by the metric's own query: five new
    letters are not overdue; three made late are; one of them paused for information, and
    a fourth late one already answered, are not."""
    today = timezone.localdate()
    late = today - timedelta(days=1)
    before = sample(scrape(client), "danvan_cases_overdue", "")
    made = letters(5)
    assert sample(scrape(client), "danvan_cases_overdue", "") == before
    Case.objects.filter(pk__in=[c.pk for c in made[:3]]).update(due_on=late)
    assert sample(scrape(client), "danvan_cases_overdue", "") == before + 3
    Case.objects.filter(pk=made[0].pk).update(status="info_requested")
    assert sample(scrape(client), "danvan_cases_overdue", "") == before + 2
    Case.objects.filter(pk=made[3].pk).update(due_on=late, status="resolved")
    assert sample(scrape(client), "danvan_cases_overdue", "") == before + 2


@pytest.mark.django_db
def test_overdue_cases_are_one_query_on_the_partial_index(django_assert_num_queries):
    from django.db import connection

    with django_assert_num_queries(1) as queries:
        metrics.overdue_cases()
    sql = queries.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: force the plan
            cursor.execute("EXPLAIN " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "case_due_status" in plan


@pytest.mark.django_db
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_queue_depth_counts_tasks_waiting_per_queue(client):
    def enqueue(queue, status="READY"):
        DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}}, task_path="x.y", backend_name="default",
            queue_name=queue, run_after=timezone.now(), status=status,
        )  # fmt: skip

    for queue in ("default", "default", "mail"):
        enqueue(queue)
    enqueue("default", status="SUCCESSFUL")
    families = scrape(client)
    depth = "danvan_task_queue_depth"
    assert sample(families, depth, "", backend="default", queue="default") == 2
    assert sample(families, depth, "", backend="default", queue="mail") == 1


def test_another_backend_supplies_its_own_queue_depth():
    class Redis:
        alias = "redis"

        def queue_depths(self):
            return {"default": 7}

    assert metrics.queue_depths(Redis()) == {"default": 7}  # type: ignore[arg-type]
    assert metrics.queue_depths(object()) is None  # type: ignore[arg-type]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "headers", "allowed"),
    [
        ("127.0.0.1", {}, True),
        ("::1", {}, True),
        ("10.0.0.7", {}, False),
        ("127.0.0.1", {"HTTP_X_FORWARDED_FOR": "203.0.113.9"}, False),  # a proxy here
        ("not an address", {}, False),
    ],
)
def test_without_a_token_only_loopback_may_read(client, address, headers, allowed):
    response = client.get("/metrics", REMOTE_ADDR=address, **headers)
    assert response.status_code == (200 if allowed else 404)


@pytest.mark.django_db
@override_settings(DANVAN_METRICS_TOKEN="s3cret-token")
@pytest.mark.parametrize(
    ("address", "authorization", "allowed"),
    [
        ("10.0.0.7", "Bearer s3cret-token", True),
        ("10.0.0.7", "bearer s3cret-token", True),
        ("10.0.0.7", "Bearer wrong", False),
        ("10.0.0.7", "Basic s3cret-token", False),
        ("10.0.0.7", None, False),
        ("127.0.0.1", None, False),  # with a token set, loopback is not enough
    ],
)
def test_with_a_token_only_its_bearer_may_read(client, address, authorization, allowed):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.get("/metrics", REMOTE_ADDR=address, **headers)
    assert response.status_code == (200 if allowed else 404)


WORKER = """
from prometheus_client import Histogram
h = Histogram("danvan_http_request_duration_seconds", "x", ["route", "method", "status"])
h.labels("ops:healthz", "GET", "2xx").observe(0.02)
"""


@pytest.mark.django_db
def test_multiprocess_mode_adds_up_every_worker(client, tmp_path, monkeypatch):
    env = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for _ in range(2):  # two processes, like two gunicorn workers
        subprocess.run([sys.executable, "-c", WORKER], env=env, check=True)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    families = scrape(client)
    route = {"route": "ops:healthz", "method": "GET", "status": "2xx"}
    assert sample(families, LATENCY, "_count", **route) == 2
    assert "danvan_cases_overdue" in families  # the database gauges are there too
