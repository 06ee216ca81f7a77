"""Deadline rules against dates checked by hand on a paper calendar."""

from datetime import date

import pytest

from danvan.deadlines.calendar import WorkingCalendar
from danvan.deadlines.compute import ExtensionNotAllowed, Pause, due_date
from danvan.deadlines.rules import (
    DayType,
    RuleNotInForce,
    Setting,
    UnknownRule,
    edition_on,
    load_rulebook,
)

RULES = load_rulebook()
CALENDAR = WorkingCalendar()
D = date.fromisoformat

# (rule, start, variant, extensions, due, why)
CASES = [
    ("TC-1", "2026-02-12", None, 0, "2026-03-02", "7 working days across Tết 2026 (16-20 Feb)"),
    ("TC-1", "2026-02-12", "multi_location", 0, "2026-03-05", "10 working days across Tết 2026"),
    ("DON-1", "2027-02-02", None, 0, "2027-02-23", "10 working days across Tết 2027 (4-10 Feb)"),
    ("TC-2", "2026-08-20", None, 0, "2026-08-26", "Saturday 22 Aug 2026 is a swapped working day"),
    (
        "KN-2",
        "2026-01-19",
        None,
        0,
        "2026-02-23",
        "30 days end on Tết (18 Feb), moved to Monday 23",
    ),
    ("KN-2", "2026-01-20", "remote", 0, "2026-03-06", "remote area: 45 days"),
    ("KN-2", "2026-01-20", "remote+complex", 0, "2026-03-23", "60 days end Saturday 21 Mar"),
    ("KN-6", "2026-04-01", "complex", 0, "2026-06-01", "60 days end Sunday 31 May"),
    ("TC-5", "2026-03-10", "complex", 1, "2026-05-11", "30+30 days end Saturday 9 May"),
    ("TC-5", "2026-03-10", "especially_complex", 2, "2026-06-08", "30+30+30 days"),
    ("TC-5", "2026-04-01", None, 0, "2026-05-04", "31 Apr→1 May: 30 Apr, 1 May holidays, weekend"),
    ("KNPA-1", "2026-11-02", "lead_agency", 0, "2026-12-22", "50 days"),
    ("PDP-1", "2025-12-30", None, 0, "2026-01-02", "72 hours under NĐ 13/2023"),
    ("PDP-1", "2026-01-05", None, 0, "2026-01-07", "2 working days under NĐ 356/2025"),
    ("KN-1", "2026-04-20", None, 0, "2026-05-04", "10 days end on 30 Apr, holidays and weekend"),
]


@pytest.mark.parametrize(("code", "start", "variant", "extensions", "due", "why"), CASES)
def test_due_dates_checked_by_hand(code, start, variant, extensions, due, why):
    rule = RULES.rule(code, on=D(start))
    result = due_date(rule, D(start), CALENDAR, variant=variant, extensions=extensions)
    assert result.due == D(due), why


def test_tet_days_are_not_working_days():
    for day in ["2026-02-16", "2026-02-17", "2026-02-20", "2027-02-04", "2027-02-10"]:
        assert not CALENDAR.is_working_day(D(day))
    assert CALENDAR.is_working_day(D("2026-02-13"))


def test_hung_kings_day_is_a_day_off():
    assert not CALENDAR.is_working_day(D("2027-04-16"))
    assert CALENDAR.holiday_name(D("2027-04-16")) == "Ngày Giỗ Tổ Hùng Vương"


def test_an_administrators_swapped_saturday_counts_as_a_working_day():
    swapped = WorkingCalendar.with_overrides(working_days=[D("2027-02-20")])
    rule = RULES.rule("TC-2", on=D("2027-02-18"))
    assert due_date(rule, D("2027-02-18"), CALENDAR).due == D("2027-02-25")
    assert due_date(rule, D("2027-02-18"), swapped).due == D("2027-02-24")


def test_an_administrators_extra_day_off_does_not_count():
    rule = RULES.rule("TC-4", on=D("2026-12-28"))
    plain = due_date(rule, D("2026-12-28"), CALENDAR).due
    extra = WorkingCalendar.with_overrides(days_off=[D("2026-12-31")])
    assert plain == D("2027-01-05")  # 29, 30, 31 Dec, (1 Jan holiday, weekend), 4, 5 Jan
    assert due_date(rule, D("2026-12-28"), extra).due == D("2027-01-06")


def test_extensions_beyond_the_legal_maximum_are_refused():
    rule = RULES.rule("TC-5", on=D("2026-03-10"))
    with pytest.raises(ExtensionNotAllowed):
        due_date(rule, D("2026-03-10"), CALENDAR, variant="complex", extensions=2)
    with pytest.raises(ExtensionNotAllowed):
        due_date(rule, D("2026-03-10"), CALENDAR, extensions=1)


def test_complaint_caps_are_variants_not_extensions():
    rule = RULES.rule("KN-2", on=D("2026-03-10"))
    with pytest.raises(ExtensionNotAllowed):
        due_date(rule, D("2026-03-10"), CALENDAR, extensions=1)
    with pytest.raises(ValueError, match="has no variant"):
        due_date(rule, D("2026-03-10"), CALENDAR, variant="especially_complex")


def test_days_waiting_for_the_citizen_do_not_count():
    rule = RULES.rule("KN-2", on=D("2026-07-02"))
    plain = due_date(rule, D("2026-07-02"), CALENDAR)
    paused = due_date(
        rule, D("2026-07-02"), CALENDAR, pauses=[Pause(D("2026-07-10"), D("2026-07-19"))]
    )
    assert plain.due == D("2026-08-03")  # 1 Aug is a Saturday
    assert paused.due == D("2026-08-11")


def test_paused_working_days_shift_a_working_day_rule():
    rule = RULES.rule("TC-1", on=D("2026-11-02"))
    assert due_date(rule, D("2026-11-02"), CALENDAR).due == D("2026-11-11")
    paused = due_date(
        rule, D("2026-11-02"), CALENDAR, pauses=[Pause(D("2026-11-04"), D("2026-11-05"))]
    )
    assert paused.due == D("2026-11-13")


def test_a_case_filed_before_and_decided_after_1_july_2026():
    """Received under the 2026-01-01 edition, accepted and suspended under Luật 136/2025."""
    received, accepted = D("2026-06-20"), D("2026-07-02")
    assert edition_on(received) == D("2026-01-01")
    assert edition_on(accepted) == D("2026-07-01")
    # Suspension of a complaint exists only from 1 July 2026 (Luật 136/2025).
    assert not RULES.has("KN-10", on=received)
    assert RULES.has("KN-10", on=D("2026-07-10"))
    accept = due_date(RULES.rule("KN-1", on=received), received, CALENDAR)
    assert accept.due == D("2026-06-30")
    resolve = due_date(
        RULES.rule("KN-2", on=accepted),
        accepted,
        CALENDAR,
        pauses=[Pause(D("2026-07-10"), D("2026-07-19"))],
    )
    assert resolve.due == D("2026-08-11")


def test_rule_versions_are_chosen_by_date():
    assert RULES.rule("PDP-1", on=D("2025-12-31")).legal_basis == "NĐ 13/2023/NĐ-CP"
    assert RULES.rule("PDP-1", on=D("2026-01-01")).legal_basis == "NĐ 356/2025/NĐ-CP"
    with pytest.raises(RuleNotInForce):
        RULES.rule("PDP-1", on=D("2020-01-01"))
    with pytest.raises(UnknownRule):
        RULES.rule("XX-1", on=D("2026-01-01"))


def test_only_unconfirmed_rules_take_an_administrators_value():
    local = RULES.with_settings(
        [Setting("DON-1", days=10, day_type=DayType.CALENDAR), Setting("KN-2", days=99)]
    )
    don = local.rule("DON-1", on=D("2026-03-02"))
    assert (don.days, don.day_type) == (10, DayType.CALENDAR)
    assert local.rule("KN-2", on=D("2026-03-02")).days == 30  # confirmed by law: unchanged


def test_every_rule_has_a_legal_basis_and_a_known_confidence():
    for code in RULES.codes():
        for rule in RULES.versions(code):
            assert rule.legal_basis
            assert rule.confidence in {"confirmed", "secondary", "unconfirmed"}
            assert not rule.configurable or rule.confidence != "confirmed" or rule.code == "KN-1"
