"""Open311 GeoReport v2: every endpoint in XML and JSON, checked against the spec's fields."""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from danvan.accounts.roles import Role
from danvan.api.errors import ApiError
from danvan.api.keys import key_issue, key_revoke
from danvan.cases.models import Attachment, Case, CaseEvent, Notification, Topic
from danvan.cases.queries import QueueFilters, case_queue

from .open311_support import *  # noqa: F403  (the fixtures)
from .open311_support import (
    ATTRIBUTE_FIELDS,
    BASE,
    DEFINITION_FIELDS,
    DISCOVERY_FIELDS,
    ENDPOINT_FIELDS,
    FORMATS,
    POST_RESPONSE_FIELDS,
    REQUEST_FIELDS,
    SERVICE_FIELDS,
    TOKEN_FIELDS,
    VALUE_FIELDS,
    error_of,
    get,
    letter_fields,
    parsed,
    post,
    records,
    tags,
)

# --- discovery and services


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_lists_this_endpoint_in_both_formats(db, fmt):
    response = get("discovery", fmt)
    assert response.status_code == 200
    body = parsed(response, fmt)
    if fmt == "json":
        assert set(body) == DISCOVERY_FIELDS
        (endpoint,) = body["endpoints"]
        formats = endpoint["formats"]
    else:
        assert body.tag == "discovery"
        assert tags(body) == DISCOVERY_FIELDS
        (node,) = body.find("endpoints")
        assert node.tag == "endpoint"
        endpoint = {child.tag: child.text for child in node}
        formats = [f.text for f in node.find("formats") if f.tag == "format"]
    assert set(endpoint) == ENDPOINT_FIELDS
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["type"] == "production"
    assert formats == ["text/xml", "application/json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_are_the_public_active_topics(db, fmt):
    Topic.objects.filter(code="khac").update(is_active=False)
    Topic.objects.filter(code="y-te").update(is_public=False)
    rows = records(get("services", fmt), fmt, "services", "service")
    assert all(set(row) == SERVICE_FIELDS for row in rows)
    expected = set(
        Topic.objects.filter(is_public=True, is_active=True).values_list("code", flat=True)
    )
    assert {row["service_code"] for row in rows} == expected
    assert "khac" not in expected
    assert "y-te" not in expected
    by_code = {row["service_code"]: row for row in rows}
    assert by_code["rac-thai"]["group"] == "Môi trường"
    assert by_code["ha-tang"]["group"] == ""
    assert by_code["ha-tang"]["type"] == "realtime"
    assert by_code["ha-tang"]["metadata"] in (True, "true")


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_has_the_attributes(db, fmt):
    response = get("services/ha-tang", fmt)
    assert response.status_code == 200
    body = parsed(response, fmt)
    if fmt == "json":
        assert set(body) == DEFINITION_FIELDS
        attributes = body["attributes"]
        values = {a["code"]: [v["key"] for v in a["values"]] for a in attributes}
        value_fields = [set(v) for a in attributes for v in a["values"]]
        assert all(a["variable"] is True and a["required"] is False for a in attributes)
    else:
        assert body.tag == "service_definition"
        assert tags(body) == DEFINITION_FIELDS
        nodes = list(body.find("attributes"))
        assert {n.tag for n in nodes} == {"attribute"}
        attributes = [{c.tag: c.text for c in n} for n in nodes]
        values = {n.findtext("code"): [v.findtext("key") for v in n.find("values")] for n in nodes}
        value_fields = [tags(v) for n in nodes for v in n.find("values")]
        assert all(a["variable"] == "true" and a["required"] == "false" for a in attributes)
    assert all(set(a) == ATTRIBUTE_FIELDS for a in attributes)
    assert all(fields == VALUE_FIELDS for fields in value_fields)
    assert [a["code"] for a in attributes] == ["kind", "unit_code", "name", "address"]
    assert values["kind"] == ["feedback", "petition", "complaint"]
    assert "11953" in values["unit_code"]
    assert values["name"] == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_service_definition_is_404(db, fmt):
    error_of(get("services/no-such-topic", fmt), fmt, 404)


# --- filing a request


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_files_a_letter_the_agency_sees_with_its_deadline(submit_key, demo_user, fmt):
    response = post(fmt, letter_fields(api_key=submit_key))
    assert response.status_code == 201
    (row,) = records(response, fmt, "service_requests", "request")
    assert set(row) == POST_RESPONSE_FIELDS
    case = Case.objects.get(pk=int(row["service_request_id"]))
    assert case.idempotency_key == f"open311:{row['token']}"
    assert case.due_on is not None
    assert case.tracking_code in row["service_notice"]  # only here, never in a GET
    assert f"{case.due_on:%d/%m/%Y}" in row["service_notice"]
    assert row["account_id"] == "app-42"
    assert case.submitter_name == "Lê Thị Hoa"
    assert case.unit.code == "11953"
    handler = demo_user(Role.HANDLING_OFFICER)
    queue = case_queue(user=handler, filters=QueueFilters()).cases
    assert case in queue

    (read,) = records(get(f"requests/{case.pk}", fmt), fmt, "service_requests", "request")
    assert set(read) == REQUEST_FIELDS
    assert read["service_request_id"] == str(case.pk)
    (tok,) = records(get(f"tokens/{row['token']}", fmt), fmt, "service_requests", "request")
    assert set(tok) == TOKEN_FIELDS
    assert tok == {"service_request_id": str(case.pk), "token": row["token"]}

    # The same id through the REST API, for the agency's key; the citizen's code tracks it.
    staff_key = key_issue(name="Phần mềm một cửa", agency=case.agency, scopes=["cases:read"])[1]
    auth = {"Authorization": f"Bearer {staff_key}"}
    detail = Client().get(f"/api/v1/staff/cases/{row['service_request_id']}", headers=auth).json()
    assert (detail["id"], detail["due_on"]) == (case.pk, case.due_on.isoformat())
    assert detail["channel"] == "api"
    tracked = Client().get(f"/api/v1/cases/track/{case.tracking_code}").json()
    assert tracked["status"] == "received"


def test_post_accepts_multipart_and_the_attributes(submit_key):
    fields = letter_fields(api_key=submit_key)
    fields.update({"attribute[kind]": "petition", "attribute[name]": "Tổ dân phố số 3"})
    del fields["lat"], fields["long"]
    response = Client().post(f"{BASE}/requests.json", fields)  # the test client: multipart
    assert response.status_code == 201
    case = Case.objects.get(pk=int(response.json()[0]["service_request_id"]))
    assert case.kind == "petition"
    assert case.submitter_name == "Tổ dân phố số 3"
    assert case.channel == "api"


@pytest.mark.parametrize(
    ("header", "language"), [({}, "vi"), ({"HTTP_ACCEPT_LANGUAGE": "en"}, "en")]
)
def test_notice_is_in_the_callers_language_vietnamese_by_default(submit_key, header, language):
    response = post("json", letter_fields(api_key=submit_key), **header)
    case = Case.objects.get(pk=int(response.json()[0]["service_request_id"]))
    with translation.override(language):
        expected = gettext("Tracking code: %(code)s; deadline: %(due)s") % {
            "code": case.tracking_code,
            "due": case.due_on.strftime("%d/%m/%Y"),
        }
    assert response.json()[0]["service_notice"] == expected


REUSED = (
    "Idempotency-Key này đã được dùng cho một đơn khác nên không có gì được lưu."
    " Hãy gửi đơn mới với một khóa mới."
)


def stored_rows():
    return tuple(m.objects.count() for m in (Case, Attachment, Notification, CaseEvent))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_retry_with_the_same_idempotency_key_gets_the_first_request(submit_key, fmt):
    key = {"headers": {"Idempotency-Key": "hotline-2026-0001"}}
    first = post(fmt, letter_fields(api_key=submit_key), **key)
    assert first.status_code == 201
    (row,) = records(first, fmt, "service_requests", "request")
    before = stored_rows()
    again = post(fmt, letter_fields(api_key=submit_key), **key)
    assert again.status_code == 200
    assert records(again, fmt, "service_requests", "request") == [row]
    assert stored_rows() == before
    (tok,) = records(get(f"tokens/{row['token']}", fmt), fmt, "service_requests", "request")
    assert tok == {"service_request_id": row["service_request_id"], "token": row["token"]}
    # Without the key, or under another API key, the same letter is a new one.
    other = key_issue(name="Đường dây nóng 2", agency=None, scopes=["submit"])[1]
    assert post(fmt, letter_fields(api_key=other), **key).status_code == 201
    assert post(fmt, letter_fields(api_key=submit_key)).status_code == 201
    assert Case.objects.count() == before[0] + 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_idempotency_key_with_another_letter_is_refused(submit_key, fmt):
    key = {"headers": {"Idempotency-Key": "hotline-2026-0002"}}
    first = post(fmt, letter_fields(api_key=submit_key), **key)
    (row,) = records(first, fmt, "service_requests", "request")
    before = stored_rows()
    edited = letter_fields(api_key=submit_key, description="Ống thoát nước bị vỡ, nước tràn.")
    response = post(fmt, edited, **key)
    assert error_of(response, fmt, 422) == REUSED
    assert row["token"] not in response.content.decode()
    assert stored_rows() == before


def test_an_overlong_idempotency_key_is_refused(submit_key):
    response = post(
        "json", letter_fields(api_key=submit_key), headers={"Idempotency-Key": "k" * 65}
    )
    assert (
        error_of(response, "json", 400)
        == "Một số trường còn thiếu hoặc không đúng. Idempotency-Key: Nội dung quá dài."
    )
    assert Case.objects.count() == 0


BAD_POSTS = {
    "missing api_key": ({"api_key": ""}, 403),  # the spec: not provided or invalid
    "wrong service_code": ({"service_code": "no-such-topic"}, 404),
    "lat not a number": ({"lat": "abc"}, 400),
    "lat beyond 90": ({"lat": "91"}, 400),
    "outside the province": ({"lat": "10.77", "long": "106.70", "attribute[unit_code]": ""}, 400),
    "oversized description": ({"description": "x" * 10_001}, 400),
    "oversized first_name": ({"first_name": "x" * 71}, 400),
    "wrong jurisdiction": ({"jurisdiction_id": "01"}, 404),
    "unknown commune": ({"attribute[unit_code]": "99999"}, 400),
    "denunciation": ({"attribute[kind]": "denunciation"}, 400),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("change", BAD_POSTS.values(), ids=BAD_POSTS.keys())
def test_bad_post_stores_nothing(submit_key, fmt, change):
    fields, status = change
    before = Case.objects.count()
    response = post(fmt, letter_fields(**{"api_key": submit_key, **fields}))
    error_of(response, fmt, status)
    assert Case.objects.count() == before


def test_bad_field_is_named_as_open311_names_it(submit_key):
    response = post("json", letter_fields(api_key=submit_key, **{"attribute[unit_code]": "9"}))
    assert "attribute[unit_code]" in error_of(response, "json", 400)


@pytest.mark.parametrize("fmt", FORMATS)
def test_revoked_key_and_key_without_submit_are_refused(db, fmt):
    revoked, revoked_text = key_issue(name="Cũ", agency=None, scopes=["submit"])
    key_revoke(revoked)
    reader = key_issue(name="Chỉ đọc", agency=revoked.agency, scopes=[])[1]
    before = Case.objects.count()
    for raw in (revoked_text, reader, "dv_nothing_here"):
        error_of(post(fmt, letter_fields(api_key=raw)), fmt, 403)
    assert Case.objects.count() == before


def test_key_over_its_rate_waits(db):
    key, raw = key_issue(name="Ứng dụng thử", agency=None, scopes=["submit"])
    key.rate_per_minute = 2
    key.save()
    before = Case.objects.count()
    assert post("json", letter_fields(api_key=raw)).status_code == 201
    assert post("json", letter_fields(api_key=raw)).status_code == 201
    third = post("xml", letter_fields(api_key=raw))
    error_of(third, "xml", 429)
    assert int(third["Retry-After"]) >= 1
    assert Case.objects.count() == before + 2


def test_unknown_format_and_method_get_the_error_document(db):
    before = Case.objects.count()
    error_of(get("requests", "csv"), "xml", 404)
    error_of(Client().post(f"{BASE}/requests.csv", letter_fields()), "xml", 404)
    error_of(Client().get(f"{BASE}/requests"), "xml", 404)
    error_of(Client().get(f"{BASE}/nothing.json"), "json", 404)
    response = Client().delete(f"{BASE}/requests.json")
    error_of(response, "json", 405)
    assert response["Allow"] == "GET, POST"
    error_of(Client().post(f"{BASE}/services.json"), "json", 405)
    assert Case.objects.count() == before


def test_error_follows_the_request_language(db):
    vi = error_of(post("json", letter_fields()), "json", 403)
    en = error_of(post("json", letter_fields(), HTTP_ACCEPT_LANGUAGE="en"), "json", 403)
    with translation.override("vi"):
        assert vi == ApiError("api_key_missing").text
    with translation.override("en"):
        assert en == ApiError("api_key_missing").text == "An API key is required."
