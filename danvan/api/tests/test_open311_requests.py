"""Open311 GeoReport v2: reading requests, one or a list, as the spec writes them."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from danvan.cases.models import Case, Topic

from .open311_support import *  # noqa: F403  (the fixtures)
from .open311_support import (
    BASE,
    FORMATS,
    REQUEST_FIELDS,
    error_of,
    get,
    letter_fields,
    records,
)

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
