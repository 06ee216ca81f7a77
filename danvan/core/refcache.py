"""Reference data read on every request (topics, communes, rules, routing, API keys), kept
in memory per process until it changes.

    @reference(Topic, KeywordRule)
    def topics_by_code() -> dict[str, Topic]: ...

A decorated function runs once per process and argument list; its value is reused until a
watched model changes. A save or delete in this process drops every value at once; after its
transaction commits it also bumps the counter row `core.Generation("reference")`, and every
other process (another web server or worker, the admin on another machine) compares that
counter with the one it last saw at most every `DANVAN_REFERENCE_CHECK_SECONDS` (1 s by
default; `inf` for a process alone, as in tests), dropping its values when it moved.
`QuerySet.update()`, `bulk_create()` and raw SQL send no signals: code that changes reference
data that way calls `changed()` afterwards.

Values are shared by every thread and request of the process: never modify one.
"""

import functools
import math
import threading
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

P = ParamSpec("P")
R = TypeVar("R")
NAME = "reference"
MAX_ENTRIES = 4096  # per function: arguments from requests (API key prefixes) stay bounded

memos: list["_Memo"] = []  # every memoised function of the process
_watched: set[type[models.Model]] = set()
state = {"seen": None, "checked": float("-inf")}  # the generation last seen, and when
_lock = threading.Lock()


class _Memo:
    def __init__(self, load: Callable[..., Any]) -> None:
        self.load = load
        self.values: dict[Any, Any] = {}
        self.epoch = 0
        self.lock = threading.Lock()

    def get(self, args: tuple[Any, ...]) -> Any:
        try:
            return self.values[args]
        except KeyError:
            pass
        with self.lock:
            if args in self.values:
                return self.values[args]
            epoch = self.epoch
            value = self.load(*args)
            if epoch == self.epoch:  # not dropped while loading: the value is current
                if len(self.values) >= MAX_ENTRIES:
                    self.values.clear()
                self.values[args] = value
            return value

    def drop(self) -> None:
        self.epoch += 1
        self.values = {}


def reference(*watched: type[models.Model]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Keep the function's values (by positional arguments) until a `watched` model changes."""

    def wrap(load: Callable[P, R]) -> Callable[P, R]:
        memo = _Memo(load)
        memos.append(memo)
        for model in watched:
            _watch(model)

        @functools.wraps(load)
        def cached(*args: P.args, **kwargs: P.kwargs) -> R:
            if kwargs:
                raise TypeError("reference functions take positional arguments only")
            _check_others()
            return memo.get(args)  # type: ignore[no-any-return]

        return cached

    return wrap


def changed() -> None:
    """Reference data changed without a model signal: drop here, tell the others on commit."""
    clear()
    connection = transaction.get_connection()
    if not any(entry[1] is _bump for entry in connection.run_on_commit):  # once a transaction
        transaction.on_commit(_bump, robust=True)


def clear() -> None:
    """Drop every value of this process (tests call it before each test)."""
    for memo in memos:
        memo.drop()


def _watch(model: type[models.Model]) -> None:
    if model in _watched:
        return
    _watched.add(model)
    post_save.connect(_on_change, sender=model, weak=False)
    post_delete.connect(_on_change, sender=model, weak=False)
    for field in model._meta.local_many_to_many:
        m2m_changed.connect(_on_change, sender=field.remote_field.through, weak=False)


def _on_change(**kwargs: Any) -> None:
    if kwargs.get("raw"):  # loaddata: nothing cached refers to fixtures being loaded
        return
    changed()


def _bump() -> None:
    from .models import Generation

    if not Generation.objects.filter(name=NAME).update(value=models.F("value") + 1):
        Generation.objects.get_or_create(name=NAME)
    clear()  # what another thread loaded before the commit was the old data


def _check_others() -> None:
    every = settings.DANVAN_REFERENCE_CHECK_SECONDS
    now = time.monotonic()
    if every == math.inf or now - state["checked"] < every:  # type: ignore[operator]
        return  # inf: this process is alone (tests), its own changes are seen at once
    from .models import Generation

    with _lock:
        state["checked"] = now
        seen = Generation.objects.filter(name=NAME).values_list("value", flat=True).first()
        if seen != state["seen"]:
            for memo in memos:
                memo.drop()
            state["seen"] = seen
