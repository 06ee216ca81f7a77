"""Reporting periods: a month, a quarter, six months or a year, written as the pages and
reports name them ("2026-11", "2026-Q4", "2026-H2", "2026"). Pure Python."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

PATTERN = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])))?$")
FIRST_YEAR = 2000


@dataclass(frozen=True)
class Period:
    code: str
    start: date
    end: date  # included
    kind: str  # "month", "quarter", "half", "year"

    def months(self) -> list[date]:
        """The first day of each month of the period."""
        found, day = [], self.start
        while day <= self.end:
            found.append(day)
            day = _next_month(day)
        return found

    @property
    def label_vi(self) -> str:
        """The period as a Vietnamese report writes it."""
        year = self.start.year
        if self.kind == "month":
            return f"tháng {self.start.month:02d} năm {year}"
        if self.kind == "quarter":
            return f"quý {ROMAN[(self.start.month - 1) // 3]} năm {year}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if self.start.month == 1 else 'cuối'} năm {year}"
        return f"năm {year}"


ROMAN = ["I", "II", "III", "IV"]


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _month_end(year: int, month: int) -> date:
    return _next_month(date(year, month, 1)) - timedelta(days=1)


def period_parse(code: str) -> Period | None:
    """The period a code names, or None when it names none."""
    found = PATTERN.match(code.strip())
    if not found or not FIRST_YEAR <= int(found.group(1)) <= 2100:
        return None
    year = int(found.group(1))
    month, quarter, half = found.group(2), found.group(3), found.group(4)
    if month:
        m = int(month)
        return Period(code, date(year, m, 1), _month_end(year, m), "month")
    if quarter:
        first = 3 * int(quarter) - 2
        return Period(code, date(year, first, 1), _month_end(year, first + 2), "quarter")
    if half:
        first = 1 if half == "1" else 7
        return Period(code, date(year, first, 1), _month_end(year, first + 5), "half")
    return Period(code, date(year, 1, 1), date(year, 12, 31), "year")


def period_codes(year: int) -> list[str]:
    """Every period of a year, the whole year first, then halves, quarters, months."""
    return [
        str(year),
        *(f"{year}-H{n}" for n in (1, 2)),
        *(f"{year}-Q{n}" for n in range(1, 5)),
        *(f"{year}-{m:02d}" for m in range(1, 13)),
    ]


def trend_months(period: Period, at_least: int = 12) -> list[date]:
    """The months the trend chart shows: the period's, or the `at_least` months ending with
    the period's last month when the period is shorter."""
    months = period.months()
    while len(months) < at_least:
        first = months[0]
        months.insert(0, date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1))
    return months
