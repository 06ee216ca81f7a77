"""What the sign-up and password-reset tests share: the SMS and mail outboxes, and requests
whose after-commit work (sending the codes) runs as it would after a real commit."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from danvan.core.sms import MemoryBackend


@pytest.fixture(autouse=True)
def empty_outboxes() -> Iterator[None]:
    MemoryBackend.outbox.clear()
    MemoryBackend.references.clear()
    mail.outbox.clear()
    yield
    MemoryBackend.outbox.clear()
    MemoryBackend.references.clear()


@pytest.fixture
def post(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """`post(client, path, data)`: the request, then what it queued after commit."""

    def send(client: Client, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data or {}, **kwargs)

    return send
