"""What the hostile-input tests share: the inputs, the watch on stored text, the
requests rolled back one by one, and the figures they print."""

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote_plus

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY

from danvan.accounts.roles import Role
from danvan.core import refcache
from danvan.core.forms import TEXT_MAX, refusal_message
from danvan.core.text import TextRefused, clean_input, is_clean

from .hostile_edges import OWNER, UNVERIFIED, World

MEGABYTE = "a" * 1_048_576
NOT_UTF8 = "%ED%A0%80%FF"  # a UTF-8-encoded surrogate and a byte no UTF-8 text holds
INPUTS = ("nul", "controls", "invisible", "not_utf8", "megabyte")
API_FORMS = {"LetterForm", "PostForm"}  # posted by test_hostile_api.py


def hostile(kind: str, value: str) -> str:
    """The text of one hostile input, built around a field's valid value."""
    head, tail = value[:1], value[1:]
    return {
        "nul": f"{head}\x00{tail}",
        "controls": f"{head}\x1b{tail}\x85",
        "invisible": f"\ufeff{head}\u202e{tail}\u2066\u200b\u2069",
        "megabyte": MEGABYTE,
    }[kind]


def refusal_shown(kind: str, value: str) -> str:
    """The Vietnamese message the person reads for a refused input."""
    text = hostile(kind, value)
    try:
        clean_input(text)
    except TextRefused as refused:
        with translation.override("vi"):
            return refusal_message(refused)
    raise AssertionError(f"{kind} is not refused")


# --- what gets stored -------------------------------------------------------------------------


class StoredText:
    """Watches every INSERT and UPDATE for text the edge would refuse or remove, and for a
    megabyte stored whole."""

    def __init__(self) -> None:
        self.dirty: list[str] = []
        self.writes = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool,
                 context: Any) -> Any:  # fmt: skip
        if sql.lstrip()[:6].upper() in ("INSERT", "UPDATE") and params:
            self.writes += 1
            for value in _values(params, many):
                if not _clean_value(value):
                    self.dirty.append(f"{sql[:70]!r}: {value[:60]!r}")
        return execute(sql, params, many, context)


def _values(params: Any, many: bool) -> Iterator[str]:
    rows = params if many else [params]
    for row in rows:
        for value in row.values() if isinstance(row, dict) else row:
            if isinstance(value, str):
                yield value


def _clean_value(value: str) -> bool:
    if len(value) > 5 * TEXT_MAX or not is_clean(value.replace("\r\n", "\n")):
        return False
    if value[:1] in "{[":  # a JSON field: its strings are escaped
        try:
            return all(_clean_value(text) for text in _strings(json.loads(value)))
        except ValueError:
            return True
    return True


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, item in data.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(data, list):
        for item in data:
            yield from _strings(item)


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    cache.clear()  # rate limits, and pages cached from rows that are gone
    refcache.clear()


def session_keep(client: Client) -> None:
    """Remember the session the client is at (its step in a flow), for session_restore."""
    key = client.cookies.get(settings.SESSION_COOKIE_NAME)
    client.kept_session = key.value if key else None


def session_restore(client: Client) -> None:
    """Back to the kept session after a request that was rolled back: one that signed in or
    out, or passed a step, moved the client to a session whose row is gone, while the kept
    row is back as it was."""
    kept = getattr(client, "kept_session", None)
    if kept is None:
        client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    else:
        client.cookies[settings.SESSION_COOKIE_NAME] = kept


def client_for(role: Role | str | None, world: World) -> Client:
    client = Client()
    if role == OWNER:
        client.force_login(world.owner)
    elif role == UNVERIFIED:
        client.force_login(world.users[Role.HANDLING_OFFICER])
        session = client.session
        session.pop(DEVICE_ID_SESSION_KEY)
        session.save()
    elif role is not None:
        client.force_login(world.users[Role(role)])
    return client


class Figures:
    def __init__(self, name: str) -> None:
        self.name, self.fields, self.requests, self.started = name, 0, 0, time.monotonic()

    def report(self) -> None:
        seconds = time.monotonic() - self.started
        figures = f"{self.fields} fields, {self.requests} requests, {seconds:.1f} s"
        print(f"\n{self.name}: {figures}")  # noqa: T201 (shown with -s: the test's figures)


def text_fields(form: Any) -> dict[str, forms.CharField]:
    """The text fields of a form class, or of a form instance (whose __init__ may add some)."""
    # (the mixin and the bases have no base_fields)
    fields = form.fields if isinstance(form, forms.BaseForm) else getattr(form, "base_fields", {})
    return {n: f for n, f in fields.items() if isinstance(f, forms.CharField)}


def encode(data: dict[str, Any], name: str | None = None, raw: str = "") -> str:
    pairs = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            quoted = item if item is MEGABYTE else quote_plus(item)  # quoting 1 MB takes 0.1 s
            encoded = quoted + (raw if key == name else "")
            pairs.append(f"{quote_plus(key)}={encoded}")
    return "&".join(pairs)


def max_length_shown(field: forms.CharField) -> str:
    """The field's length message up to the count it quotes (a URL field counts the
    "https://" it adds)."""
    limit = field.max_length or TEXT_MAX
    template = field.error_messages.get("max_length", MaxLengthValidator.message)
    with translation.override("vi"):
        shown = str(template % {"limit_value": limit, "show_value": len(MEGABYTE)})
    return shown.split(str(len(MEGABYTE)))[0]
