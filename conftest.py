"""Shared fixtures: the demo province is loaded once per test database."""

import errno
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.core.files.storage import storages
from django.test import Client

from danvan.accounts.models import User
from danvan.accounts.roles import Role
from danvan.demo.services import demo_accounts, demo_load

DEMO_PASSWORD = "Demo-Password-2026"
FROZEN_NOW = "2026-11-23 09:00:00+07:00"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Units (old and new) and the demo province, loaded once: tests run in transactions."""
    with django_db_blocker.unblock(), time_machine.travel(FROZEN_NOW, tick=False):
        demo_load(password=DEMO_PASSWORD)


@pytest.fixture(autouse=True)
def frozen_time(request: pytest.FixtureRequest) -> Iterator[time_machine.Traveller | None]:
    """Every test runs at a fixed instant, except browser journeys against a real server."""
    if request.node.get_closest_marker("e2e"):
        yield None
        return
    with time_machine.travel(FROZEN_NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def fresh_reference_data() -> Iterator[None]:
    """Each test starts without reference data a previous test kept in memory: the rows it
    read were rolled back with that test's transaction."""
    from danvan.core import refcache

    refcache.clear()
    yield
    refcache.clear()


@pytest.fixture(scope="session", autouse=True)
def officials_pass_the_second_factor() -> Iterator[None]:
    """`Client.force_login` stands for a whole sign-in: an official's session is also marked
    as having passed two-step verification (django-otp's session key, with the user's
    device, or one made with the demo key). The 2FA tests take the mark off again."""
    from django.conf import settings
    from django_otp import DEVICE_ID_SESSION_KEY

    from danvan.accounts import twofactor

    original = Client.force_login

    def force_login(self: Client, user: User, backend: str | None = None) -> None:
        original(self, user, backend)
        fresh = User.objects.get(pk=user.pk)  # roles are cached on the instance
        if twofactor.needs_two_factor(fresh):
            device = twofactor.confirmed_device(fresh) or twofactor.device_ensure(
                fresh, secret=settings.DANVAN_DEMO_TOTP_SECRET
            )
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "force_login", force_login)
        yield


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Callable[[bool], None]:
    """`full_disk(True)`: every write to the file storage fails as a full disk does;
    `full_disk(False)` frees it again."""
    kind = type(storages["default"])
    real_save = kind._save

    def fail(*args: Any, **kwargs: Any) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    def switch(full: bool) -> None:
        monkeypatch.setattr(kind, "_save", fail if full else real_save)

    return switch


@pytest.fixture
def demo_user(db):
    """The demo account for a role: `demo_user(Role.HEAD)`."""
    logins = {a.role: a.login for a in demo_accounts()}

    def get(role: Role) -> User:
        login = logins[role]
        if "@" in login:
            return User.objects.get(email=login)
        return User.objects.get(phone="+84" + login[1:])

    return get


@pytest.fixture
def client_as(demo_user):
    """A test client signed in as the demo account of a role (or anonymous for None);
    officials have passed two-step verification (see officials_pass_the_second_factor)."""

    def make(role: Role | None) -> Client:
        client = Client()
        if role is not None:
            client.force_login(
                demo_user(role), backend="danvan.accounts.backends.EmailOrPhoneBackend"
            )
        return client

    return make


@pytest.fixture(scope="session")
def live_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The platform as `make run` starts it (gunicorn, task worker, demo data) on a free port.

    It serves its own SQLite database whatever the test database is, so the PostgreSQL run
    (`make pytest-postgres`) skips what needs it: the SQLite run already covers it."""
    from django.db import connection

    from testsupport.platform import running_platform

    if connection.vendor != "sqlite":
        pytest.skip("serves its own SQLite database: covered by the SQLite run")

    with running_platform(tmp_path_factory.mktemp("platform"), password=DEMO_PASSWORD) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    from testsupport.platform import chromium

    # Playwright's sync API keeps an event loop running in this thread while the browser
    # lives; Django would then refuse database calls of later tests as "async" ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with chromium() as browser:
        yield browser


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """`new_page({"width": 360, "height": 740})`: a page in a fresh browser context, in
    Vietnamese, as a phone when narrower than 600 px; the contexts close after the test."""
    contexts: list[Any] = []

    def make(viewport: dict[str, int]) -> Any:
        context = browser.new_context(
            viewport=viewport, locale="vi-VN", is_mobile=viewport["width"] < 600
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
