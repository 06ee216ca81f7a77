"""Reception compliance over a year: the legal minimum (rules.py) times the weeks or months
begun while the leader headed the agency, or from the schedule's start when the platform does
not know when the leader took office."""

from datetime import date

import pytest
from django.urls import reverse

from danvan.accounts.models import Membership
from danvan.accounts.roles import Role
from danvan.reception import rules, services
from danvan.reception.models import SessionStatus
from danvan.reception.queries import compliance

from .conftest import said

pytestmark = pytest.mark.django_db

NEW_YEAR_2027 = "2027-01-10 09:00:00+07:00"


def weekly_rule_days() -> int:
    return rules.minimum_for(rules.LeaderRole.COMMUNE_CHAIR, on=date(2026, 6, 1)).days


def hold_all(schedule) -> None:
    for session in schedule.sessions.filter(held_on__year=2026):
        services.session_set_status(session=session, status=SessionStatus.HELD)


def test_a_commune_chair_over_a_full_year_owes_one_day_for_each_of_its_52_weeks(
    frozen_time, weekly, commune_committee
):
    frozen_time.move_to(NEW_YEAR_2027)
    schedule = weekly(starts_on=date(2026, 1, 1))
    services.sessions_generate(schedule=schedule, until=date(2026, 12, 31))
    hold_all(schedule)
    (row,) = compliance(year=2026, agency_ids=[commune_committee.pk])
    # Mondays 5 January .. 28 December; the week of Tết (16-22 February, all days off)
    # still owes its day: the law says every week, and Friday 20 February moved to Monday 23.
    assert row.required == 52 * weekly_rule_days() == 52
    assert (row.held, row.missing) == (52, 0)
    assert schedule.sessions.filter(chosen_day=date(2026, 2, 20)).get().held_on == date(2026, 2, 23)
    assert (row.counted_from, row.from_office) == (date(2026, 1, 1), True)
    assert row.since == date(2025, 7, 1)  # she has headed the ward since the 2025 reform


def test_a_chair_who_took_office_mid_year_owes_only_the_weeks_from_then(
    frozen_time, weekly, commune_committee, commune_chair
):
    frozen_time.move_to(NEW_YEAR_2027)
    Membership.objects.filter(user=commune_chair, agency=commune_committee,
                              role=Role.HEAD).update(started_on=date(2026, 7, 15))  # fmt: skip
    weekly(starts_on=date(2026, 1, 1))
    (row,) = compliance(year=2026, agency_ids=[commune_committee.pk])
    # Took office on Wednesday 15 July: the part-week owes nothing; Mondays 20 July .. 28
    # December are 24 weeks.
    assert (row.required, row.counted_from, row.from_office) == (24, date(2026, 7, 15), True)
    assert row.since == date(2026, 7, 15)
    (june,) = compliance(year=2026, month=6, agency_ids=[commune_committee.pk])
    assert (june.required, june.counted_from) == (0, None)


def test_a_chair_whose_term_ended_owes_nothing_after_it(
    frozen_time, weekly, commune_committee, commune_chair
):
    frozen_time.move_to(NEW_YEAR_2027)
    Membership.objects.filter(user=commune_chair, agency=commune_committee,
                              role=Role.HEAD).update(ended_on=date(2026, 3, 31))  # fmt: skip
    weekly(starts_on=date(2026, 1, 1))
    (row,) = compliance(year=2026, agency_ids=[commune_committee.pk])
    assert row.required == 13  # Mondays 5 January .. 30 March


def test_without_a_known_term_the_count_starts_with_the_schedule(
    frozen_time, person, province_committee
):
    frozen_time.move_to(NEW_YEAR_2027)
    chair = person("Nguyễn Hữu Nghĩa", "+84911000009")
    services.schedule_create(
        leader=chair, leader_role="provincial_chair", agency=province_committee,
        frequency="monthly", day_of_month=15, starts_on=date(2026, 3, 10), place="Trụ sở",
    )  # fmt: skip
    (row,) = compliance(year=2026, agency_ids=[province_committee.pk])
    assert (row.required, row.counted_from, row.from_office) == (9, date(2026, 3, 10), False)
    assert row.since == date(2026, 3, 10)


def test_the_page_says_from_when_it_counts_and_the_legal_minimum(client_as, weekly):
    weekly()
    response = client_as(Role.HEAD).get(reverse("reception:compliance"))
    assert response.status_code == 200
    page = response.content.decode()
    assert ">47</td>" in page
    assert "01/01/2026" in page
    assert said("took office on %(day)s", day="01/07/2025") in page
    assert "1 ngày mỗi tuần" in page
