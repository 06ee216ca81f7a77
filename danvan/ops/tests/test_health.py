"""/healthz and /readyz: answers, failing checks named, no cookies, never cached."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings

from danvan.ops import health


def assert_uncached_without_cookies(response):
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
    assert not response.cookies


def test_healthz_answers_without_the_database(client):  # no db mark: a query would fail
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert_uncached_without_cookies(response)


def test_healthz_refuses_a_post(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_readyz_is_ready_when_every_check_passes(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "tasks": "ok", "media": "ok"},
        "failing": [],
    }
    assert_uncached_without_cookies(response)


@pytest.mark.django_db
def test_readyz_names_an_unreachable_database(client):
    broken = mock.Mock(side_effect=OperationalError("connection refused"))
    with mock.patch.object(health.connection, "cursor", broken):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database", "migrations"]
    assert body["checks"]["migrations"] == "skipped"  # not tried without a database
    assert "connection refused" not in response.content.decode()  # details go to the log


@pytest.mark.django_db
def test_readyz_names_a_migration_not_applied(client):
    known = health.expected_migrations()
    missing = known | {("cases", "9999_future")}
    with mock.patch.object(health, "expected_migrations", return_value=missing):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["migrations"]


class UnreachableBackend:
    alias = "default"

    def queue_depths(self):
        raise ConnectionError("redis is down")


@pytest.mark.django_db
def test_readyz_names_an_unreachable_task_backend(client):
    with mock.patch.object(health.task_backends, "all", return_value=[UnreachableBackend()]):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["tasks"]


@pytest.mark.django_db
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_readyz_reaches_the_database_task_backend(client):
    assert client.get("/readyz").json()["checks"]["tasks"] == "ok"


@pytest.mark.django_db
def test_readyz_names_a_read_only_media_storage(client):
    storage = mock.Mock(save=mock.Mock(side_effect=PermissionError("read-only file system")))
    with mock.patch.object(health, "default_storage", storage):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["media"]


@pytest.mark.django_db
def test_readyz_leaves_no_probe_file(client, tmp_path):
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        assert client.get("/readyz").status_code == 200
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
