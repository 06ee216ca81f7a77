"""Hostile text in every text field of the REST API and every Open311 parameter, and the
Open311 feeds parsed after it (issue 16, acceptance: the fuzz test; the inputs and what is
checked are described in test_hostile_input.py)."""

import html
import json
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote_plus

import pytest
from django.core.cache import cache
from django.test import Client

from danvan.api.keys import key_issue
from danvan.api.models import Scope
from danvan.api.schemas import ActionIn, CaseIn
from danvan.cases.models import Case
from danvan.core.text import is_clean

from .hostile_edges import World
from .hostile_support import INPUTS, NOT_UTF8, Figures, encode, hostile, refusal_shown, rolled_back

pytestmark = pytest.mark.django_db

# --- the REST API -------------------------------------------------------------------------------

LETTER = {
    "service_code": "ha-tang", "description": "Ổ gà lớn trên đường Nguyễn Văn Linh.",
    "title": "Ổ gà", "unit_code": "11953", "address_string": "Phường Phố Hiến",
    "name": "Trần Thị Bình", "phone": "0912345679", "email": "binh@example.vn",
    "address": "Số 3 phố Bạch Đằng, Phường Phố Hiến",
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
