"""Hostile text through the APIs: refused with a stable code and a Vietnamese message, or
cleaned, never stored as sent; the public feeds parse whatever old rows hold."""

import json
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from ninja import Schema
from pydantic import ValidationError

from danvan.api import schemas
from danvan.api.keys import key_issue
from danvan.api.models import Scope
from danvan.cases.models import Case, CaseEvent

from .rest_support import *  # noqa: F403  (the fixtures)

pytestmark = pytest.mark.usefixtures("fresh_limits")

LETTER = {
    "service_code": "ha-tang",
    "description": "Ổ gà lớn trên đường Nguyễn Văn Linh, trước trường tiểu học.",
    "unit_code": "11953",
    "name": "Trần Thị Bình",
    "phone": "0912345679",
}
CONTROL = (
    "Nội dung có một ký tự điều khiển ẩn (U+0001, ở ký tự thứ 3), không phải chữ gõ từ bàn"
    " phím. Vui lòng xóa ký tự đó rồi gửi lại."
)
BROKEN = (
    "Nội dung có ký tự bị lỗi mã hóa (U+D800, ở ký tự thứ 3), không phải ký tự Unicode hợp"
    " lệ. Vui lòng gõ lại đoạn văn bản thay vì dán vào."
)
# What an old row may hold (stored before the edge cleaned text): every class but the
# lone surrogates, which neither SQLite nor PostgreSQL would store (nor NUL, on PostgreSQL).
OLD_ROW_TEXT = "Đèn\x01\x08\x0b\x0c\x1b\x1f\x7f\x85\x9f\ufffe\uffff\u202e\u2066\u200b\ufeff hỏng"


def parse_xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 (our own response, in a test)


def post_json(body: str | bytes, **headers: Any) -> Any:
    return Client().post("/api/v1/cases", body, content_type="application/json", **headers)


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    return dict(body["error"])


def test_a_control_character_is_refused_with_its_code_and_nothing_is_stored(db):
    before = Case.objects.count()
    response = post_json(json.dumps({**LETTER, "description": "Ổ \x01gà"}))
    assert error_of(response, 400) == {
        "code": "control_character",
        "message": "Một trường văn bản có ký tự điều khiển ẩn nên chưa có gì được lưu.",
        "fields": {"description": CONTROL},
    }
    assert Case.objects.count() == before


def test_a_lone_surrogate_escape_is_refused_as_invalid_text(db):
    before = Case.objects.count()
    body = json.dumps({**LETTER, "name": "Tr"}).replace('"Tr"', '"Tr\\ud800n"')
    error = error_of(post_json(body), 400)
    assert (error["code"], error["fields"]) == ("invalid_text", {"name": BROKEN})
    assert Case.objects.count() == before


def test_broken_text_wins_over_a_control_character_and_other_wrong_fields(db):
    body = json.dumps({**LETTER, "description": "Ổ \x01gà", "lat": 500}).replace(
        '"Tr\\u1ea7n', '"Tr\\ud800'
    )
    error = error_of(post_json(body), 400)
    assert error["code"] == "invalid_text"
    assert set(error["fields"]) == {"description", "name", "lat"}


def test_bytes_that_are_not_utf8_are_invalid_json(db):
    body = json.dumps(LETTER).encode().replace(b"Nguy", b"Ng\xed\xa0\x80\xff")
    assert error_of(post_json(body), 400)["code"] == "invalid_json"


def test_invisible_formatting_is_stored_without_it(db):
    letter = {**LETTER, "name": "Trần\u202e Thị\u200b Bình", "title": "Ổ gà\u2066"}
    response = post_json(json.dumps(letter))
    assert response.status_code == 201
    case = Case.objects.get(tracking_code=response.json()["tracking_code"])
    assert (case.submitter_name, case.title) == ("Trần Thị Bình", "Ổ gà")


def test_a_megabyte_gets_the_length_message(db):
    error = error_of(post_json(json.dumps({**LETTER, "description": "a" * 1_048_576})), 400)
    assert error == {
        "code": "invalid_input",
        "message": "Một số trường còn thiếu hoặc không đúng.",
        "fields": {"description": "Nội dung quá dài."},
    }


def test_a_body_beyond_the_upload_limit_answers_in_the_error_shape(db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000
    before = Case.objects.count()
    error = error_of(post_json(json.dumps({**LETTER, "description": "a" * 60_000})), 413)
    assert (error["code"], error["fields"]) == ("payload_too_large", {})
    assert Case.objects.count() == before


def test_a_path_or_query_with_a_control_character_is_refused(db):
    error = error_of(Client().get("/api/v1/cases/track/AB%01CD"), 400)
    assert error["code"] == "control_character"


def test_a_staff_note_with_a_control_character_changes_nothing(db, case, agency_a):
    text = key_issue(name="Tổng đài 1022", agency=agency_a, scopes=[Scope.READ, Scope.ACT])[1]
    events = CaseEvent.objects.filter(case=case).count()
    response = Client().post(
        f"/api/v1/staff/cases/{case.pk}/actions/accept",
        json.dumps({"note": "ok\x1b[31m"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {text}",
    )
    assert error_of(response, 400)["code"] == "control_character"
    case.refresh_from_db()
    assert (case.status, CaseEvent.objects.filter(case=case).count()) == ("received", events)


# --- Open311 ---------------------------------------------------------------------------------


def open311_post(fields: dict[str, str]) -> Any:
    return Client().post(
        "/open311/v2/requests.json",
        urlencode(fields),
        content_type="application/x-www-form-urlencoded",
    )


def test_open311_post_refuses_a_control_character_in_its_own_names(db):
    key = key_issue(name="Đường dây nóng", agency=None, scopes=[Scope.SUBMIT])[1]
    before = Case.objects.count()
    fields = {
        "api_key": key, "service_code": "ha-tang", "attribute[unit_code]": "11953",
        "description": "Ổ \x01gà", "first_name": "An",
    }  # fmt: skip
    response = open311_post(fields)
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": f"{_message()} description: {CONTROL}"}]
    assert Case.objects.count() == before


def _message() -> str:
    return "Một trường văn bản có ký tự điều khiển ẩn nên chưa có gì được lưu."


@pytest.mark.parametrize("path", ["requests/².json", "requests/" + "9" * 30 + ".json"])
def test_open311_ids_that_are_not_numbers_are_not_found(db, path):
    response = Client().get(f"/open311/v2/{path}")
    assert (response.status_code, response.json()[0]["code"]) == (404, 404)


def test_open311_filters_with_a_nul_are_refused(db):
    response = Client().get("/open311/v2/requests.xml?service_code=ha-tang%00")
    assert response.status_code == 400
    assert parse_xml(response.content).find("error/code").text == "400"


def test_the_feeds_parse_whatever_old_rows_hold(db, letter):
    cases = [letter(), letter(title="Đèn hỏng 2")]
    old = OLD_ROW_TEXT if connection.vendor == "postgresql" else "\x00" + OLD_ROW_TEXT
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(content=old, address=old)
    xml = Client().get("/open311/v2/requests.xml")
    listed = Client().get("/open311/v2/requests.json")
    assert (xml.status_code, listed.status_code) == (200, 200)
    rows = {r.findtext("service_request_id"): r for r in parse_xml(xml.content)}
    body = {row["service_request_id"]: row for row in json.loads(listed.content)}
    for case in cases:
        assert rows[str(case.pk)].findtext("description") == "Đèn hỏng"
        assert rows[str(case.pk)].findtext("address") == "Đèn hỏng"
        assert body[str(case.pk)]["description"] == "Đèn hỏng"
    one = Client().get(f"/open311/v2/requests/{cases[0].pk}.xml")
    assert parse_xml(one.content).findtext("request/description") == "Đèn hỏng"


def test_every_text_of_every_input_schema_is_cleaned():
    inputs = [
        cls
        for cls in vars(schemas).values()
        if isinstance(cls, type) and issubclass(cls, Schema) and cls.__name__.endswith("In")
    ]
    assert {cls.__name__ for cls in inputs} >= {"CaseIn", "ActionIn"}
    for cls in inputs:
        for name, field in cls.model_fields.items():
            if "str" not in str(field.annotation):
                continue
            with pytest.raises(ValidationError) as refused:
                cls.model_validate({name: "a\x00"})
            kinds = {e["loc"][0]: e["type"] for e in refused.value.errors()}
            assert kinds[name] == "control_character", f"{cls.__name__}.{name}"
