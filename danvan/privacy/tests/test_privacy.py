"""Personal-data requests: a person's own data, and nothing of anyone else's."""

import json
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.accounts.models import User
from danvan.accounts.roles import Role
from danvan.audit.models import AuditEntry
from danvan.cases.models import Case, CaseEvent, Topic
from danvan.cases.tests.letters import submit_letter
from danvan.dialogues.models import Question
from danvan.dialogues.services import dialogue_create
from danvan.places.models import Agency, Unit
from danvan.privacy.models import DataRequest
from danvan.reception.models import Booking
from danvan.reception.services import session_add_ad_hoc
from danvan.rulebook.store import current_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(demo_user):
    return demo_user(Role.CITIZEN)


@pytest.fixture
def letter(db):
    unit = Unit.objects.get(level="commune", code="11953", valid_until=None)

    def make(user, **overrides):
        data = {"kind": "feedback", "title": "Ổ gà đường Nguyễn Văn Linh",
                "content": "Ổ gà lớn trước số 40.", "unit": unit,
                "topic": Topic.objects.get(code="ha-tang"), "citizen": user,
                "name": user.full_name, "phone": "+84912345678"}  # fmt: skip
        data.update(overrides)
        return submit_letter(**data)

    return make


def _export(client):
    response = client.post("/accounts/my-data/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def test_anonymous_people_are_sent_to_sign_in(client):
    assert client.post("/accounts/my-data/download/").status_code == 302
    assert client.get("/accounts/my-data/requests/").status_code == 302


def test_the_owner_gets_their_own_data_and_nothing_of_others(client_as, citizen, letter, demo_user):
    mine = letter(citizen, title="Đơn của tôi")
    case_start_note = "Ghi chú nội bộ: gọi lại cho anh Tuấn"
    handler = demo_user(Role.HANDLING_OFFICER)
    CaseEvent.objects.create(case=mine, action="assign", actor=handler, is_public=False,
                             note=case_start_note)  # fmt: skip
    other = User.objects.create_user(phone="+84987654321", full_name="Người Khác", password="x")
    theirs = letter(other, title="Đơn của người khác", name="Người Khác", phone="+84987654321")
    session = session_add_ad_hoc(agency=Agency.objects.get(code="ubnd-c11953"),
                                 leader=demo_user(Role.HEAD), held_on=date(2026, 11, 27),
                                 place="Trụ sở UBND")  # fmt: skip
    Booking.objects.create(session=session, citizen=citizen, name=citizen.full_name,
                           phone="+84912345678", matter="Hỏi về đất")  # fmt: skip
    agency = Agency.objects.get(code="ubnd-c11953")
    dialogue = dialogue_create(by=demo_user(Role.RECEPTION_OFFICER), organiser=agency,
                               title="Đối thoại", chair=demo_user(Role.HEAD), place="Hội trường",
                               starts_at=datetime(2026, 12, 5, 8, 0, tzinfo=UTC))  # fmt: skip
    Question.objects.create(dialogue=dialogue, text="Câu hỏi của tôi",
                            asker=citizen)  # fmt: skip
    Question.objects.create(dialogue=dialogue, text="Câu của người khác",
                            asker=other)  # fmt: skip

    data = _export(client_as(Role.CITIZEN))
    text = json.dumps(data, ensure_ascii=False)
    codes = {c["tracking_code"] for c in data["letters"]}
    assert mine.tracking_code in codes
    assert codes == set(
        Case.objects.filter(citizen=citizen).values_list("tracking_code", flat=True)
    )
    assert theirs.tracking_code not in text
    assert "Người Khác" not in text
    assert "Câu của người khác" not in text
    assert case_start_note not in text
    assert data["account"]["phone"] == citizen.phone
    assert any(b["matter"] == "Hỏi về đất" for b in data["reception_bookings"])
    assert any(q["question"] == "Câu hỏi của tôi" for q in data["dialogue_questions"])
    entry = AuditEntry.objects.filter(action="privacy.export").order_by("-seq")[0]
    assert entry.actor_id == citizen.pk


def test_a_denouncer_gets_the_identity_they_sealed(client_as, citizen, letter):
    case = letter(citizen, kind="denunciation", topic=None, id_number="033090001234")
    data = _export(client_as(Role.CITIZEN))
    exported = next(c for c in data["letters"] if c["tracking_code"] == case.tracking_code)
    assert exported["sealed_identity"]["id_number"] == "033090001234"


def test_the_export_makes_a_bounded_number_of_queries(client_as, citizen, letter):
    client = client_as(Role.CITIZEN)
    letter(citizen)
    letter(citizen, kind="denunciation", topic=None, id_number="0330")
    with CaptureQueriesContext(connection) as few:
        _export(client)
    for _ in range(5):
        letter(citizen, kind="denunciation", topic=None, id_number="0330")
        letter(citizen)
    with CaptureQueriesContext(connection) as many:
        _export(client)
    assert len(many) == len(few)
    assert len(many) < 25


def test_a_correction_request_is_due_in_two_working_days_and_audited(client_as, citizen):
    client = client_as(Role.CITIZEN)
    response = client.post(
        "/accounts/my-data/requests/",
        {"kind": "correction", "details": "Số điện thoại trong đơn ABCD đã đổi."},
    )
    assert response.status_code == 302
    made = DataRequest.objects.get(user=citizen)
    # Monday 23/11 + 2 working days; 24/11 (Vietnamese Culture Day) is a day off.
    assert made.first_response_due == date(2026, 11, 26)
    assert made.first_response_due == current_calendar().add_working_days(date(2026, 11, 23), 2)
    assert made.rule == "PDP-1"
    assert AuditEntry.objects.filter(action="privacy.request", object_id=str(made.pk)).exists()
    assert client.get("/accounts/my-data/requests/").status_code == 200


def test_a_bad_request_changes_nothing(client_as, citizen):
    client = client_as(Role.CITIZEN)
    for data in ({"kind": "xoa-het", "details": "x"}, {"kind": "deletion", "details": " "}):
        response = client.post("/accounts/my-data/requests/", data)
        assert response.status_code == 422
    assert not DataRequest.objects.filter(user=citizen).exists()


def test_the_administrator_answers_in_the_admin(client_as, citizen, demo_user):
    client_as(Role.CITIZEN).post(
        "/accounts/my-data/requests/", {"kind": "deletion", "details": "Xoá tài khoản của tôi."}
    )
    made = DataRequest.objects.get(user=citizen)
    admin = client_as(Role.ADMINISTRATOR)
    assert admin.get("/admin/privacy/datarequest/").status_code == 200
    response = admin.post(
        f"/admin/privacy/datarequest/{made.pk}/change/", {"response": "Đã xoá theo yêu cầu."}
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.state == DataRequest.State.ANSWERED
    assert made.responded_by == demo_user(Role.ADMINISTRATOR)
    change = AuditEntry.objects.filter(action="admin.change", object_id=str(made.pk)).get()
    assert change.changes["state"] == ["open", "answered"]
