"""The legal deadline rules, as data (`rules.csv`), versioned by the dates they are in force.

A rule's code is the id of its row in the legal research table (`shared/legal/deadlines.csv`),
so every deadline the platform computes traces to an article. Pure Python.
"""

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from importlib.resources import files

# The dates on which the rules changed as a whole: the edition a case was received under is
# recorded on the case, so a later reader knows which law counted its days.
EDITIONS = {
    date(2021, 11, 15): "TT 04/2021, TT 05/2021",
    date(2025, 7, 1): "two-tier local government (NĐ 141/2025), Luật Thanh tra 84/2025",
    date(2026, 1, 1): "Luật Bảo vệ dữ liệu cá nhân 91/2025, NĐ 356/2025",
    date(
        2026, 7, 1
    ): "Luật 136/2025/QH15 amending the reception, complaints and denunciations laws",
}


class DayType(StrEnum):
    CALENDAR = "calendar"
    WORKING = "working"


class UnknownRule(LookupError):
    pass


class RuleNotInForce(LookupError):
    pass


@dataclass(frozen=True)
class Rule:
    code: str
    procedure: str
    step: str
    trigger: str
    days: int | None
    day_type: DayType | None
    roll_forward: bool
    variants: Mapping[str, int]
    extension_days: int
    max_extensions: Mapping[str, int]
    legal_basis: str
    confidence: str
    configurable: bool
    effective_from: date
    effective_to: date | None
    note: str = ""

    @property
    def is_deadline(self) -> bool:
        return self.days is not None

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def days_for(self, variant: str | None) -> int:
        if self.days is None:
            raise ValueError(f"{self.code} sets no deadline")
        if not variant:
            return self.days
        if variant in self.variants:
            return self.variants[variant]
        if variant in self.max_extensions:  # a variant that only allows extensions
            return self.days
        known = sorted({*self.variants, *self.max_extensions} - {"default"})
        raise ValueError(f"{self.code} has no variant {variant!r}; it has {known}")

    def extensions_allowed(self, variant: str | None) -> int:
        return self.max_extensions.get(variant or "default", self.max_extensions.get("default", 0))


@dataclass(frozen=True)
class Setting:
    """An administrator's value for a configurable (unconfirmed) rule."""

    code: str
    days: int | None = None
    day_type: DayType | None = None
    roll_forward: bool | None = None


@dataclass(frozen=True)
class Rulebook:
    rules: tuple[Rule, ...]
    _by_code: dict[str, list[Rule]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_code: dict[str, list[Rule]] = {}
        for rule in self.rules:
            by_code.setdefault(rule.code, []).append(rule)
        object.__setattr__(self, "_by_code", by_code)

    def codes(self) -> list[str]:
        return sorted(self._by_code)

    def rule(self, code: str, *, on: date) -> Rule:
        """The version of rule `code` in force on `on`."""
        versions = self._by_code.get(code)
        if not versions:
            raise UnknownRule(code)
        for rule in versions:
            if rule.in_force_on(on):
                return rule
        raise RuleNotInForce(f"{code} on {on.isoformat()}")

    def versions(self, code: str) -> list[Rule]:
        return list(self._by_code.get(code, []))

    def has(self, code: str, *, on: date) -> bool:
        return any(r.in_force_on(on) for r in self._by_code.get(code, []))

    def with_settings(self, settings: Iterable[Setting]) -> "Rulebook":
        """The same rules with administrators' values applied to configurable ones only."""
        wanted = {s.code: s for s in settings}
        rules = []
        for rule in self.rules:
            s = wanted.get(rule.code)
            if s and rule.configurable:
                rule = replace(
                    rule,
                    days=rule.days if s.days is None else s.days,
                    day_type=s.day_type or rule.day_type,
                    roll_forward=rule.roll_forward if s.roll_forward is None else s.roll_forward,
                )
            rules.append(rule)
        return Rulebook(tuple(rules))


def edition_on(day: date) -> date:
    """The date of the rule edition in force on `day` (the latest edition not after it)."""
    return max((d for d in EDITIONS if d <= day), default=min(EDITIONS))


def _pairs(text: str) -> dict[str, int]:
    pairs = (item.split("=") for item in text.split(";") if item.strip())
    return {name.strip(): int(value) for name, value in pairs}


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _rule(row: dict[str, str]) -> Rule:
    return Rule(
        code=row["code"],
        procedure=row["procedure"],
        step=row["step"],
        trigger=row["trigger"],
        days=int(row["days"]) if row["days"] else None,
        day_type=DayType(row["day_type"]) if row["day_type"] else None,
        roll_forward=row["roll_forward"] == "yes",
        variants=_pairs(row["variants"]),
        extension_days=int(row["extension_days"] or 0),
        max_extensions=_pairs(row["max_extensions"]),
        legal_basis=row["legal_basis"],
        confidence=row["confidence"],
        configurable=row["configurable"] == "yes",
        effective_from=_date(row["effective_from"]) or date.min,
        effective_to=_date(row["effective_to"]),
        note=row["note"],
    )


def load_rulebook() -> Rulebook:
    text = (files("danvan.deadlines") / "rules.csv").read_text(encoding="utf-8")
    return Rulebook(tuple(_rule(row) for row in csv.DictReader(text.splitlines())))
