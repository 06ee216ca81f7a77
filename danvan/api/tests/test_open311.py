"""Open311 GeoReport v2: every endpoint in XML and JSON, checked against the spec's fields."""

import json
import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from danvan.accounts.roles import Role
from danvan.api.errors import ApiError
from danvan.api.keys import key_issue, key_revoke
from danvan.cases.models import Attachment, Case, CaseEvent, Notification, Topic
from danvan.cases.queries import QueueFilters, case_queue
from danvan.cases.tests.letters import submit_letter
from danvan.places.models import Unit

BASE = "/open311/v2"
FORMATS = ["xml", "json"]

# The spec's field lists (wiki.open311.org/GeoReport_v2), one per document.
DISCOVERY_FIELDS = {"changeset", "contact", "key_service", "endpoints"}
ENDPOINT_FIELDS = {"specification", "url", "changeset", "type", "formats"}
SERVICE_FIELDS = {
    "service_code", "service_name", "description", "metadata", "type", "keywords", "group",
}  # fmt: skip
DEFINITION_FIELDS = {"service_code", "attributes"}
ATTRIBUTE_FIELDS = {
    "variable", "code", "datatype", "required", "datatype_description", "order",
    "description", "values",
}  # fmt: skip
VALUE_FIELDS = {"key", "name"}
REQUEST_FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
    "long", "media_url",
}  # fmt: skip
POST_RESPONSE_FIELDS = {"service_request_id", "service_notice", "account_id", "token"}
TOKEN_FIELDS = {"service_request_id", "token"}
ERROR_FIELDS = {"code", "description"}
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pho_hien(db):
    return Unit.objects.get(level="commune", code="11953", valid_until=None)


@pytest.fixture
def submit_key(db):
    return key_issue(name="Đường dây nóng 1022", agency=None, scopes=["submit"])[1]


@pytest.fixture
def letter(pho_hien):
    """A public feedback letter, as a citizen files it on the portal."""

    def make(**overrides):
        data = {
            "kind": "feedback",
            "title": "Đèn đường hỏng",
            "content": "Đèn đường trước nhà số 12 phố Nguyễn Văn Linh hỏng hai tuần nay.",
            "unit": pho_hien,
            "topic": Topic.objects.get(code="ha-tang"),
            "name": "Nguyễn Văn An",
            "phone": "+84912345678",
            "email": "an@example.vn",
            "place": "Số 12 phố Nguyễn Văn Linh",
            "location": (20.654321, 106.051234),
        }
        data.update(overrides)
        return submit_letter(**data)

    return make


def get(path, fmt, client=None, **params):
    return (client or Client()).get(f"{BASE}/{path}.{fmt}", params)


def post(fmt, data, **extra):
    return Client().post(f"{BASE}/requests.{fmt}", data, **extra)


def parsed(response, fmt):
    """JSON as it is; XML as the root element."""
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    if fmt == "json":
        return json.loads(response.content)
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 (our own response, in a test)


def tags(element):
    return {child.tag for child in element}


def records(response, fmt, root, item):
    """A list document as dicts of texts (XML) or values (JSON), checking the XML tags."""
    body = parsed(response, fmt)
    if fmt == "json":
        assert isinstance(body, list)
        return body
    assert body.tag == root
    assert all(child.tag == item for child in body)
    return [{child.tag: child.text or "" for child in row} for row in body]


def error_of(response, fmt, status):
    assert response.status_code == status
    rows = records(response, fmt, "errors", "error")
    assert len(rows) == 1
    assert set(rows[0]) == ERROR_FIELDS
    assert int(rows[0]["code"]) == status
    assert rows[0]["description"]
    return rows[0]["description"]


def letter_fields(**overrides):
    data = {
        "service_code": "ha-tang",
        "lat": "20.6543",
        "long": "106.0512",
        "address_string": "Số 12 phố Nguyễn Văn Linh",
        "description": "Ống thoát nước trước nhà số 12 bị tắc, nước tràn ra đường khi mưa.",
        "first_name": "Lê",
        "last_name": "Thị Hoa",
        "phone": "0987654321",
        "email": "hoa@example.vn",
        "account_id": "app-42",
        "device_id": "device-7",
        "attribute[unit_code]": "11953",
    }
    data.update(overrides)
    return data


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
    assert [a["code"] for a in attributes] == ["kind", "unit_code", "name"]
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


# --- reading requests


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_list_shows_public_letters_with_spec_fields(letter, fmt):
    case = letter()
    rows = records(get("requests", fmt), fmt, "service_requests", "request")
    assert rows
    assert all(set(row) == REQUEST_FIELDS for row in rows)
    row = next(r for r in rows if r["service_request_id"] == str(case.pk))
    assert row["status"] == "open"
    assert row["service_code"] == "ha-tang"
    assert row["service_name"] == "Đường sá, chiếu sáng, thoát nước"
    assert row["agency_responsible"] == case.agency.name
    assert row["requested_datetime"] == "2026-11-23T09:00:00+07:00"
    assert row["updated_datetime"] == "2026-11-23T09:00:00+07:00"
    assert row["expected_datetime"] == f"{case.due_on.isoformat()}T23:59:59+07:00"
    assert float(row["lat"]) == 20.654
    assert float(row["long"]) == 106.051
    assert row["address"] == "Số 12 phố Nguyễn Văn Linh"
    with translation.override("vi"):
        assert row["status_notes"] == str(case.get_status_display())


def test_requests_newest_first_within_90_days(letter):
    old = letter(received_at=timezone.now() - timedelta(days=91))
    earlier = letter(received_at=timezone.now() - timedelta(days=3))
    latest = letter()
    ids = [r["service_request_id"] for r in get("requests", "json").json()]
    assert str(old.pk) not in ids
    assert ids.index(str(latest.pk)) < ids.index(str(earlier.pk))
    start = (timezone.now() - timedelta(days=100)).isoformat()
    ids = [r["service_request_id"] for r in get("requests", "json", start_date=start).json()]
    assert str(old.pk) in ids


def test_requests_filters(letter):
    street = letter()
    waste = letter(topic=Topic.objects.get(code="rac-thai"))
    closed = letter()
    Case.objects.filter(pk=closed.pk).update(status="closed")

    def ids(**params):
        return {r["service_request_id"] for r in get("requests", "json", **params).json()}

    assert ids(service_code="rac-thai") >= {str(waste.pk)}
    assert str(street.pk) not in ids(service_code="rac-thai")
    assert str(street.pk) in ids(service_code="rac-thai,ha-tang")
    assert str(closed.pk) in ids(status="closed")
    assert str(street.pk) not in ids(status="closed")
    assert str(closed.pk) not in ids(status="open")
    assert str(street.pk) in ids(status="open")
    # service_request_id overrides the other filters, as the spec says
    assert ids(service_request_id=f"{street.pk},{waste.pk},x", service_code="khac") == {
        str(street.pk),
        str(waste.pk),
    }
    before = timezone.now() - timedelta(hours=1)
    assert ids(end_date=before.isoformat()).isdisjoint({str(street.pk), str(waste.pk)})


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "params", [{"start_date": "yesterday"}, {"end_date": "2026-13-01"}, {"status": "pending"}]
)
def test_bad_filter_is_400(db, fmt, params):
    error_of(get("requests", fmt, **params), fmt, 400)


def test_requests_list_costs_the_same_queries_for_many_letters(letter):
    letter()
    with CaptureQueriesContext(connection) as one:
        assert get("requests", "json").status_code == 200
    for _ in range(5):
        letter(topic=Topic.objects.get(code="rac-thai"))
    with CaptureQueriesContext(connection) as many:
        assert len(get("requests", "json").json()) >= 6
    assert len(many) == len(one) == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_personal_data_and_confidential_kinds_never_shown(letter, pho_hien, fmt):
    topic = Topic.objects.get(code="can-bo")
    complaint = letter(kind="complaint", topic=topic, title="Khiếu nại quyết định xử phạt")
    denunciation = letter(kind="denunciation", topic=topic, name="", phone="", email="")
    feedback = letter(content="Gọi tôi theo số 0912345678 hoặc an@example.vn khi sửa xong.")
    response = get("requests", fmt)
    text = response.content.decode()
    rows = records(response, fmt, "service_requests", "request")
    listed = {row["service_request_id"] for row in rows}
    assert str(feedback.pk) in listed
    assert str(complaint.pk) not in listed
    assert str(denunciation.pk) not in listed
    for secret in ("0912345678", "912345678", "an@example.vn", "Nguyễn Văn An"):
        assert secret not in text
    for case in (complaint, denunciation, feedback):
        assert case.tracking_code not in text
    error_of(get(f"requests/{complaint.pk}", fmt), fmt, 404)
    error_of(get(f"requests/{denunciation.pk}", fmt), fmt, 404)
    ids = f"{complaint.pk},{denunciation.pk}"
    assert records(get("requests", fmt, service_request_id=ids), fmt, "service_requests", "request") == []  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_request_and_token_are_404(db, fmt):
    error_of(get("requests/999999999", fmt), fmt, 404)
    error_of(get("requests/abc", fmt), fmt, 404)
    error_of(get("tokens/not-a-token", fmt), fmt, 404)


def test_get_without_key_is_limited_by_address(db, settings):
    settings.DANVAN_API_RATE_ANONYMOUS = "2/min"
    assert get("services", "json").status_code == 200
    assert get("discovery", "xml").status_code == 200
    response = get("services", "json")
    error_of(response, "json", 429)
    assert response["Retry-After"]


def test_body_beyond_the_upload_limit_is_413(submit_key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000
    before = Case.objects.count()
    fields = letter_fields(api_key=submit_key, description="x" * 60_000)
    response = Client().post(
        f"{BASE}/requests.json",
        urlencode(fields),
        content_type="application/x-www-form-urlencoded",
    )
    error_of(response, "json", 413)
    assert Case.objects.count() == before
