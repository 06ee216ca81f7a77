"""Helpers for tests that need the real platform: a served instance and a browser."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from base64 import b32decode
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from django import forms
from django.conf import settings
from django.urls import URLPattern, get_resolver
from django_otp.oath import hotp

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
START_TIMEOUT = 60
# The demo password of each platform `running_platform` serves, by base URL (for sign_in).
_PASSWORDS: dict[str, str] = {}
_COMMANDS: dict[str, tuple[list[str], dict[str, str]]] = {}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_platform(var_dir: Path, *, password: str) -> Iterator[str]:
    """Migrate a fresh SQLite database, load the demo, serve it; yields the base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DANVAN_VAR_DIR": str(var_dir),
        "DJANGO_SECRET_KEY": "e2e-secret-key-not-for-production",
        "DANVAN_IDENTITY_KEYS": "ZTJlLW9ubHktaWRlbnRpdHkta2V5LTMyLWJ5dGVzLi4=",
        "DEMO_PASSWORD": password,
        "WEB_WORKERS": "1",
    }
    env.pop("DANVAN_IDENTITY_KEYS_FILE", None)
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    for step in (
        ["migrate", "-v", "0"],
        ["load_demo", "--letters", "30"],
        ["collectstatic", "--no-input", "-v", "0"],
    ):
        subprocess.run([*manage, *step], env=env, check=True, capture_output=True)  # noqa: S603
    log = (var_dir / "serve.log").open("wb")
    server = subprocess.Popen(  # noqa: S603
        [*manage, "serve", "--bind", f"127.0.0.1:{port}"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    _PASSWORDS[url] = password
    _COMMANDS[url] = (manage, env)
    try:
        _wait_until_served(url, server)
        yield url
    finally:
        _PASSWORDS.pop(url, None)
        _COMMANDS.pop(url, None)
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _wait_until_served(url: str, server: subprocess.Popen[Any]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the platform exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"the platform did not answer at {url} within {START_TIMEOUT}s")


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=START_TIMEOUT * 1000
        )
        try:
            yield browser
        finally:
            browser.close()


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The 6-digit TOTP code (30-second steps) of a base32 key at a Unix time (now)."""
    text = secret.replace(" ", "").upper()
    key = b32decode(text + "=" * (-len(text) % 8))
    return f"{hotp(key, int(time.time() if at is None else at) // 30, digits=6):06d}"


def sign_in(
    page: Any, base: str, login: str, password: str | None = None, *, lands_on: str = "/staff/",
    totp_secret: str | None = None,
) -> None:  # fmt: skip
    """Sign in through the real login form, then the second factor of an official.

    The password is the demo password the platform at `base` was started with, unless given.
    The code comes from the demo officials' published key (DANVAN_DEMO_TOTP_SECRET), unless
    `totp_secret` is given. A code is accepted once per device: when the same account signed
    in within the last 30 seconds, the next step's code (inside the ±1 step tolerance) goes in.
    """
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email hoặc số điện thoại di động").fill(login)
    page.get_by_label("Mật khẩu").fill(password or _PASSWORDS[base])
    page.get_by_role("button", name="Đăng nhập").last.click()
    page.wait_for_load_state()
    if "/accounts/two-factor/" in page.url:
        second_factor(page, totp_secret or str(settings.DANVAN_DEMO_TOTP_SECRET))
    page.wait_for_url(base + lands_on)


def second_factor(page: Any, secret: str) -> None:
    """Type the TOTP code on the second step; a code is accepted once per device, so when the
    account signed in within the last 30 seconds the next step's code (inside the tolerance)
    goes in."""
    for ahead in (0, 30):
        if ahead:
            time.sleep(1.1)  # the throttle after one wrong code
        page.locator("input[name=code]").fill(totp_code(secret, at=time.time() + ahead))
        page.locator("form:has(input[name=code]) button[type=submit]").click()
        page.wait_for_load_state()
        if "/accounts/two-factor/" not in page.url:
            return


def run_command(base: str, *args: str) -> None:
    """Run a management command on the database of the platform served at `base`, as its
    scheduler would (e.g. `refresh_insights` before reading the roll-up's figures)."""
    manage, env = _COMMANDS[base]
    subprocess.run([*manage, *args], env=env, check=True, capture_output=True)  # noqa: S603


def serious_accessibility_violations(page: Any) -> list[str]:
    """axe-core's serious and critical findings on the page, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _url_patterns() -> list[Any]:
    """Every pattern of the URL conf (resolving every include imports every view module)."""
    found: list[Any] = []
    pending: list[Any] = list(get_resolver().url_patterns)
    while pending:
        found.append(pending.pop())
        pending.extend(getattr(found[-1], "url_patterns", []))
    return found


def view_modules() -> set[ModuleType]:
    """The project's modules whose views the URL conf routes to."""
    callbacks = [p.callback for p in _url_patterns() if isinstance(p, URLPattern)]
    names = {callback.__module__ for callback in callbacks}
    return {sys.modules[name] for name in names if name.startswith("danvan.")}


def served_form_classes() -> set[type[forms.BaseForm]]:
    """The project's form classes that the URL conf reaches (its views import them)."""
    _url_patterns()  # imports every view module, and the forms they import
    found: set[type[forms.BaseForm]] = set()
    classes: list[type[forms.BaseForm]] = [forms.BaseForm]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        if cls.__module__.startswith("danvan.") and ".tests" not in cls.__module__:
            found.add(cls)
    return found
