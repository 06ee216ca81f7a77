"""Open311 test support: the spec's field lists, fixtures (a commune, a key, a letter) and
request helpers in both formats."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.test import Client

from danvan.api.keys import key_issue
from danvan.cases.models import Topic
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
def clean_cache():
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
