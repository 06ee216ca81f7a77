"""A failed write to the file storage: one exception, and a 503 page instead of a 500."""

import errno

import pytest
from django.test import RequestFactory

from danvan.core.middleware import StorageUnavailableMiddleware
from danvan.core.storage import StorageUnavailable, storing


def test_a_full_disk_becomes_storage_unavailable_and_other_errors_pass_through():
    with pytest.raises(StorageUnavailable) as raised, storing("attachment a.pdf"):
        raise OSError(errno.ENOSPC, "No space left on device")
    assert isinstance(raised.value.__cause__, OSError)
    with pytest.raises(ValueError, match="not the storage"), storing("attachment a.pdf"):
        raise ValueError("not the storage's")


@pytest.mark.django_db
def test_the_middleware_answers_503_with_retry_after_and_leaves_other_errors_alone():
    middleware = StorageUnavailableMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    request = RequestFactory().post("/anything/")
    response = middleware.process_exception(request, StorageUnavailable("evidence x.pdf"))
    assert response is not None
    assert (response.status_code, response["Retry-After"]) == (503, "60")
    assert "Chưa lưu được tệp" in response.content.decode()
    assert middleware.process_exception(request, RuntimeError("a bug")) is None
