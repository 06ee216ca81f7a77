"""Who may open each reception page, and citizens booking a slot."""

from datetime import date

import pytest

from danvan.accounts.roles import Role
from danvan.reception import services
from danvan.reception.models import Booking

from .conftest import assert_access, said

pytestmark = pytest.mark.django_db

C, R, H, D, S, A, X = (Role.CITIZEN, Role.RECEPTION_OFFICER, Role.HANDLING_OFFICER,
                       Role.HEAD, Role.SUPERVISOR, Role.AUDITOR, Role.ADMINISTRATOR)  # fmt: skip
ALL = (None, C, R, H, D, S, A, X)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/lich-tiep-cong-dan/", set(ALL)),
        ("/staff/reception/", {R, D}),
        ("/staff/reception/logbook/", {R, D}),
        ("/staff/reception/logbook/new/", {R, D}),
        ("/staff/reception/compliance/", {D, S, A}),
    ],
)
@pytest.mark.parametrize("role", ALL)
def test_role_matrix(client_as, url, allowed, role):
    assert_access(client_as(role).get(url), role, allowed)


def test_a_session_of_another_agency_cannot_be_marked(client_as, person, province_committee):
    chair = person("Trần Văn Tỉnh", "+84911000001")
    session = services.session_add_ad_hoc(agency=province_committee, leader=chair,
                                          held_on=date(2026, 11, 20), place="Tỉnh")  # fmt: skip
    url = f"/staff/reception/sessions/{session.pk}/status/"
    assert client_as(R).post(url, {"status": "held"}).status_code == 404
    session.refresh_from_db()
    assert session.status == "planned"


def test_officer_marks_a_past_session_held(client_as, commune_committee, commune_chair):
    session = services.session_add_ad_hoc(agency=commune_committee, leader=commune_chair,
                                          held_on=date(2026, 11, 20), place="UBND")  # fmt: skip
    client_as(R).post(f"/staff/reception/sessions/{session.pk}/status/", {"status": "held"})
    session.refresh_from_db()
    assert session.status == "held"


@pytest.fixture
def upcoming(weekly):
    schedule = weekly()
    services.sessions_generate(schedule=schedule, until=date(2026, 12, 31))
    return schedule.sessions.get(held_on=date(2026, 11, 27))


def booking(**overrides):
    data = {"name": "Nguyễn Thị Lan", "phone": "0987 123 456",
            "matter": "Hỏi về tiến độ cấp giấy chứng nhận quyền sử dụng đất."}  # fmt: skip
    data.update(overrides)
    return data


def test_citizen_without_account_books_and_the_officer_sees_it(client_as, upcoming):
    public = client_as(None)
    assert "27/11/2026" in public.get("/lich-tiep-cong-dan/").content.decode()
    response = public.post(f"/lich-tiep-cong-dan/{upcoming.pk}/dat-lich/", booking())
    assert response.status_code == 302
    saved = Booking.objects.get()
    assert (saved.phone, saved.citizen) == ("+84987123456", None)
    day = client_as(R).get("/staff/reception/", {"day": "2026-11-27"}).content.decode()
    assert "Nguyễn Thị Lan" in day
    assert "tiến độ cấp giấy" in day


def test_a_full_or_past_session_cannot_be_booked(client_as, upcoming, commune_committee):
    upcoming.capacity = 1
    upcoming.save()
    client = client_as(C)
    client.post(f"/lich-tiep-cong-dan/{upcoming.pk}/dat-lich/", booking())
    full = client.post(f"/lich-tiep-cong-dan/{upcoming.pk}/dat-lich/",
                       booking(phone="0912 999 888"))  # fmt: skip
    assert full.status_code == 422
    assert said("This session is fully booked. Please choose another day.") in full.content.decode()
    past = upcoming.schedule.sessions.get(held_on=date(2026, 11, 20))
    assert client.post(f"/lich-tiep-cong-dan/{past.pk}/dat-lich/", booking()).status_code == 404
    assert Booking.objects.count() == 1


def test_an_empty_matter_gets_a_message_and_books_nothing(client_as, upcoming):
    response = client_as(None).post(f"/lich-tiep-cong-dan/{upcoming.pk}/dat-lich/",
                                    booking(matter=""))  # fmt: skip
    assert response.status_code == 422
    assert said("Please write your matter in a few lines.") in response.content.decode()
    assert Booking.objects.count() == 0
