"""The legal minimum reception frequencies and the delegation rule, as dated data.

Pure Python: the logic in `schedule.py` and `queries.py` reads these tables and never
hard-codes a frequency or a date. Sources: shared/legal/LEGAL_RULES.md section 1 (TCD-1..3).
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

# Luật Tiếp công dân 2013 (LTCD) in force from this day.
LTCD_IN_FORCE = date(2014, 7, 1)
# Luật 136/2025/QH15 amending the LTCD in force from this day.
AMENDMENT_136_IN_FORCE = date(2026, 7, 1)


class LeaderRole(StrEnum):
    COMMUNE_CHAIR = "commune_chair"
    PROVINCIAL_CHAIR = "provincial_chair"
    AGENCY_HEAD = "agency_head"


class Period(StrEnum):
    WEEK = "weekly"
    MONTH = "monthly"


@dataclass(frozen=True)
class MinimumFrequency:
    code: str  # the id in shared/legal/deadlines.csv
    leader_role: LeaderRole
    period: Period
    days: int  # reception days required per period, at least
    legal_basis: str
    effective_from: date
    effective_to: date | None = None  # first day no longer in force


@dataclass(frozen=True)
class DelegationRule:
    """Whether a deputy may stand in for a leader who is away on a reception day."""

    allowed: bool
    legal_basis: str
    effective_from: date | None
    effective_to: date | None = None  # first day no longer in force


MINIMUM_FREQUENCIES: tuple[MinimumFrequency, ...] = (
    MinimumFrequency("TCD-1", LeaderRole.COMMUNE_CHAIR, Period.WEEK, 1,
                     "Luật Tiếp công dân 2013, Điều 15 khoản 2 điểm d", LTCD_IN_FORCE),
    MinimumFrequency("TCD-2", LeaderRole.PROVINCIAL_CHAIR, Period.MONTH, 1,
                     "Luật Tiếp công dân 2013, Điều 12 khoản 5", LTCD_IN_FORCE),
    MinimumFrequency("TCD-3", LeaderRole.AGENCY_HEAD, Period.MONTH, 1,
                     "Luật Tiếp công dân 2013, Điều 18 khoản 2, 4; Nghị định 64/2014, Điều 4 "
                     "khoản 2", LTCD_IN_FORCE),
)  # fmt: skip

DELEGATION_RULES: tuple[DelegationRule, ...] = (
    DelegationRule(True, "Luật Tiếp công dân 2013 (cấp phó được ủy quyền tiếp thay)",
                   None, AMENDMENT_136_IN_FORCE),
    DelegationRule(False, "Luật 136/2025/QH15 (không được ủy quyền cấp phó tiếp công dân)",
                   AMENDMENT_136_IN_FORCE),
)  # fmt: skip


class NoRuleInForce(LookupError):
    pass


def _in_force(start: date | None, end: date | None, on: date) -> bool:
    return (start is None or start <= on) and (end is None or on < end)


def minimum_for(role: LeaderRole | str, *, on: date) -> MinimumFrequency:
    for rule in MINIMUM_FREQUENCIES:
        if rule.leader_role == role and _in_force(rule.effective_from, rule.effective_to, on):
            return rule
    raise NoRuleInForce(f"no reception frequency for {role} on {on}")


def minimums_between(role: LeaderRole | str, *, start: date, end: date) -> list[MinimumFrequency]:
    """Every minimum for the office in force at some day from `start` to `end` inclusive."""
    return [
        rule
        for rule in MINIMUM_FREQUENCIES
        if rule.leader_role == role
        and rule.effective_from <= end
        and (rule.effective_to is None or start < rule.effective_to)
    ]


def delegation_rule(*, on: date) -> DelegationRule:
    for rule in DELEGATION_RULES:
        if _in_force(rule.effective_from, rule.effective_to, on):
            return rule
    raise NoRuleInForce(f"no delegation rule on {on}")


def delegation_allowed(*, on: date) -> bool:
    return delegation_rule(on=on).allowed


# NĐ 124/2020 Art. 6: how many representatives a group of complainants may appoint.
GROUP_MIN = 5  # from this size the group must appoint representatives
GROUP_LIMITS: tuple[tuple[int, int], ...] = ((11, 5), (GROUP_MIN, 2))  # (from size, at most)
GROUP_BASIS = "Nghị định 124/2020/NĐ-CP, Điều 6"


def representatives_max(group_size: int) -> int | None:
    """At most this many representatives; None below GROUP_MIN (no rule applies)."""
    for from_size, most in GROUP_LIMITS:
        if group_size >= from_size:
            return most
    return None
