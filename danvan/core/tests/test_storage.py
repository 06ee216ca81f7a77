"""A service briefly away (the file storage, the database): one exception each, and a 503
page with Retry-After instead of a 500."""

import errno

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from danvan.core.middleware import UnavailableMiddleware
from danvan.core.storage import StorageUnavailable, storing


def test_a_full_disk_becomes_storage_unavailable_and_other_errors_pass_through():
    with pytest.raises(StorageUnavailable) as raised, storing("attachment a.pdf"):
        raise OSError(errno.ENOSPC, "No space left on device")
    assert isinstance(raised.value.__cause__, OSError)
    with pytest.raises(ValueError, match="not the storage"), storing("attachment a.pdf"):
        raise ValueError("not the storage's")


@pytest.mark.django_db
def test_the_middleware_answers_503_with_retry_after_and_leaves_other_errors_alone():
    middleware = UnavailableMiddleware(HttpResponse)
    request = RequestFactory().post("/anything/")
    response = middleware.process_exception(request, StorageUnavailable("evidence x.pdf"))
    assert response is not None
    assert (response.status_code, response["Retry-After"]) == (503, "60")
    assert "Chưa lưu được tệp" in response.content.decode()
    assert middleware.process_exception(request, RuntimeError("a bug")) is None


@pytest.mark.django_db
def test_a_database_that_is_away_gets_a_static_503_that_reads_nothing(
    caplog, django_assert_num_queries
):
    middleware = UnavailableMiddleware(HttpResponse)
    request = RequestFactory().get("/staff/cases/")
    error = OperationalError("connection failed: server closed the connection unexpectedly")
    with django_assert_num_queries(0):
        response = middleware.process_exception(request, error)
    assert response is not None
    assert (response.status_code, response["Retry-After"]) == (503, "5")
    assert "tạm thời gián đoạn" in response.content.decode()
    assert "database unavailable: GET /staff/cases/" in caplog.text  # not silent
