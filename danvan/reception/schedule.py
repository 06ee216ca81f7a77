"""Reception days from a schedule's rule: pure date arithmetic over the working calendar."""

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date, timedelta

from danvan.deadlines.calendar import WorkingCalendar

from .rules import Period

WEEK = timedelta(days=7)


@dataclass(frozen=True)
class PlannedDay:
    chosen: date  # the unit's day by the rule ("every Friday", "the 15th")
    held_on: date  # the day itself, or the next working day when it falls on a day off


def chosen_days(
    *, period: Period, weekday: int | None, day_of_month: int | None, start: date, end: date
) -> list[date]:
    """The unit's chosen days from `start` to `end` inclusive, before any roll-forward.

    A day of the month past the month's end ("the 31st") falls on the month's last day.
    """
    if period == Period.WEEK:
        if weekday is None:
            raise ValueError("a weekly schedule needs a weekday")
        day = start + timedelta(days=(weekday - start.weekday()) % 7)
        days = []
        while day <= end:
            days.append(day)
            day += WEEK
        return days
    if day_of_month is None:
        raise ValueError("a monthly schedule needs a day of the month")
    days, year, month = [], start.year, start.month
    while date(year, month, 1) <= end:
        last = month_calendar.monthrange(year, month)[1]
        day = date(year, month, min(day_of_month, last))
        if start <= day <= end:
            days.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return days


def planned_days(
    chosen: list[date], *, calendar: WorkingCalendar, roll_forward: bool = True
) -> list[PlannedDay]:
    """Each chosen day moved to the next working day (Tết, 2 September, a Sunday...).

    Without roll-forward a day off is skipped. Two chosen days that land on the same
    working day (a long Tết break) give one session.
    """
    planned: list[PlannedDay] = []
    seen: set[date] = set()
    for day in chosen:
        if calendar.is_working_day(day):
            held_on = day
        elif roll_forward:
            held_on = calendar.next_working_day(day)
        else:
            continue
        if held_on not in seen:
            seen.add(held_on)
            planned.append(PlannedDay(day, held_on))
    return planned


def periods_started(*, period: Period, start: date, end: date) -> int:
    """Weeks (from Monday) or months (from the 1st) that begin between `start` and `end`.

    A leader owes one reception day for each; a schedule that starts mid-week or
    mid-month owes nothing for that first part-period.
    """
    if end < start:
        return 0
    if period == Period.WEEK:
        first_monday = start + timedelta(days=(0 - start.weekday()) % 7)
        return 0 if first_monday > end else (end - first_monday).days // 7 + 1
    first = date(start.year, start.month, 1)
    if first < start:
        first = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    if first > end:
        return 0
    return (end.year - first.year) * 12 + end.month - first.month + 1
