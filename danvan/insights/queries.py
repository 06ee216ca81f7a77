"""The province overview and the periodic reports read the same figures from here: the
roll-up of letters (rollup.py), reception compliance and dialogue commitments (their apps'
queries), hot issues. One grouped read per table, whatever the number of agencies."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from danvan.cases.models import Topic
from danvan.dialogues.queries import dialogue_stats
from danvan.places.models import Agency, Unit
from danvan.reception.queries import compliance_between

from .access import Scope
from .models import GRAINS, LetterMonth, LetterNow
from .periods import Period, period_parse, trend_months

MONTH_SUMS = ("received", "on_time", "late", "rated", "rating_sum", "complaints_on_time",
              "complaints_late")  # fmt: skip
NOW_SUMS = ("open", "overdue")


@dataclass(frozen=True)
class Filters:
    period: Period
    unit: int | None = None  # a commune: letters about it
    topic: int | None = None  # a topic and its children
    kind: str = ""


@dataclass
class Figures:
    """One line of the overview: letters, and for an agency its reception and commitments."""

    key: int | str | date | None
    name: str = ""
    received: int = 0
    on_time: int = 0
    late: int = 0
    rated: int = 0
    rating_sum: int = 0
    complaints_on_time: int = 0
    complaints_late: int = 0
    open: int = 0
    overdue: int = 0
    reception_required: int = 0
    reception_held: int = 0
    commitments_on_time: int = 0
    commitments_late: int = 0

    @property
    def on_time_pct(self) -> Decimal | None:
        return percent(self.on_time, self.on_time + self.late)

    @property
    def rating_avg(self) -> Decimal | None:
        if not self.rated:
            return None
        return (Decimal(self.rating_sum) / self.rated).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def reception_pct(self) -> Decimal | None:
        value = percent(self.reception_held, self.reception_required)
        return None if value is None else min(value, Decimal(100))

    @property
    def commitments_pct(self) -> Decimal | None:
        return percent(self.commitments_on_time, self.commitments_on_time + self.commitments_late)


def percent(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Overview:
    filters: Filters
    total: Figures
    agencies: list[Figures]
    communes: list[Figures]
    trend: list[Figures]


def grain_for(f: Filters, by: str, *, province: bool) -> str:
    """The coarsest grain of the roll-up that holds the grouping and the filters (and the
    agency, to keep a head to their own)."""
    needed = {"agency_id": "a", "unit_id": "u"}.get(by, "") + ("" if province else "a")
    needed += ("u" if f.unit else "") + ("t" if f.topic else "")
    return next(g for g in GRAINS if set(needed) <= set(g)) if needed else "a"


def _filtered(rows: QuerySet[Any], scope: Scope, f: Filters, by: str) -> QuerySet[Any]:
    return narrowed(rows.filter(grain=grain_for(f, by, province=scope.province)), scope, f)


def narrowed(
    rows: QuerySet[Any], scope: Scope, f: Filters, *, agency: int | None = None
) -> QuerySet[Any]:
    """Rows (roll-up rows or letters) of the scope's agencies, or of `agency`, narrowed by the
    filters' commune, topic (with its subtopics) and kind."""
    if agency is not None:
        rows = rows.filter(agency_id=agency)
    elif not scope.province:  # a head: their agencies; else every one (one province served)
        rows = rows.filter(agency_id__in=sorted(scope.agency_ids))
    if f.unit:
        rows = rows.filter(unit_id=f.unit)
    if f.topic:
        rows = rows.filter(topic_id__in=topic_subtree(f.topic))
    if f.kind:
        rows = rows.filter(kind=f.kind)
    return rows


def topic_subtree(topic_id: int) -> list[int]:
    return list(
        Topic.objects.filter(Q(pk=topic_id) | Q(parent_id=topic_id)).values_list("pk", flat=True)
    )


def _months(scope: Scope, f: Filters, start: date, end: date, by: str) -> QuerySet[Any]:
    rows = LetterMonth.objects.filter(month__gte=start, month__lte=end).order_by()
    return _filtered(rows, scope, f, by)


def _sums(names: Iterable[str]) -> dict[str, Sum]:
    return {name: Sum(name) for name in names}


def _fold(target: dict[Any, Figures], rows: Iterable[dict[str, Any]], by: str) -> None:
    for row in rows:
        key = row.pop(by)
        figures = target.setdefault(key, Figures(key))
        for name, value in row.items():
            setattr(figures, name, int(value or 0))


def letters_by(scope: Scope, f: Filters, by: str) -> dict[Any, Figures]:
    """The letter figures of the period grouped by `agency_id` or `unit_id`."""
    found: dict[Any, Figures] = {}
    months = _months(scope, f, f.period.start, f.period.end, by)
    _fold(found, months.values(by).annotate(**_sums(MONTH_SUMS)), by)
    now = _filtered(LetterNow.objects.order_by(), scope, f, by)
    _fold(found, now.values(by).annotate(**_sums(NOW_SUMS)), by)
    return found


def overview(*, scope: Scope, filters: Filters) -> Overview:
    agencies = letters_by(scope, filters, "agency_id")
    _add_reception_and_commitments(agencies, scope, filters.period)
    communes = letters_by(scope, filters, "unit_id")
    _name(agencies, Agency.objects.filter(pk__in=[k for k in agencies if k]))
    _name(communes, Unit.objects.filter(pk__in=[k for k in communes if k]))
    return Overview(
        filters=filters,
        total=_total([*agencies.values()]),
        agencies=sorted(agencies.values(), key=lambda x: x.name),
        communes=sorted(communes.values(), key=lambda x: (x.key is None, x.name)),
        trend=trend(scope, filters),
    )


def trend(scope: Scope, f: Filters) -> list[Figures]:
    months = trend_months(f.period)
    found: dict[Any, Figures] = {m: Figures(m) for m in months}
    rows = _months(scope, f, months[0], months[-1], "month").values("month")
    _fold(found, rows.annotate(**_sums(MONTH_SUMS)), "month")
    return [found[m] for m in months]


def _add_reception_and_commitments(
    agencies: dict[Any, Figures], scope: Scope, period: Period
) -> None:
    """Reception days and commitments belong to an agency, whatever the letters' filters."""
    ids = sorted(scope.agency_ids)
    for row in compliance_between(start=period.start, end=period.end, agency_ids=ids):
        figures = agencies.setdefault(row.agency_id, Figures(row.agency_id))
        figures.reception_required += row.required
        figures.reception_held += row.held
    stats = dialogue_stats(start=period.start, end=period.end, agency_ids=ids)
    for agency_id, dialogues in stats.items():
        figures = agencies.setdefault(agency_id, Figures(agency_id))
        figures.commitments_on_time = dialogues.commitments_on_time
        figures.commitments_late = dialogues.commitments_late


def _name(figures: dict[Any, Figures], named: QuerySet[Any]) -> None:
    for pk, name in named.values_list("pk", "name"):
        figures[pk].name = name


def _total(rows: list[Figures]) -> Figures:
    total = Figures(None)
    for row in rows:
        for name in (*MONTH_SUMS, *NOW_SUMS, "reception_required", "reception_held",
                     "commitments_on_time", "commitments_late"):  # fmt: skip
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def month_figures(scope: Scope, day: date) -> tuple[Figures, str]:
    """The month so far for an official's home (two grouped reads of the roll-up), and the
    period code that opens the same figures on the overview."""
    code = f"{day.year}-{day.month:02d}"
    period = period_parse(code)
    if period is None:  # cannot happen for a real day; said plainly rather than asserted
        raise ValueError(code)
    return _total([*letters_by(scope, Filters(period=period), "agency_id").values()]), code
