"""The rulebook and calendar in force, with administrators' changes from the database."""

from datetime import date

from danvan.core.refcache import reference
from danvan.deadlines.calendar import WorkingCalendar
from danvan.deadlines.rules import DayType, Rulebook, Setting, load_rulebook

from .models import CalendarDay, RuleSetting

_LEGAL = load_rulebook()


@reference(CalendarDay)
def current_calendar() -> WorkingCalendar:
    days = list(CalendarDay.objects.values_list("day", "is_working_day"))
    return WorkingCalendar.with_overrides(
        days_off=(d for d, working in days if not working),
        working_days=(d for d, working in days if working),
    )


@reference(RuleSetting)
def current_rulebook() -> Rulebook:
    settings = [
        Setting(s.code, s.days, DayType(s.day_type) if s.day_type else None, s.roll_forward)
        for s in RuleSetting.objects.all()
    ]
    return _LEGAL.with_settings(settings) if settings else _LEGAL


def legal_rulebook() -> Rulebook:
    """The rules exactly as the law table has them, without local settings."""
    return _LEGAL


def configurable_codes(on: date) -> list[str]:
    return [
        c for c in _LEGAL.codes() if _LEGAL.has(c, on=on) and _LEGAL.rule(c, on=on).configurable
    ]
