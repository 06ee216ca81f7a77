"""Calling the REST API in tests: its address, a key's header, the error a call got."""

from typing import Any

URL = "/api/v1"


def auth(text: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {text}"}


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    error: dict[str, Any] = body["error"]
    assert error["message"]
    return error
