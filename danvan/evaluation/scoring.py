"""Pure scoring: a metric's value to points, totals, tiers, ranking within groups, flags.

No Django here (an import-linter contract keeps it so): every rule comes in as data from the
province's criteria set, and the tests are tables.

- Mapping rules: `Linear(zero_at, full_at)` gives nothing at `zero_at`, the full points at
  `full_at` and a straight line between (either way round: lower may be better);
  `Thresholds` gives the points of the first step the value reaches, written
  ">=95:10; >=90:8; >=80:5" (higher is better) or "<=0:5; <=2:3" (lower is better).
- Total: standard points + bonus (up to the set's cap) - penalty, never below zero.
- Tier: the band with the highest floor the total reaches.
- Ranking: within each group, eligible units by total, ties broken by the set's keys in
  order; the flags (Hạng Nhất, Nhì, Ba) go to the first `flag_count` units of a group whose
  tier is the flag tier or above. Units not eligible are listed after, unranked.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal(0)
FLAGS = ("nhat", "nhi", "ba")
NOT_RANKED = "khong-du-dieu-kien"


class RuleError(ValueError):
    """A rule written in a way that cannot be read; the message says where."""


def points(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# Mapping a metric to points ------------------------------------------------------------


@dataclass(frozen=True)
class Linear:
    zero_at: Decimal
    full_at: Decimal

    def __post_init__(self) -> None:
        if self.zero_at == self.full_at:
            raise RuleError("linear: the two bounds must differ")

    def share(self, value: Decimal) -> Decimal:
        share = (value - self.zero_at) / (self.full_at - self.zero_at)
        return min(max(share, ZERO), Decimal(1))


@dataclass(frozen=True)
class Thresholds:
    steps: tuple[tuple[Decimal, Decimal], ...]  # (bound, points), best first
    lower_is_better: bool = False

    def points_for(self, value: Decimal) -> Decimal:
        for bound, earned in self.steps:
            if (value <= bound) if self.lower_is_better else (value >= bound):
                return earned
        return ZERO


_STEP = re.compile(r"^\s*(>=|<=)\s*(-?\d+(?:[.,]\d+)?)\s*:\s*(\d+(?:[.,]\d+)?)\s*$")


def parse_thresholds(text: str) -> Thresholds:
    """ ">=95:10; >=90:8" -> Thresholds; RuleError naming the part that cannot be read."""
    parts = [part for part in re.split(r"[;\n]", text) if part.strip()]
    if not parts:
        raise RuleError("thresholds: no step")
    steps, signs = [], set()
    for part in parts:
        match = _STEP.match(part)
        if match is None:
            raise RuleError(f"thresholds: cannot read {part.strip()!r}")
        sign, bound, earned = match.groups()
        signs.add(sign)
        steps.append((_decimal(bound), _decimal(earned)))
    if len(signs) > 1:
        raise RuleError("thresholds: use either >= or <= in every step")
    lower = signs == {"<="}
    ordered = sorted(steps, key=lambda step: step[0], reverse=not lower)
    return Thresholds(tuple(ordered), lower_is_better=lower)


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


Rule = Linear | Thresholds


def mapped_points(
    rule: Rule, value: Decimal | None, max_points: Decimal, *, no_data: Decimal
) -> Decimal:
    """The points a metric's value earns (capped at `max_points`); `no_data` when None."""
    if value is None:
        return points(min(no_data, max_points))
    if isinstance(rule, Linear):
        return points(max_points * rule.share(value))
    return points(min(rule.points_for(value), max_points))


# Totals, tiers and ranking --------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    min_score: Decimal


@dataclass(frozen=True)
class UnitScore:
    code: str  # the agency's code: the last tie-break, and stable
    group: str
    standard: Decimal  # the criteria's points
    bonus: Decimal  # before the cap
    penalty: Decimal
    computed: Decimal  # of `standard`, the points computed from platform data
    eligible: bool = True

    def total(self, bonus_cap: Decimal) -> Decimal:
        return points(max(self.standard + min(self.bonus, bonus_cap) - self.penalty, ZERO))


@dataclass(frozen=True)
class FlagRule:
    tier: str  # the lowest tier that may receive a flag ("" = any tier)
    count: int  # flags per group (at most 3: Nhất, Nhì, Ba)

    def __post_init__(self) -> None:
        if not 0 <= self.count <= len(FLAGS):
            raise RuleError(f"flags: between 0 and {len(FLAGS)} per group")


@dataclass(frozen=True)
class Ranked:
    unit: UnitScore
    total: Decimal
    tier: str  # a band's code, or NOT_RANKED
    group_rank: int | None  # None when not eligible
    flag: str = ""  # "nhat", "nhi", "ba" or ""
    rank: int = 0  # the place in the province-wide list


# Tie-break keys: the first that differs decides. Each maps a unit to a value where smaller
# sorts first. "code" is always last, so no two units ever share a place.
TIE_BREAKS: dict[str, Callable[[UnitScore], object]] = {
    "fewer_penalty": lambda u: u.penalty,
    "higher_computed": lambda u: -u.computed,
    "higher_standard": lambda u: -u.standard,
    "higher_bonus": lambda u: -u.bonus,
    "code": lambda u: u.code,
}


def parse_tie_break(text: str) -> tuple[str, ...]:
    """ "fewer_penalty, higher_computed, code" -> its keys; RuleError for an unknown one."""
    keys = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [key for key in keys if key not in TIE_BREAKS]
    if unknown:
        raise RuleError(f"tie-break: unknown {', '.join(unknown)}")
    return keys if "code" in keys else (*keys, "code")


def tier_for(total: Decimal, bands: Sequence[Band]) -> Band | None:
    reached = [band for band in bands if total >= band.min_score]
    return max(reached, key=lambda band: band.min_score) if reached else None


@dataclass(frozen=True)
class Scheme:
    """What a criteria set says about totals and ranking."""

    bands: tuple[Band, ...]
    bonus_cap: Decimal
    flags: FlagRule
    tie_break: tuple[str, ...] = ("code",)
    groups: tuple[str, ...] = field(default=())  # the order groups are listed in

    def sort_key(self, unit: UnitScore) -> tuple[object, ...]:
        return (-unit.total(self.bonus_cap), *(TIE_BREAKS[key](unit) for key in self.tie_break))


def rank(units: Iterable[UnitScore], scheme: Scheme) -> list[Ranked]:
    """Every unit ranked in its group, flagged, and placed in the province-wide list."""
    units = list(units)
    ranked: list[Ranked] = []
    for group in _groups(units, scheme):
        members = sorted((u for u in units if u.group == group and u.eligible), key=scheme.sort_key)
        ranked.extend(_flagged([_ranked(u, n, scheme) for n, u in enumerate(members, 1)], scheme))
    ranked.sort(key=lambda r: scheme.sort_key(r.unit))
    outside = sorted((u for u in units if not u.eligible), key=lambda u: u.code)
    ranked.extend(Ranked(u, u.total(scheme.bonus_cap), NOT_RANKED, None) for u in outside)
    return [replace(r, rank=n) for n, r in enumerate(ranked, 1)]


def _groups(units: list[UnitScore], scheme: Scheme) -> list[str]:
    seen = [g for g in scheme.groups if any(u.group == g for u in units)]
    return seen + sorted({u.group for u in units} - set(seen))


def _ranked(unit: UnitScore, place: int, scheme: Scheme) -> Ranked:
    total = unit.total(scheme.bonus_cap)
    band = tier_for(total, scheme.bands)
    return Ranked(unit, total, band.code if band else "", place)


def _flagged(members: list[Ranked], scheme: Scheme) -> list[Ranked]:
    floor = next((b.min_score for b in scheme.bands if b.code == scheme.flags.tier), None)
    given, out = 0, []
    for member in members:
        worthy = floor is None or tier_floor(member.tier, scheme.bands) >= floor
        if worthy and given < scheme.flags.count:
            member = replace(member, flag=FLAGS[given])
            given += 1
        out.append(member)
    return out


def tier_floor(code: str, bands: Sequence[Band]) -> Decimal:
    return next((b.min_score for b in bands if b.code == code), Decimal(-1))
