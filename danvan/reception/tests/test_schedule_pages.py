"""Officials keep the schedules: new schedules, leaders' leave, ad-hoc and make-up sessions."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.accounts.roles import Role
from danvan.reception.models import LeaderLeave, ReceptionSchedule, ReceptionSession
from danvan.reception.rules import minimum_for

from .conftest import assert_access, said

pytestmark = pytest.mark.django_db

C, R, H, D, S, A, X = (Role.CITIZEN, Role.RECEPTION_OFFICER, Role.HANDLING_OFFICER,
                       Role.HEAD, Role.SUPERVISOR, Role.AUDITOR, Role.ADMINISTRATOR)  # fmt: skip
ALL = (None, C, R, H, D, S, A, X)
PAGES = (
    "/staff/reception/schedules/",
    "/staff/reception/schedules/new/",
    "/staff/reception/leave/new/",
    "/staff/reception/sessions/new/",
)


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role", ALL)
def test_role_matrix(client_as, url, role):
    assert_access(client_as(role).get(url), role, {R, D})


@pytest.mark.parametrize("url", PAGES[1:])
@pytest.mark.parametrize("role", [None, C, H, S, A, X])
def test_posting_without_the_right_changes_nothing(client_as, url, role, commune_committee):
    before = (ReceptionSchedule.objects.count(), ReceptionSession.objects.count())
    response = client_as(role).post(url, {"agency": commune_committee.pk})
    assert response.status_code == (302 if role is None else 403)
    assert (ReceptionSchedule.objects.count(), ReceptionSession.objects.count()) == before


def schedule_data(agency, leader, **changes):
    data = {
        "agency": agency.pk, "leader": leader.pk, "leader_role": "commune_chair",
        "frequency": "weekly", "weekday": "2", "place": "Nhà văn hoá khu phố 3",
        "starts_on": "2026-11-23", "ends_on": "", "roll_forward": "on",
    }  # fmt: skip
    return {**data, **changes}


def test_a_new_weekly_schedule_publishes_its_sessions(client_as, commune_committee, commune_chair):
    response = client_as(R).post(
        "/staff/reception/schedules/new/", schedule_data(commune_committee, commune_chair)
    )
    assert response.status_code == 302
    schedule = ReceptionSchedule.objects.get(place="Nhà văn hoá khu phố 3")
    days = list(schedule.sessions.values_list("held_on", flat=True))
    # Every Wednesday from 25/11/2026 for 92 days, but Wednesday 10/02/2027 is a Tết
    # holiday: that session moves to Thursday 11/02.
    assert days[0] == date(2026, 11, 25)
    assert len(days) == 13
    assert date(2027, 2, 11) in days
    assert all(day.weekday() == 2 for day in days if day != date(2027, 2, 11))
    public = client_as(None).get("/lich-tiep-cong-dan/").content.decode()
    assert "Nhà văn hoá khu phố 3" in public


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"starts_on": "2026-11-01"}, "This date has passed. Please choose today or later."),
        ({"weekday": ""}, "Choose the day of the week for a weekly schedule."),
        ({"ends_on": "2026-11-24", "starts_on": "2026-11-30"},
         "The end date is before the start date."),
        ({"frequency": "monthly", "weekday": "", "day_of_month": ""},
         "Choose the day of the month for a monthly schedule."),
    ],
)  # fmt: skip
def test_bad_schedules_are_refused_in_vietnamese_and_change_nothing(
    client_as, commune_committee, commune_chair, changes, field_message
):
    before = (ReceptionSchedule.objects.count(), ReceptionSession.objects.count())
    response = client_as(R).post(
        "/staff/reception/schedules/new/",
        schedule_data(commune_committee, commune_chair, **changes),
    )
    assert response.status_code == 422
    assert said(field_message) in response.content.decode()
    assert (ReceptionSchedule.objects.count(), ReceptionSession.objects.count()) == before


def test_a_commune_chair_cannot_be_given_a_monthly_schedule(
    client_as, commune_committee, commune_chair
):
    data = schedule_data(commune_committee, commune_chair, frequency="monthly", weekday="",
                         day_of_month="15")  # fmt: skip
    response = client_as(R).post("/staff/reception/schedules/new/", data)
    assert response.status_code == 422
    basis = minimum_for("commune_chair", on=date(2026, 11, 23)).legal_basis
    message = "The law requires this leader to receive citizens every week (%(basis)s)."
    assert said(message, basis=basis) in response.content.decode()
    assert not ReceptionSchedule.objects.filter(place="Nhà văn hoá khu phố 3").exists()


def test_a_leader_of_another_agency_is_refused(client_as, commune_committee, person):
    stranger = person("Người Ngoài", "+84911000099")
    response = client_as(R).post(
        "/staff/reception/schedules/new/", schedule_data(commune_committee, stranger)
    )
    assert response.status_code == 422
    assert not ReceptionSchedule.objects.filter(place="Nhà văn hoá khu phố 3").exists()


def test_leave_after_july_2026_leaves_sessions_to_make_up_and_a_make_up_day_is_added(
    client_as, commune_committee, commune_chair, demo_user
):
    client = client_as(R)
    client.post("/staff/reception/schedules/new/", schedule_data(commune_committee, commune_chair))
    deputy = demo_user(Role.HANDLING_OFFICER)
    response = client.post(
        "/staff/reception/leave/new/",
        {"agency": commune_committee.pk, "leader": commune_chair.pk, "starts_on": "2026-11-30",
         "ends_on": "2026-12-04", "deputy": deputy.pk, "reason": "Công tác"},
    )  # fmt: skip
    assert response.status_code == 302
    missed = ReceptionSession.objects.get(
        leader=commune_chair, held_on=date(2026, 12, 2), place="Nhà văn hoá khu phố 3"
    )
    assert missed.status == "to_reschedule"
    assert missed.deputy is None  # no stand-in after 2026-07-01 (Luật 136/2025)
    page = client.get("/staff/reception/schedules/").content.decode()
    assert "02/12/2026" in page
    response = client.post(
        "/staff/reception/sessions/new/",
        {"agency": commune_committee.pk, "leader": commune_chair.pk, "held_on": "2026-12-07",
         "place": "Trụ sở UBND phường", "capacity": "15"},
    )  # fmt: skip
    assert response.status_code == 302
    make_up = ReceptionSession.objects.get(leader=commune_chair, held_on=date(2026, 12, 7))
    assert (make_up.kind, make_up.capacity) == ("ad_hoc", 15)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"starts_on": "2026-11-10", "ends_on": "2026-11-20"},
         "This date has passed. Please choose today or later."),
        ({"starts_on": "2026-12-10", "ends_on": "2026-12-01"},
         "The end date is before the start date."),
        ({"starts_on": "2026-12-01", "ends_on": "2026-12-02", "self_deputy": True},
         "A leader cannot stand in for themselves."),
    ],
)  # fmt: skip
def test_bad_leave_is_refused_and_changes_nothing(
    client_as, commune_committee, commune_chair, data, message
):
    form = {"agency": commune_committee.pk, "leader": commune_chair.pk, **data}
    if form.pop("self_deputy", False):
        form["deputy"] = commune_chair.pk
    before = LeaderLeave.objects.count()
    response = client_as(D).post("/staff/reception/leave/new/", form)
    assert response.status_code == 422
    assert said(message) in response.content.decode()
    assert LeaderLeave.objects.count() == before


def test_an_ad_hoc_session_in_the_past_is_refused(client_as, commune_committee, commune_chair):
    before = ReceptionSession.objects.count()
    response = client_as(R).post(
        "/staff/reception/sessions/new/",
        {"agency": commune_committee.pk, "leader": commune_chair.pk, "held_on": "2026-11-20",
         "place": "Trụ sở", "capacity": "10"},
    )  # fmt: skip
    assert response.status_code == 422
    assert said("This date has passed. Please choose today or later.") in response.content.decode()
    assert ReceptionSession.objects.count() == before


def test_planning_ahead_runs_daily_and_creates_nothing_twice(weekly):
    schedule = weekly(starts_on=date(2026, 11, 23))
    call_command("plan_reception_sessions", "--days", "30", stdout=io.StringIO())
    first = schedule.sessions.count()
    call_command("plan_reception_sessions", "--days", "30", stdout=io.StringIO())
    assert first == 4  # Fridays 27/11, 4/12, 11/12 and 18/12/2026
    assert schedule.sessions.count() == first


def test_the_schedules_page_reads_in_a_fixed_number_of_queries(client_as, weekly, person):
    client = client_as(R)
    client.get("/staff/reception/schedules/")
    with CaptureQueriesContext(connection) as few:
        client.get("/staff/reception/schedules/")
    weekly(starts_on=date(2026, 11, 23))
    weekly(starts_on=date(2026, 11, 24), weekday=1)
    with CaptureQueriesContext(connection) as more:
        client.get("/staff/reception/schedules/")
    assert len(more) == len(few)
