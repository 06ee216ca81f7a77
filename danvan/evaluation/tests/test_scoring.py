"""Pure scoring, as tables: mapping rules, totals, tiers, ranking, flags and tie-breaks."""

from decimal import Decimal

import pytest

from danvan.evaluation.scoring import (
    NOT_RANKED,
    Band,
    FlagRule,
    Linear,
    RuleError,
    Scheme,
    UnitScore,
    mapped_points,
    parse_thresholds,
    parse_tie_break,
    rank,
    tier_for,
)

D = Decimal


@pytest.mark.parametrize(
    ("zero", "full", "value", "expected"),
    [
        ("50", "100", "100", "10.00"),  # at the full bound: every point
        ("50", "100", "75", "5.00"),  # halfway
        ("50", "100", "50", "0.00"),  # at the zero bound
        ("50", "100", "20", "0.00"),  # below: no negative points
        ("50", "100", "120", "10.00"),  # above: never more than the maximum
        ("50", "100", "66.7", "3.34"),  # 16.7/50*10 = 3.34 (rounded half up)
        ("10", "0", "0", "10.00"),  # lower is better: none overdue, every point
        ("10", "0", "4", "6.00"),
        ("10", "0", "12", "0.00"),
        ("2", "4.5", "3.5", "6.00"),  # a rating of 3.5 between 2 and 4.5
    ],
)
def test_linear_rule(zero, full, value, expected):
    assert mapped_points(Linear(D(zero), D(full)), D(value), D(10), no_data=D(10)) == D(expected)


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        (">=95:10; >=90:8; >=80:5", "97", "10"),
        (">=95:10; >=90:8; >=80:5", "95", "10"),  # the bound itself reaches the step
        (">=95:10; >=90:8; >=80:5", "94.9", "8"),
        (">=80:5; >=95:10; >=90:8", "91", "8"),  # steps in any order
        (">=95:10; >=90:8; >=80:5", "79", "0"),  # below every step
        ("<=0:4; <=2:3; <=5:2; <=10:1", "0", "4"),  # lower is better
        ("<=0:4; <=2:3; <=5:2; <=10:1", "2", "3"),
        ("<=0:4; <=2:3; <=5:2; <=10:1", "11", "0"),
        (">=2:4\n>=1:2", "1", "2"),  # one step a line
        (">=1,5:2", "1.5", "2"),  # a decimal comma
    ],
)
def test_threshold_rule(text, value, expected):
    rule = parse_thresholds(text)
    assert mapped_points(rule, D(value), D(10), no_data=D(0)) == D(expected)


def test_a_threshold_never_gives_more_than_the_line_is_worth():
    assert mapped_points(parse_thresholds(">=0:20"), D(5), D(10), no_data=D(0)) == D(10)


@pytest.mark.parametrize(
    ("rule", "no_data", "expected"),
    [
        (Linear(D(50), D(100)), D(10), D(10)),
        (Linear(D(50), D(100)), D(0), D(0)),
        (parse_thresholds(">=1:4"), D(99), D(10)),
    ],
)
def test_nothing_to_measure_earns_the_set_s_no_data_points(rule, no_data, expected):
    assert mapped_points(rule, None, D(10), no_data=no_data) == expected


@pytest.mark.parametrize("text", ["", "95:10", ">=95:10; <=2:3", ">=abc:1", "=>95:10", ">=95"])
def test_unreadable_thresholds_are_refused(text):
    with pytest.raises(RuleError):
        parse_thresholds(text)


def test_a_linear_rule_needs_two_different_bounds():
    with pytest.raises(RuleError):
        Linear(D(5), D(5))


BANDS = (Band("xuat-sac", "Hoàn thành xuất sắc", D(90)), Band("tot", "Tốt", D(80)),
         Band("kha", "Khá", D(65)), Band("yeu", "Yếu", D(0)))  # fmt: skip


@pytest.mark.parametrize(
    ("total", "tier"),
    [
        ("100", "xuat-sac"),
        ("90", "xuat-sac"),
        ("89.99", "tot"),
        ("80", "tot"),
        ("78", "kha"),
        ("65", "kha"),
        ("64.5", "yeu"),
        ("0", "yeu"),
    ],
)
def test_tier_is_the_highest_band_reached(total, tier):
    band = tier_for(D(total), BANDS)
    assert band is not None
    assert band.code == tier


def test_no_band_reached_gives_no_tier():
    assert tier_for(D(10), (Band("tot", "Tốt", D(80)),)) is None


def unit(code, standard, *, group="commune", bonus=0, penalty=0, computed=0, eligible=True):
    return UnitScore(code, group, D(standard), D(bonus), D(penalty), D(computed), eligible)


@pytest.mark.parametrize(
    ("standard", "bonus", "penalty", "total"),
    [
        (80, 3, 0, "83.00"),
        (80, 7, 0, "85.00"),  # bonus capped at 5
        (80, 7, 2, "83.00"),
        (3, 0, 5, "0.00"),  # never below zero
        (98, 5, 0, "103.00"),
    ],
)
def test_total_is_standard_plus_capped_bonus_less_penalty(standard, bonus, penalty, total):
    assert unit("a", standard, bonus=bonus, penalty=penalty).total(D(5)) == D(total)


SCHEME = Scheme(bands=BANDS, bonus_cap=D(5), flags=FlagRule("xuat-sac", 3),
                tie_break=parse_tie_break("fewer_penalty, higher_computed"),
                groups=("commune", "provincial"))  # fmt: skip


def places(units, scheme=SCHEME):
    return [(r.unit.code, r.rank, r.group_rank, r.tier, r.flag) for r in rank(units, scheme)]


def test_ranking_within_groups_with_flags_for_the_best_of_the_highest_tier():
    units = [
        unit("c1", 95), unit("c2", 91), unit("c3", 92), unit("c4", 90), unit("c5", 85),
        unit("p1", 93, group="provincial"), unit("p2", 70, group="provincial"),
    ]  # fmt: skip
    assert places(units) == [
        ("c1", 1, 1, "xuat-sac", "nhat"),
        ("p1", 2, 1, "xuat-sac", "nhat"),  # the first of its own group
        ("c3", 3, 2, "xuat-sac", "nhi"),
        ("c2", 4, 3, "xuat-sac", "ba"),
        ("c4", 5, 4, "xuat-sac", ""),  # excellent, but three flags per group
        ("c5", 6, 5, "tot", ""),
        ("p2", 7, 2, "kha", ""),  # second of its group: not excellent, no flag
    ]


def test_ties_are_broken_by_fewer_penalty_then_computed_points_then_code():
    units = [
        unit("b", 88, bonus=2, penalty=0, computed=30),  # 90
        unit("a", 89, bonus=3, penalty=2, computed=40),  # 90, more penalty
        unit("d", 90, computed=35),  # 90, no penalty, more computed than b
        unit("c", 90, computed=30),  # 90, same as b: the code decides (c after b)
    ]
    assert [code for code, *_rest in places(units)] == ["d", "b", "c", "a"]


def test_without_a_stated_key_the_code_alone_breaks_a_tie():
    scheme = Scheme(bands=BANDS, bonus_cap=D(5), flags=FlagRule("", 1))
    assert places([unit("z", 80), unit("m", 80)], scheme) == [
        ("m", 1, 1, "tot", "nhat"),  # no flag tier: the first of the group
        ("z", 2, 2, "tot", ""),
    ]


def test_a_unit_not_eligible_is_not_ranked_and_comes_last():
    units = [unit("a", 99, eligible=False), unit("b", 70), unit("c", 60)]
    assert places(units) == [
        ("b", 1, 1, "kha", ""),
        ("c", 2, 2, "yeu", ""),
        ("a", 3, None, NOT_RANKED, ""),
    ]


def test_no_flag_when_nobody_reaches_the_flag_tier():
    assert [flag for *_rest, flag in places([unit("a", 85), unit("b", 80)])] == ["", ""]


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("fewer_penalty, higher_computed, code", ("fewer_penalty", "higher_computed", "code")),
        ("higher_bonus", ("higher_bonus", "code")),
        ("", ("code",)),
    ],
)
def test_tie_break_is_read_from_the_set(text, keys):
    assert parse_tie_break(text) == keys


def test_an_unknown_tie_break_key_is_refused():
    with pytest.raises(RuleError):
        parse_tie_break("fewer_penalty, luck")


def test_more_than_three_flags_a_group_is_refused():
    with pytest.raises(RuleError):
        FlagRule("", 4)
