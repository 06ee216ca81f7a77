"""Who is acting now (the signed-in person, or a command) and the request id, for the log."""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("danvan_audit_actor", default=None)

# `danvan.ops.logs.request_id`, read by name: ops sits above every app in the layers.
_REQUEST_ID_VAR = "danvan_request_id"


def current_actor() -> Any:
    """A user (possibly anonymous), a label such as "command:rotate_identity_keys", or None."""
    return _actor.get()


@contextmanager
def acting_as(actor: Any) -> Iterator[None]:
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def current_request_id() -> str:
    for var, value in contextvars.copy_context().items():
        if var.name == _REQUEST_ID_VAR and isinstance(value, str) and value != "-":
            return value[:64]
    return ""
