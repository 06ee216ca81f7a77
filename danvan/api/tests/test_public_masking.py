"""What the public reads of a letter (Open311 requests, REST tracking) goes through the
platform's one masking, `language.pii.mask_public`: no phone in any format, no ID, no
e-mail, and never the sender's name, neither as a field nor inside the text."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.test import Client

from danvan.accounts.roles import Role
from danvan.cases.models import Case, Topic
from danvan.cases.tests.letters import submit_letter
from danvan.cases.workflow import Status
from danvan.places.models import Unit

pytestmark = pytest.mark.django_db
FORMATS = ["xml", "json"]
REQUEST_FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
    "long", "media_url",
}  # fmt: skip
SECRETS = [
    # (as written in the letter, what must not come out)
    ("0912_345_678", "345_678"),
    ("0912/345/678", "345/678"),
    ("033.099.001.122", "099.001"),
    ("+84 912 345 678", "912 345"),
    ("(+84)912345678", "912345678"),
    ("０９１２３４５６７８", "３４５６７８"),
    ("0912.345-678", "345-678"),
    ("CCCD 001203012345", "001203012345"),
    ("CMND 123456789", "123456789"),
    ("an [at] example [dot] vn", "example"),
    ("an@example.vn", "an@example"),
]
TEXT = "Đèn đường hỏng. Liên hệ: " + "; ".join(written for written, _ in SECRETS) + "."
NAMES_WRITTEN = ["Nguyễn Văn An", "NGUYEN VAN AN", "nguyễn văn an"]


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()  # the anonymous rate limit counts in the cache
    yield
    cache.clear()


@pytest.fixture
def letter(demo_user):
    """A public feedback letter naming its sender and the account's holder in its text."""
    citizen = demo_user(Role.CITIZEN)
    content = f"{TEXT} Tôi là {' / '.join(NAMES_WRITTEN)}, chủ tài khoản {citizen.full_name}."
    return submit_letter(
        kind="feedback", title="Đèn đường hỏng", content=content,
        unit=Unit.objects.get(level="commune", code="11953", valid_until=None),
        topic=Topic.objects.get(code="ha-tang"), citizen=citizen, name="Nguyễn Văn An",
        phone="+84912345678", email="an@example.vn",
        place="Trước nhà Nguyễn Văn An, số 12, ĐT 0912_345_678",
    )  # fmt: skip


def leaks(text, case):
    account = case.citizen.full_name
    hidden = [secret for _, secret in SECRETS] + NAMES_WRITTEN + [account, account.upper()]
    return [secret for secret in hidden if secret in text]


def rows_of(response, fmt):
    if fmt == "json":
        return json.loads(response.content)
    root = ET.fromstring(response.content)  # noqa: S314 (our own response, in a test)
    return [{child.tag: child.text or "" for child in row} for row in root]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", ["requests", "requests/{pk}"])
def test_open311_requests_show_no_phone_id_email_or_name(letter, fmt, path):
    response = Client().get(f"/open311/v2/{path.format(pk=letter.pk)}.{fmt}")
    assert response.status_code == 200
    text = response.content.decode()
    assert leaks(text, letter) == []
    [row] = [r for r in rows_of(response, fmt) if r["service_request_id"] == str(letter.pk)]
    assert set(row) == REQUEST_FIELDS  # no name field of any kind
    description = row["description"]
    assert description.startswith("Đèn đường hỏng. Liên hệ: [số điện thoại]; [số điện thoại]; ")
    assert description.count("[số điện thoại]") == 6
    assert description.count("[số định danh]") == 3
    assert description.count("[email]") == 2
    assert description.endswith("Tôi là [họ tên] / [họ tên] / [họ tên], chủ tài khoản [họ tên].")
    assert row["address"] == "Trước nhà [họ tên], số 12, ĐT [số điện thoại]"


def test_rest_tracking_masks_the_answer_and_names_no_one(letter):
    answer = f"Kính gửi ông NGUYỄN VĂN AN ({letter.citizen.full_name}), số 0912/345/678: đã sửa."
    Case.objects.filter(pk=letter.pk).update(status=Status.RESOLVED, answer=answer)
    response = Client().get(f"/api/v1/cases/track/{letter.tracking_code}")
    assert response.status_code == 200
    body = response.json()
    assert body["answer"] == "Kính gửi ông [họ tên] ([họ tên]), số [số điện thoại]: đã sửa."
    assert not {"name", "submitter", "submitter_name", "citizen"} & set(body)
    assert leaks(response.content.decode(), letter) == []
