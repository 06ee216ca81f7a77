"""Due dates: a rule, a start date, the calendar, and what happened to the case since."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .calendar import ONE_DAY, WorkingCalendar
from .rules import DayType, Rule


class ExtensionNotAllowed(ValueError):
    pass


@dataclass(frozen=True)
class Pause:
    """Days that do not count (waiting for the citizen, suspension): `first`..`last` inclusive."""

    first: date
    last: date

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class DueDate:
    rule: Rule
    start: date
    due: date
    days: int
    variant: str | None
    extensions: int

    def explain(self) -> str:
        kind = "working days" if self.rule.day_type == DayType.WORKING else "days"
        parts = [f"{self.rule.code}: {self.days} {kind} from {self.start.isoformat()}"]
        if self.variant:
            parts.append(f"variant {self.variant}")
        if self.extensions:
            parts.append(f"{self.extensions} extension(s)")
        return ", ".join(parts) + f" ({self.rule.legal_basis})"


def due_date(
    rule: Rule,
    start: date,
    calendar: WorkingCalendar,
    *,
    variant: str | None = None,
    extensions: int = 0,
    pauses: Iterable[Pause] = (),
) -> DueDate:
    """The last day to act under `rule` for an event on `start`.

    Counting starts the day after `start`. Paused days do not count. Working-day rules count
    working days only; calendar-day rules that end on a day off move to the next working day
    when the rule says so.
    """
    allowed = rule.extensions_allowed(variant)
    if extensions < 0 or extensions > allowed:
        raise ExtensionNotAllowed(f"{rule.code} allows {allowed} extension(s), not {extensions}")
    days = rule.days_for(variant) + extensions * rule.extension_days
    paused = list(pauses)
    working = rule.day_type == DayType.WORKING
    day, counted = start, 0
    while counted < days:
        day += ONE_DAY
        if any(p.covers(day) for p in paused):
            continue
        if working and not calendar.is_working_day(day):
            continue
        counted += 1
    if not working and rule.roll_forward:
        day = calendar.next_working_day(day)
    return DueDate(rule, start, day, days, variant, extensions)
