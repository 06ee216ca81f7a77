"""Reception days from the legal minimum frequencies, the working calendar and leave."""

from datetime import date

import pytest

from danvan.deadlines.calendar import WorkingCalendar
from danvan.reception import rules, services
from danvan.reception.models import ReceptionSession, SessionStatus
from danvan.reception.queries import compliance
from danvan.reception.schedule import chosen_days, periods_started, planned_days
from danvan.rulebook.models import CalendarDay

CAL = WorkingCalendar()


def held_days(planned):
    return [(p.chosen, p.held_on) for p in planned]


def test_commune_weekly_friday_across_tet_2027_moves_to_the_first_working_day():
    chosen = chosen_days(period=rules.Period.WEEK, weekday=4, day_of_month=None,
                         start=date(2027, 1, 25), end=date(2027, 2, 19))  # fmt: skip
    assert held_days(planned_days(chosen, calendar=CAL)) == [
        (date(2027, 1, 29), date(2027, 1, 29)),
        (date(2027, 2, 5), date(2027, 2, 11)),  # Giao thừa; Tết off until Wed 10/02
        (date(2027, 2, 12), date(2027, 2, 12)),
        (date(2027, 2, 19), date(2027, 2, 19)),
    ]


def test_province_monthly_on_the_5th_across_tet_and_a_saturday():
    chosen = chosen_days(period=rules.Period.MONTH, weekday=None, day_of_month=5,
                         start=date(2026, 11, 1), end=date(2027, 3, 31))  # fmt: skip
    assert held_days(planned_days(chosen, calendar=CAL)) == [
        (date(2026, 11, 5), date(2026, 11, 5)),
        (date(2026, 12, 5), date(2026, 12, 7)),  # Saturday
        (date(2027, 1, 5), date(2027, 1, 5)),
        (date(2027, 2, 5), date(2027, 2, 11)),  # Tết
        (date(2027, 3, 5), date(2027, 3, 5)),
    ]


@pytest.mark.parametrize(
    ("day_of_month", "start", "expected"),
    [
        (15, date(2026, 11, 1), (date(2026, 11, 15), date(2026, 11, 16))),  # a Sunday
        (2, date(2027, 9, 1), (date(2027, 9, 2), date(2027, 9, 6))),  # Quốc khánh, 2–3/9
        (31, date(2027, 2, 1), (date(2027, 2, 28), date(2027, 3, 1))),  # month end, Sunday
    ],
)
def test_a_day_off_rolls_to_the_next_working_day(day_of_month, start, expected):
    chosen = chosen_days(period=rules.Period.MONTH, weekday=None, day_of_month=day_of_month,
                         start=start, end=start.replace(day=28))  # fmt: skip
    assert held_days(planned_days(chosen, calendar=CAL)) == [expected]


def test_without_roll_forward_a_day_off_is_skipped():
    chosen = [date(2026, 11, 15), date(2026, 12, 15)]
    assert held_days(planned_days(chosen, calendar=CAL, roll_forward=False)) == [
        (date(2026, 12, 15), date(2026, 12, 15))
    ]


@pytest.mark.parametrize(
    ("period", "start", "end", "expected"),
    [
        (rules.Period.WEEK, date(2026, 11, 1), date(2026, 11, 23), 4),  # Mondays 2, 9, 16, 23
        (rules.Period.WEEK, date(2026, 11, 24), date(2026, 11, 29), 0),
        (rules.Period.MONTH, date(2026, 1, 1), date(2026, 11, 23), 11),
        (rules.Period.MONTH, date(2026, 1, 2), date(2026, 3, 31), 2),
    ],
)
def test_periods_started(period, start, end, expected):
    assert periods_started(period=period, start=start, end=end) == expected


def test_legal_minimums_and_delegation_are_dated_data_with_their_basis():
    assert rules.minimum_for("commune_chair", on=date(2026, 11, 23)).period == rules.Period.WEEK
    assert "Điều 15" in rules.minimum_for("commune_chair", on=date(2026, 11, 23)).legal_basis
    assert "Điều 12" in rules.minimum_for("provincial_chair", on=date(2026, 11, 23)).legal_basis
    assert "Điều 18" in rules.minimum_for("agency_head", on=date(2026, 11, 23)).legal_basis
    assert rules.delegation_allowed(on=date(2026, 6, 30))
    assert not rules.delegation_allowed(on=date(2026, 7, 1))
    assert "136/2025" in rules.delegation_rule(on=date(2027, 1, 1)).legal_basis


@pytest.mark.django_db
def test_generation_uses_the_administrators_calendar_and_never_duplicates(weekly):
    CalendarDay.objects.create(day=date(2026, 12, 4), is_working_day=False, reason="Nghỉ bù")
    schedule = weekly()
    first = services.sessions_generate(schedule=schedule, until=date(2026, 12, 11))
    assert [s.held_on for s in first] == [date(2026, 11, 6), date(2026, 11, 13),
        date(2026, 11, 20), date(2026, 11, 27), date(2026, 12, 7), date(2026, 12, 11)]  # fmt: skip
    assert services.sessions_generate(schedule=schedule, until=date(2026, 12, 11)) == []
    assert ReceptionSession.objects.filter(schedule=schedule).count() == 6


@pytest.mark.django_db
def test_province_chair_monthly_sessions_are_generated(person, province_committee):
    chair = person("Trần Văn Tỉnh", "+84911000001")
    schedule = services.schedule_create(
        leader=chair, leader_role="provincial_chair", agency=province_committee,
        frequency="monthly", day_of_month=15, starts_on=date(2026, 11, 1),
        place="Trụ sở Ban Tiếp công dân tỉnh",
    )  # fmt: skip
    sessions = services.sessions_generate(schedule=schedule, until=date(2027, 2, 28))
    assert [s.held_on for s in sessions] == [date(2026, 11, 16), date(2026, 12, 15),
                                             date(2027, 1, 15), date(2027, 2, 15)]  # fmt: skip
    assert {s.kind for s in sessions} == {"periodic"}
    assert sessions[0].chosen_day == date(2026, 11, 15)


@pytest.mark.django_db
def test_a_commune_chair_cannot_be_scheduled_monthly(commune_chair, commune_committee):
    with pytest.raises(services.ReceptionError, match="Điều 15"):
        services.schedule_create(
            leader=commune_chair, leader_role="commune_chair", agency=commune_committee,
            frequency="monthly", day_of_month=15, starts_on=date(2026, 11, 1), place="UBND",
        )  # fmt: skip


@pytest.mark.django_db
def test_a_deputy_stands_in_before_2026_07_01_but_not_after(weekly, person, commune_chair):
    deputy = person("Ngô Văn Phó", "+84911000002")
    services.leave_record(leader=commune_chair, starts_on=date(2026, 6, 15),
                          ends_on=date(2026, 7, 10), deputy=deputy)  # fmt: skip
    schedule = weekly(starts_on=date(2026, 6, 1))
    services.sessions_generate(schedule=schedule, until=date(2026, 7, 17))
    rows = {s.held_on: (s.status, s.deputy_id) for s in schedule.sessions.all()}
    assert rows[date(2026, 6, 12)] == (SessionStatus.PLANNED, None)
    assert rows[date(2026, 6, 19)] == (SessionStatus.PLANNED, deputy.pk)
    assert rows[date(2026, 6, 26)] == (SessionStatus.PLANNED, deputy.pk)
    assert rows[date(2026, 7, 3)] == (SessionStatus.TO_RESCHEDULE, None)
    assert rows[date(2026, 7, 10)] == (SessionStatus.TO_RESCHEDULE, None)
    assert rows[date(2026, 7, 17)] == (SessionStatus.PLANNED, None)


@pytest.mark.django_db
def test_leave_recorded_after_generation_replans_the_sessions(weekly, person, commune_chair):
    deputy = person("Ngô Văn Phó", "+84911000002")
    schedule = weekly()
    services.sessions_generate(schedule=schedule, until=date(2026, 12, 31))
    services.leave_record(leader=commune_chair, starts_on=date(2026, 12, 1),
                          ends_on=date(2026, 12, 12), deputy=deputy)  # fmt: skip
    moved = schedule.sessions.filter(held_on__range=(date(2026, 12, 1), date(2026, 12, 12)))
    assert [(s.held_on, s.status, s.deputy_id) for s in moved] == [
        (date(2026, 12, 4), SessionStatus.TO_RESCHEDULE, None),
        (date(2026, 12, 11), SessionStatus.TO_RESCHEDULE, None),
    ]


@pytest.mark.django_db
def test_compliance_counts_days_required_and_held(weekly, commune_chair, commune_committee):
    schedule = weekly()
    services.sessions_generate(schedule=schedule, until=date(2026, 12, 31))
    for day in (date(2026, 11, 6), date(2026, 11, 13)):
        session = schedule.sessions.get(held_on=day)
        services.session_set_status(session=session, status=SessionStatus.HELD)
    extra = services.session_add_ad_hoc(agency=commune_committee, leader=commune_chair,
                                        held_on=date(2026, 11, 18), place="Tổ dân phố 5")  # fmt: skip
    services.session_set_status(session=extra, status=SessionStatus.HELD)
    (row,) = compliance(year=2026, month=11, agency_ids=[commune_committee.pk])
    assert (row.required, row.held, row.held_ad_hoc, row.missing) == (4, 3, 1, 1)
    assert "Điều 15" in row.legal_basis
    (year_row,) = compliance(year=2026, agency_ids=[commune_committee.pk])
    # The chair has headed the commune since before 2026: every week begun from Monday
    # 5 January to today (Monday 23 November) owes a day, whenever the schedule began.
    assert (year_row.required, year_row.held) == (47, 3)
    assert (year_row.counted_from, year_row.from_office) == (date(2026, 1, 1), True)
    assert compliance(year=2026, month=10, agency_ids=[commune_committee.pk]) == []  # not begun


@pytest.mark.django_db
def test_a_future_session_cannot_be_marked_held(weekly):
    schedule = weekly()
    (session,) = services.sessions_generate(schedule=schedule, until=date(2026, 11, 27))[-1:]
    with pytest.raises(services.ReceptionError):
        services.session_set_status(session=session, status=SessionStatus.HELD)
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED
