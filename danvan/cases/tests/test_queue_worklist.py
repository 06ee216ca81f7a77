"""The queue as a work list: overdue and due-soon marks, counts above the list."""

import re
from datetime import date

import pytest

from danvan.accounts.roles import Role
from danvan.cases.models import Case
from danvan.cases.queries import queue_counts
from testsupport.queries import queries_of

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)  # a Monday: conftest.FROZEN_NOW


def _due(case: Case, day: date, rule: str) -> None:
    Case.objects.filter(pk=case.pk).update(due_on=day, process_due=day, process_rule=rule,
                                           resolve_due=None, resolve_rule="")  # fmt: skip


def _row(page: str, code: str) -> str:
    [row] = re.findall(rf"<tr[^>]*>(?:(?!</tr>).)*{code}.*?</tr>", page, re.DOTALL)
    return str(row)


def test_overdue_days_count_as_the_rule_counts(submit, client_as):
    working, calendar, soon = submit(), submit(kind="complaint"), submit()
    _due(working, date(2026, 11, 16), "DON-1")  # working days: Tue..Fri and Monday
    _due(calendar, date(2026, 11, 16), "KN-1")  # calendar days
    _due(soon, date(2026, 11, 25), "DON-1")
    page = client_as(Role.HANDLING_OFFICER).get("/staff/cases/").content.decode()
    assert "Quá hạn 5 ngày" in _row(page, working.tracking_code)
    assert "Quá hạn 7 ngày" in _row(page, calendar.tracking_code)
    assert 'class="overdue"' in _row(page, working.tracking_code)
    assert "Sắp đến hạn" in _row(page, soon.tracking_code)
    assert "Quá hạn" not in _row(page, soon.tracking_code)


def test_counts_above_the_list_follow_the_letters(submit, handler, client_as):
    before = queue_counts(handler)
    _due(submit(), date(2026, 11, 20), "DON-1")
    _due(submit(), date(2026, 11, 29), "DON-1")  # Sunday: within the next seven days
    _due(submit(), date(2026, 11, 30), "DON-1")  # the eighth day: not this week
    after = queue_counts(handler)
    assert (after.open, after.overdue, after.due_this_week) == (
        before.open + 3, before.overdue + 1, before.due_this_week + 1)  # fmt: skip
    page = client_as(Role.HANDLING_OFFICER).get("/staff/cases/").content.decode()
    assert f"{after.overdue} đơn quá hạn" in page
    assert f"{after.due_this_week} đơn đến hạn trong tuần" in page


def test_the_result_count_is_of_the_filtered_list(submit, client_as):
    client = client_as(Role.HANDLING_OFFICER)

    def shown() -> int:
        page = client.get("/staff/cases/", {"kind": "complaint", "overdue": "1"}).content.decode()
        found = re.search(r"Tìm thấy (\d+) đơn", page)
        assert found
        return int(found.group(1))

    before = shown()
    for _ in range(3):
        _due(submit(kind="complaint"), date(2026, 11, 16), "KN-1")
    _due(submit(kind="complaint"), date(2026, 11, 30), "KN-1")  # not overdue
    _due(submit(), date(2026, 11, 16), "DON-1")  # not a complaint
    assert shown() == before + 3


def test_marking_costs_the_same_queries_for_2_or_12_overdue_letters(submit, client_as):
    client = client_as(Role.HANDLING_OFFICER)
    client.get("/staff/cases/")  # warm: the session's device and the reference data

    def overdue(n: int) -> None:
        for _ in range(n):
            _due(submit(), date(2026, 11, 2), "DON-1")

    overdue(2)
    few = queries_of(lambda: client.get("/staff/cases/", {"overdue": "1"}))
    overdue(10)
    many = queries_of(lambda: client.get("/staff/cases/", {"overdue": "1"}))
    assert few == many


def test_the_next_rows_by_htmx_skip_the_counts(submit, client_as):
    client = client_as(Role.HANDLING_OFFICER)
    client.get("/staff/cases/")  # warm
    full = queries_of(lambda: client.get("/staff/cases/"))
    rows = queries_of(lambda: client.get("/staff/cases/", headers={"HX-Request": "true"}))
    # the page around the rows costs 1 more; neither the counts nor the total is read
    assert rows == full - 3
