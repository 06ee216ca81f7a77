"""Working days on the Vietnamese calendar.

Public holidays (lunar Tết, Hùng Kings day, ...) and the swaps the `holidays` library knows
come from it; the government's yearly swaps and extra days off that it does not know yet are
given by an administrator and passed in here. Pure Python: no database, no Django.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import holidays

ONE_DAY = timedelta(days=1)


@cache
def _public_holidays() -> holidays.HolidayBase:
    # One shared table: every calendar is built per request, the holidays never change.
    return holidays.country_holidays("VN")


@dataclass(frozen=True)
class WorkingCalendar:
    extra_days_off: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def with_overrides(
        cls, *, days_off: Iterable[date] = (), working_days: Iterable[date] = ()
    ) -> "WorkingCalendar":
        return cls(frozenset(days_off), frozenset(working_days))

    @property
    def _public(self) -> holidays.HolidayBase:
        return _public_holidays()

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        return bool(self._public.is_working_day(day))

    def holiday_name(self, day: date) -> str | None:
        return self._public.get(day)

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the first one after it."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`-th working day after `start` (the start day itself is not counted)."""
        day = start
        for _ in range(count):
            day = self.next_working_day(day + ONE_DAY)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`."""
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count
