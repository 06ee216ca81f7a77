"""The API applies the law's intake rule for complaints, with a stable error code."""

import pytest

from danvan.api.errors import ApiError
from danvan.api.intake import letter_submit
from danvan.cases.models import Case

from .open311_support import *  # noqa: F403  (the fixtures)

pytestmark = pytest.mark.django_db

COMPLAINT = {
    "service_code": "ha-tang",
    "kind": "complaint",
    "unit_code": "11953",
    "description": "Tôi khiếu nại quyết định thu hồi đất số 12 của UBND phường.",
    "name": "Lê Thị Hoa",
    "phone": "0987654321",
}


def test_a_complaint_without_the_sender_address_gets_a_stable_code(pho_hien):
    with pytest.raises(ApiError) as raised:
        letter_submit(dict(COMPLAINT), key=None)
    assert raised.value.code == "sender_details_required"
    assert "Điều 8 Luật Khiếu nại" in raised.value.fields["address"]
    assert Case.objects.count() == 0


def test_a_complaint_without_a_name_names_both_fields(pho_hien):
    with pytest.raises(ApiError) as raised:
        letter_submit({**COMPLAINT, "name": ""}, key=None)
    assert raised.value.code == "sender_details_required"
    assert set(raised.value.fields) == {"name", "address"}


def test_a_complaint_with_name_and_address_is_filed(pho_hien):
    case, created = letter_submit({**COMPLAINT, "address": "Số 3 phố Bãi Sậy"}, key=None)
    assert created
    assert case.submitter_address == "Số 3 phố Bãi Sậy"


def test_feedback_needs_no_sender_details(pho_hien):
    case, _created = letter_submit(
        {**COMPLAINT, "kind": "feedback", "name": "", "phone": ""}, key=None
    )
    assert case.anonymous
