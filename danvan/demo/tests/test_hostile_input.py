"""Hostile text in every text field of every web form, of the admin's add forms, of the REST
API and of Open311, as the demo's roles send it (issue 16, acceptance: the fuzz test).

Each field gets, one at a time and with the rest of a valid request around it: a NUL; C0
and C1 controls; invisible formatting (bidi override and isolate, zero-width space, byte
order mark) inside the valid value; bytes that are not UTF-8 (and, in JSON, a lone
surrogate escape); one megabyte. Whatever the answer, it is never a server error, nothing
stored holds a character the edge refuses or removes (every INSERT and UPDATE is watched),
a refusal names the character in Vietnamese, invisible formatting changes nothing (the
request succeeds as the valid one does), and the Open311 feeds still parse at the end.
Web requests are rolled back one by one, so each starts from the same data.
"""

import html
import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote_plus

import pytest
from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.core.validators import MaxLengthValidator
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY

from danvan.accounts.roles import Role
from danvan.api.keys import key_issue
from danvan.api.models import Scope
from danvan.api.schemas import ActionIn, CaseIn
from danvan.cases.models import Case
from danvan.core import refcache
from danvan.core.forms import TEXT_MAX, refusal_message
from danvan.core.testing import served_form_classes, totp_code
from danvan.core.text import TextRefused, clean_input, is_clean

from .hostile_edges import NO_TEXT, OWNER, UNVERIFIED, WEB_EDGES, Edge, World, world_make

pytestmark = pytest.mark.django_db

MEGABYTE = "a" * 1_048_576
NOT_UTF8 = "%ED%A0%80%FF"  # a UTF-8-encoded surrogate and a byte no UTF-8 text holds
INPUTS = ("nul", "controls", "invisible", "not_utf8", "megabyte")
API_FORMS = {"LetterForm", "PostForm"}  # posted by the REST and Open311 tests below


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


@pytest.fixture
def stored() -> Iterator[StoredText]:
    guard = StoredText()
    with connection.execute_wrapper(guard):
        yield guard
    assert guard.dirty == []


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    cache.clear()  # rate limits, and pages cached from rows that are gone
    refcache.clear()


@pytest.fixture
def world(demo_user) -> World:
    users = {role: demo_user(role) for role in Role}
    made = world_make(users)
    made.extra["totp"] = totp_code(settings.DANVAN_DEMO_TOTP_SECRET)
    return made


def _session_moved(client: Client) -> bool:
    key = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return getattr(client, "signed_in_as", None) != (key.value if key else None)


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
    key = client.cookies.get(settings.SESSION_COOKIE_NAME)
    client.signed_in_as = key.value if key else None
    return client


class Figures:
    def __init__(self, name: str) -> None:
        self.name, self.fields, self.requests, self.started = name, 0, 0, time.monotonic()

    def report(self) -> None:
        seconds = time.monotonic() - self.started
        figures = f"{self.fields} fields, {self.requests} requests, {seconds:.1f} s"
        print(f"\n{self.name}: {figures}")  # noqa: T201 (shown with -s: the test's figures)


# --- the web forms ------------------------------------------------------------------------------


def text_fields(form: Any) -> dict[str, forms.CharField]:
    fields = getattr(form, "base_fields", {})  # the mixin and the bases have none
    return {n: f for n, f in fields.items() if isinstance(f, forms.CharField)}


def encode(data: dict[str, Any], name: str | None = None, raw: str = "") -> str:
    pairs = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            quoted = item if item is MEGABYTE else quote_plus(item)  # quoting 1 MB takes 0.1 s
            encoded = quoted + (raw if key == name else "")
            pairs.append(f"{quote_plus(key)}={encoded}")
    return "&".join(pairs)


def send(client: Client, edge: Edge, url: str, body: str) -> Any:
    if edge.method == "get":
        return client.get(f"{url}?{body}")
    kind = "application/x-www-form-urlencoded"
    return client.post(url, body, content_type=kind, follow=edge.follow)


def max_length_shown(field: forms.CharField) -> str:
    """The field's length message up to the count it quotes (a URL field counts the
    "https://" it adds)."""
    limit = field.max_length or TEXT_MAX
    template = field.error_messages.get("max_length", MaxLengthValidator.message)
    with translation.override("vi"):
        shown = str(template % {"limit_value": limit, "show_value": len(MEGABYTE)})
    return shown.split(str(len(MEGABYTE)))[0]


def web_problems(edge: Edge, world: World, figures: Figures) -> list[str]:
    client, url, data = client_for(edge.role, world), edge.url(world), edge.data(world)
    problems: list[str] = []
    with rolled_back():
        status = send(client, edge, url, encode(data)).status_code
    if status != edge.success:
        return [f"{edge.form.__name__}: the valid post answered {status}"]
    for name, field in text_fields(edge.form).items():
        figures.fields += 1
        for kind in INPUTS:
            figures.requests += 1
            if _session_moved(client):  # a valid post signed in or out, then was rolled back
                client = client_for(edge.role, world)
            with rolled_back():
                problems += _web_check(client, edge, url, data, name, field, kind)
    return problems


def _web_check(client: Client, edge: Edge, url: str, data: dict[str, Any], name: str,
               field: forms.CharField, kind: str) -> list[str]:  # fmt: skip
    value = str(data.get(name, ""))
    if kind == "not_utf8":
        body = encode(data, name, NOT_UTF8)
    else:
        body = encode({**data, name: hostile(kind, value)})
    response = send(client, edge, url, body)
    page = response.content.decode()
    where = f"{edge.form.__name__}.{name} {kind}"
    expected, shown = _web_expected(edge, field, kind, value)
    if expected is not None and response.status_code != expected:
        return [f"{where}: answered {response.status_code}, not {expected}"]
    if response.status_code >= 500:
        return [f"{where}: server error {response.status_code}"]
    if shown and html.escape(shown, quote=False) not in page:
        return [f"{where}: the page does not say {shown!r}"]
    return []


def _web_expected(edge: Edge, field: forms.CharField, kind: str,
                  value: str) -> tuple[int | None, str]:  # fmt: skip
    """The status the post must answer (None: any below 500) and the message it shows."""
    hidden = isinstance(field.widget, forms.HiddenInput)
    if isinstance(field.widget, forms.PasswordInput):  # kept as typed, so simply wrong
        nul = "Nội dung không được chứa ký tự rỗng (NUL)."
        return (None, "") if kind == "not_utf8" else (edge.invalid, nul if kind == "nul" else "")
    if kind == "invisible":
        return edge.success, ""
    if kind == "not_utf8":
        return None, ""
    if kind == "megabyte":
        return edge.invalid, "" if hidden else max_length_shown(field)
    return edge.invalid, "" if hidden else refusal_shown(kind, value)


def test_every_web_form_is_in_the_fuzzing():
    admins = [
        m for model, m in admin.site._registry.items() if model.__module__.startswith("danvan.")
    ]
    fuzzed = {edge.form for edge in WEB_EDGES} | {m.form for m in admins}
    fuzzed |= {m.add_form for m in admins if hasattr(m, "add_form")}
    missing = {
        cls.__qualname__
        for cls in served_form_classes() - fuzzed - NO_TEXT
        if text_fields(cls) and cls.__qualname__ not in API_FORMS
    }
    assert missing == set()
    assert all(text_fields(cls) == {} for cls in NO_TEXT)


def test_hostile_text_in_every_web_form(world, stored):
    figures = Figures("web forms")
    problems = [p for edge in WEB_EDGES for p in web_problems(edge, world, figures)]
    figures.report()
    assert problems == [], "\n".join(problems)
    assert figures.fields >= 75  # 75 when written


# --- the admin's add forms ----------------------------------------------------------------------


def admin_problems(model_admin: Any, client: Client, request: Any, figures: Figures) -> list[str]:
    """The add form, and the change form when it is another class (the users')."""
    meta = model_admin.model._meta
    url = f"/admin/{meta.app_label}/{meta.model_name}/"
    pages = [(url + "add/", model_admin.get_form(request))]
    if getattr(model_admin, "add_form", model_admin.form) is not model_admin.form:
        first = model_admin.model.objects.order_by("pk").first()
        pages.append((f"{url}{first.pk}/change/", model_admin.get_form(request, first)))
    problems: list[str] = []
    for page, form in pages:
        for name, field in text_fields(form).items():
            if not isinstance(field.widget, forms.PasswordInput):
                figures.fields += 1
                problems += _admin_field_problems(client, page, name, field, figures)
    return problems


def _admin_field_problems(client: Client, url: str, name: str, field: forms.CharField,
                          figures: Figures) -> list[str]:  # fmt: skip
    problems = []
    for kind in ("nul", "controls", "megabyte"):
        figures.requests += 1
        with rolled_back():
            response = client.post(url, {name: hostile(kind, "An")})
        shown = max_length_shown(field) if kind == "megabyte" else refusal_shown(kind, "An")
        if response.status_code != 200 or shown not in response.content.decode():
            problems.append(f"{url} {name} {kind}: {response.status_code}, no {shown!r}")
    return problems


def test_hostile_text_in_every_admin_add_form(world, stored):
    figures = Figures("admin add forms")
    user = world.users[Role.ADMINISTRATOR]
    client, request = client_for(Role.ADMINISTRATOR, world), RequestFactory().get("/admin/")
    request.user = user
    ours = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("danvan.") and model_admin.has_add_permission(request)
    ]
    with translation.override("vi"):
        problems = [p for m in ours for p in admin_problems(m, client, request, figures)]
    figures.report()
    assert problems == [], "\n".join(problems)
    assert len(ours) >= 12


# --- the REST API -------------------------------------------------------------------------------

LETTER = {
    "service_code": "ha-tang", "description": "Ổ gà lớn trên đường Nguyễn Văn Linh.",
    "title": "Ổ gà", "unit_code": "11953", "address_string": "Phường Phố Hiến",
    "name": "Trần Thị Bình", "phone": "0912345679", "email": "binh@example.vn",
    "media_url": "https://example.vn/o-ga.jpg",
}  # fmt: skip
# ActionIn field -> (the case to act on, the action, a valid body)
ACTIONS = {
    "note": ("received", "classify", {"kind": "feedback", "note": "Đúng lĩnh vực."}),
    "topic_code": ("received", "classify", {"kind": "feedback", "topic_code": "ha-tang"}),
    "reason": ("received", "decline", {"reason": "duplicate", "note": "Trùng đơn."}),
    "agency_code": ("received", "forward", {"agency_code": "hy-so-xd", "note": "Thuộc Sở."}),
    "variant": ("classified", "accept", {"variant": ""}),
    "answer": ("handling", "resolve", {"answer": "Đã sửa xong."}),
}
SURROGATE = "\udcff"  # a placeholder json.dumps escapes, replaced by the hostile bytes


def json_body(body: dict[str, str], name: str, kind: str) -> str | bytes:
    if kind in ("nul", "controls", "invisible", "megabyte"):
        return json.dumps({**body, name: hostile(kind, body[name])})
    text = json.dumps({**body, name: body[name] + SURROGATE})
    if kind == "surrogate":
        return text.replace("\\udcff", "\\ud800")
    return text.replace("\\udcff", "@raw@").encode().replace(b"@raw@", b"\xed\xa0\x80\xff")


def api_expected(kind: str, value: str, success: int) -> tuple[int, str, str]:
    """(status, error code, message of the field) a JSON request must answer."""
    if kind in ("nul", "controls"):
        return 400, "control_character", refusal_shown(kind, value)
    return {
        "invisible": (success, "", ""),
        "surrogate": (400, "invalid_text", "U+D800"),
        "not_utf8": (400, "invalid_json", ""),
        "megabyte": (400, "invalid_input", "Nội dung quá dài."),
    }[kind]


def api_check(where: str, response: Any, expected: tuple[int, str, str], name: str) -> list[str]:
    status, code, message = expected
    if response.status_code != status:
        return [
            f"{where}: answered {response.status_code}, not {status}: {response.content[:200]!r}"
        ]
    if not code:
        return []
    error = response.json()["error"]
    if error["code"] != code or message not in error["fields"].get(name, ""):
        return [f"{where}: {error}"]
    return []


API_INPUTS = ("nul", "controls", "invisible", "surrogate", "not_utf8", "megabyte")


def string_fields(schema: Any) -> list[str]:
    return [n for n, f in schema.model_fields.items() if "str" in str(f.annotation)]


def test_hostile_text_in_the_rest_api(world, stored):
    figures = Figures("REST API")
    problems = []
    for name in string_fields(CaseIn):
        figures.fields += 1
        for kind in API_INPUTS:
            figures.requests += 1
            cache.clear()
            body = json_body(LETTER, name, kind)
            response = Client().post("/api/v1/cases", body, content_type="application/json")
            expected = api_expected(kind, LETTER[name], 201)
            problems += api_check(f"cases.{name} {kind}", response, expected, name)
    problems += _staff_problems(world, figures)
    figures.report()
    assert problems == [], "\n".join(problems)
    assert set(ACTIONS) == set(string_fields(ActionIn))


def _staff_problems(world: World, figures: Figures) -> list[str]:
    agency = world.cases["received"].agency
    key = key_issue(name="Tổng đài", agency=agency, scopes=[Scope.READ, Scope.ACT])[1]
    client, problems = Client(HTTP_AUTHORIZATION=f"Bearer {key}"), []
    for name, (case, action, body) in ACTIONS.items():
        url = f"/api/v1/staff/cases/{world.cases[case].pk}/actions/{action}"
        figures.fields += 1
        for kind in API_INPUTS:
            figures.requests += 1
            with rolled_back():
                response = client.post(url, json_body(body, name, kind), "application/json")
            expected = api_expected(kind, body[name], 200)
            problems += api_check(f"{action}.{name} {kind}", response, expected, name)
    code = world.cases["received"].tracking_code
    for url, value in [("/api/v1/cases/track/{}", code), ("/api/v1/staff/cases?topic={}", "ha-tang"),
                       ("/api/v1/staff/cases?after={}", "")]:  # fmt: skip
        figures.fields += 1
        for kind in ("nul", "controls"):
            figures.requests += 1
            response = client.get(url.format(quote_plus(hostile(kind, value))))
            name = "tracking_code" if "track" in url else url.rsplit("?", 1)[1].split("=")[0]
            problems += api_check(f"{url} {kind}", response, api_expected(kind, value, 200), name)
    return problems


# --- Open311 ------------------------------------------------------------------------------------

OPEN311 = {
    "service_code": "ha-tang", "attribute[unit_code]": "11953", "attribute[kind]": "feedback",
    "description": "Cống thoát nước tắc ở tổ 3.", "address_string": "Phường Phố Hiến",
    "email": "tu@example.vn", "phone": "0912345670", "media_url": "https://example.vn/c.jpg",
    "address_id": "A-1", "device_id": "D-1", "account_id": "C-1", "first_name": "Tư",
    "last_name": "Nguyễn Văn", "attribute[name]": "Nguyễn Văn Tư",
}  # fmt: skip
OPEN311_FILTERS = {"service_code": "ha-tang", "status": "open", "service_request_id": "1",
                   "start_date": "2026-11-01T00:00:00+07:00", "end_date": ""}  # fmt: skip


def open311_expected(kind: str, value: str) -> tuple[int | None, str]:
    if kind in ("nul", "controls"):
        return 400, refusal_shown(kind, value)
    return {"invisible": (201, ""), "not_utf8": (None, ""), "megabyte": (400, "")}[kind]


def test_hostile_text_in_open311_and_the_feeds_still_parse(world, stored):
    figures = Figures("Open311")
    key = key_issue(name="Đường dây nóng", agency=None, scopes=[Scope.SUBMIT])[1]
    data, problems = {"api_key": key, **OPEN311}, []
    for name in OPEN311:
        figures.fields += 1
        for kind in INPUTS:
            figures.requests += 1
            cache.clear()
            raw = NOT_UTF8 if kind == "not_utf8" else ""
            fields = data if raw else {**data, name: hostile(kind, OPEN311[name])}
            body = encode(fields, name, raw)
            response = Client().post("/open311/v2/requests.json", body,
                                     content_type="application/x-www-form-urlencoded")  # fmt: skip
            problems += _open311_check(f"POST {name} {kind}", response, kind, OPEN311[name])
    problems += _filter_problems(figures)
    problems += _feeds_problems()
    figures.report()
    assert problems == [], "\n".join(problems)


def _open311_check(where: str, response: Any, kind: str, value: str) -> list[str]:
    status, shown = open311_expected(kind, value)
    if response.status_code >= 500 or (status is not None and response.status_code != status):
        return [f"{where}: answered {response.status_code}: {response.content[:200]!r}"]
    if shown and shown not in response.json()[0]["description"]:
        return [f"{where}: {response.json()}"]
    return []


def _filter_problems(figures: Figures) -> list[str]:
    problems = []
    for name, value in OPEN311_FILTERS.items():
        figures.fields += 1
        for kind in ("nul", "controls", "invisible"):
            figures.requests += 1
            query = encode({**OPEN311_FILTERS, name: hostile(kind, value)})
            response = Client().get(f"/open311/v2/requests.json?{query}")
            expected = (200, "") if kind == "invisible" else open311_expected(kind, value)
            status, shown = expected
            body = response.content.decode()
            if response.status_code != status or html.escape(shown) not in html.escape(body):
                problems.append(f"GET {name} {kind}: {response.status_code} {body[:200]}")
    return problems


def _feeds_problems() -> list[str]:
    xml = Client().get("/open311/v2/requests.xml")
    listed = Client().get("/open311/v2/requests.json")
    rows = ET.fromstring(xml.content)  # noqa: S314 (our own response, in a test)
    body = json.loads(listed.content)
    filed = Case.objects.filter(channel="api").count()
    texts = [text for row in body for text in row.values() if isinstance(text, str)]
    if not (len(rows) == len(body) >= filed > 0) or not all(is_clean(t) for t in texts):
        return [f"feeds: {len(rows)} XML rows, {len(body)} JSON rows, {filed} letters filed"]
    return []
