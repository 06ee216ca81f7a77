"""The roll-up gives, month by month, what `cases.stats` counts by hand for a period, and a
letter that changes counts in its new state at the next refresh."""

from datetime import date

import pytest
import time_machine

from danvan.cases import services as s
from danvan.cases.stats import letter_stats
from danvan.cases.tests.test_stats import at, commune, letter, october, simple_rules  # noqa: F401
from danvan.insights.access import Scope
from danvan.insights.models import LetterMonth, LetterNow
from danvan.insights.periods import period_parse
from danvan.insights.queries import Filters, letters_by
from danvan.insights.rollup import refresh
from danvan.places.models import Agency

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def figures(code, **filters):
    scope = Scope(frozenset(Agency.objects.values_list("pk", flat=True)), province=True)
    found = letters_by(scope, Filters(period=period_parse(code), **filters), "agency_id")  # type: ignore[arg-type]
    return found[commune()]


def test_october_from_the_rollup_is_octobers_hand_count(october):  # noqa: F811 (the fixture)
    refresh()
    row = figures("2026-10")
    # The hand count of danvan/cases/tests/test_stats.py::test_october_counted_by_hand.
    assert (row.received, row.on_time, row.late) == (7, 4, 4)
    assert (row.rated, row.rating_sum) == (2, 7)
    assert (row.complaints_on_time, row.complaints_late) == (1, 1)


@pytest.mark.parametrize("code", ["2026-09", "2026-10", "2026-11", "2026-Q4", "2026-H2", "2026"])
def test_every_period_sums_to_what_letter_stats_counts(october, code):  # noqa: F811 (the fixture)
    refresh()
    period = period_parse(code)
    expected = letter_stats(start=period.start, end=period.end)[commune()]
    row = figures(code)
    assert (row.received, row.on_time, row.late, row.rated, row.rating_sum,
            row.complaints_on_time, row.complaints_late) == (
        expected.received, expected.on_time, expected.late, expected.rated,
        expected.rating_sum, expected.complaints_on_time, expected.complaints_late)  # fmt: skip


def test_open_and_overdue_now_as_the_sweep_sees_them(october):  # noqa: F811 (the fixture)
    refresh()
    row = figures("2026-11")
    # As test_stats' November: 7 overdue now; open: those 7, L12 (waiting for the citizen).
    assert (row.open, row.overdue) == (8, 7)


def test_a_letter_that_changes_counts_in_its_new_state_after_the_refresh(submit, handler):
    case = submit(kind="feedback")
    refresh()
    assert figures("2026-11", kind="feedback").received == 1
    with time_machine.travel(at("2026-11-23 10:00"), tick=False):
        s.case_classify(case=case, by=handler, kind="complaint", topic=case.topic)
    assert figures("2026-11", kind="feedback").received == 1  # not refreshed yet
    refresh()
    assert figures("2026-11", kind="complaint").received == 1
    with pytest.raises(KeyError):
        figures("2026-11", kind="feedback")


def test_a_letter_moved_to_another_agency_leaves_the_first(submit, handler):
    case = submit(kind="feedback")
    refresh()
    works = Agency.objects.get(code="hy-so-xd")
    s.case_forward(case=case, by=handler, agency=works, note="Thuộc thẩm quyền Sở Xây dựng.")
    refresh()
    # A forwarded letter stays with the agency that forwarded it (its answer), and is no
    # longer open there.
    assert figures("2026-11").received == 1
    assert figures("2026-11").open == 0
    assert not LetterNow.objects.filter(agency=works).exists()


def test_a_second_refresh_replaces_the_first(october):  # noqa: F811 (the fixture)
    refresh()
    rows = LetterMonth.objects.count()
    refresh()
    assert LetterMonth.objects.count() == rows
