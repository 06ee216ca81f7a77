"""The roll-up of letter figures the overview and the periodic reports read.

A scheduled roll-up, rebuilt whole: `refresh_insights` (run by `serve` with the deadline
sweep, every DANVAN_SWEEP_MINUTES, and by `load_demo`) recomputes every row from the
letters as they stand and replaces the tables in one transaction. Nothing is ever adjusted
by a delta, so a letter that changes in any way (answered, extended, reclassified to another
kind or topic, moved to another agency, merged, rated) counts in its new state after the
next refresh, and the figures of a past month move too when a late answer or a merge
changes them. The pages say when the figures were computed.

The definitions are those of `danvan.cases.stats` (the evaluation's metrics), bucketed by
local month: summing the months of a period gives what `letter_stats` gives for it.

Rows come at several grains (models.GRAINS): the finest, per agency, commune and topic,
from the letters; the coarser ones summed from it in SQL, so that a page without a
commune or topic filter reads a few thousand rows a year, not one per letter.
"""

import time
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Case as If
from django.db.models import (
    CharField,
    Count,
    DateField,
    F,
    Func,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from danvan.cases.models import Case, CaseEvent
from danvan.cases.workflow import OPEN, Action, Kind, Status

from .models import GRAINS, LetterMonth, LetterNow, Rollup

DIMENSIONS = ("agency_id", "unit_id", "topic_id", "kind")
FINEST = "aut"
ENDED = [Status.FORWARDED, Status.GUIDED, Status.CLOSED]
RUNNING = sorted(OPEN - {Status.INFO_REQUESTED})
MONTH_SUMS = ("received", "on_time", "late", "rated", "rating_sum", "complaints_on_time",
              "complaints_late")  # fmt: skip
NOW_SUMS = ("open", "overdue")


def refresh() -> float:
    """Rebuild the roll-up; the seconds it took."""
    started = time.perf_counter()
    months = _month_rows()
    now_rows = _now_rows()
    Rollup.objects.get_or_create(pk=1, defaults={"refreshed_at": timezone.now()})
    with transaction.atomic():
        # One refresh at a time (serve runs it on every machine): the second waits here,
        # then replaces the first's rows instead of adding to them.
        Rollup.objects.select_for_update().get(pk=1)
        LetterMonth.objects.all().delete()
        LetterMonth.objects.bulk_create(months, batch_size=2000)
        _derive(LetterMonth._meta.db_table, ("month",), MONTH_SUMS)
        LetterNow.objects.all().delete()
        LetterNow.objects.bulk_create(now_rows, batch_size=2000)
        _derive(LetterNow._meta.db_table, (), NOW_SUMS)
        took = time.perf_counter() - started
        Rollup.objects.filter(pk=1).update(refreshed_at=timezone.now(), seconds=took)
    return took


def last_refresh() -> Rollup | None:
    return Rollup.objects.filter(pk=1).first()


def _derive(table: str, keys: tuple[str, ...], sums: tuple[str, ...]) -> None:
    """The coarser grains, each summed from the finest rows in one statement."""
    columns = {"a": "agency_id", "u": "unit_id", "t": "topic_id"}
    for grain in GRAINS:
        if grain == FINEST:
            continue
        kept = [*keys, *(columns[d] for d in grain), "kind"]
        dropped = [columns[d] for d in "aut" if d not in grain]
        sql = (
            f"INSERT INTO {table} (grain, {', '.join(kept + dropped + list(sums))}) "  # noqa: S608
            f"SELECT '{grain}', {', '.join(kept + ['NULL'] * len(dropped))}, "
            f"{', '.join(f'SUM({s})' for s in sums)} FROM {table} "
            f"WHERE grain = '{FINEST}' GROUP BY {', '.join(kept)}"
        )  # constants only
        with connection.cursor() as cursor:
            cursor.execute(sql)


# Local months and days in SQL: no Python function called per letter (SQLite) ---------------


def _offset() -> str:
    """The zone's offset for SQLite's date functions (Vietnam: UTC+7 all year)."""
    offset = timezone.now().astimezone(timezone.get_default_timezone()).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    return f"{minutes:+d} minutes"


class LocalMonth(Func):
    """'YYYY-MM' of a timestamp in local time, or of a date."""

    output_field = CharField()

    def __init__(self, expression: Any, *, moment: bool) -> None:
        super().__init__(expression)
        self.moment = moment

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = f"substr(datetime(%(expressions)s, '{_offset()}'), 1, 7)"
        return self.as_sql(compiler, connection, template=template if self.moment else
                           "substr(%(expressions)s, 1, 7)", **extra)  # fmt: skip

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        zone = timezone.get_default_timezone_name()
        inner = f"(%(expressions)s AT TIME ZONE '{zone}')" if self.moment else "%(expressions)s"
        return self.as_sql(compiler, connection, template=f"to_char({inner}, 'YYYY-MM')", **extra)


class LocalDay(Func):
    """The local day of a timestamp (compared with a deadline, a date)."""

    output_field = DateField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = f"date(%(expressions)s, '{_offset()}')"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        zone = timezone.get_default_timezone_name()
        template = f"(%(expressions)s AT TIME ZONE '{zone}')::date"
        return self.as_sql(compiler, connection, template=template, **extra)


# The finest rows, from the letters ---------------------------------------------------------


def _letters() -> Any:
    return Case.objects.filter(merged_into__isnull=True).order_by()


def _grouped(letters: Any, month: Any, **sums: Any) -> Iterable[dict[str, Any]]:
    rows: Iterable[dict[str, Any]] = letters.annotate(m=month).values("m", *DIMENSIONS)
    return rows.annotate(**sums)  # type: ignore[attr-defined,no-any-return]


def _month_rows() -> list[LetterMonth]:
    today = timezone.localdate()
    rows: dict[tuple[Any, ...], LetterMonth] = {}

    def add(found: Iterable[dict[str, Any]], **fields: str) -> None:
        for row in found:
            if row["m"] is None:
                continue
            key = (row["m"], *(row[d] for d in DIMENSIONS))
            item = rows.get(key)
            if item is None:
                item = rows[key] = LetterMonth(
                    grain=FINEST, month=_first_day(row["m"]), agency_id=row["agency_id"],
                    unit_id=row["unit_id"], topic_id=row["topic_id"], kind=row["kind"])  # fmt: skip
            for name, column in fields.items():
                setattr(item, name, int(row[column] or 0))

    received = LocalMonth("received_at", moment=True)
    add(_grouped(_letters(), received, n=Count("id")), received="n")
    add(_deadline_cohort(today), on_time="on_time", late="late")
    rated = _letters().filter(resolved_at__isnull=False, rating__isnull=False)
    add(_grouped(rated, LocalMonth("resolved_at", moment=True), n=Count("id"),
                 s=Sum("rating")), rated="n", rating_sum="s")  # fmt: skip
    add(_complaints(today), complaints_on_time="on_time", complaints_late="late")
    return list(rows.values())


def _answer_at() -> Any:
    """When the letter got its answer: the answer or decision, the decline (archiving)
    notice, or the forwarding or guidance, which only the events date."""
    passed_on = CaseEvent.objects.filter(
        case_id=OuterRef("pk"), action__in=[Action.FORWARD, Action.GUIDE]
    ).order_by().values("case_id").annotate(first=Min("at")).values("first")  # fmt: skip
    handed = If(When(status__in=ENDED, then=Subquery(passed_on)), default=None)
    return Coalesce("resolved_at", "archived_at", handed)


def _deadline_cohort(today: date) -> Iterable[dict[str, Any]]:
    letters = _letters().annotate(
        deadline=Coalesce("resolve_due", "process_due"), answer_at=_answer_at()
    ).annotate(answer_day=LocalDay("answer_at"))  # fmt: skip
    answered = Q(answer_at__isnull=False)
    on_time = answered & Q(answer_day__lte=F("deadline"))
    passed = Q(deadline__lt=today) & ~Q(status=Status.INFO_REQUESTED)
    late = (answered & ~Q(answer_day__lte=F("deadline"))) | (~answered & passed)
    return _grouped(letters, LocalMonth("deadline", moment=False),
                    on_time=Count("id", filter=on_time), late=Count("id", filter=late))  # fmt: skip


def _complaints(today: date) -> Iterable[dict[str, Any]]:
    complaints = (
        _letters().filter(kind=Kind.COMPLAINT).annotate(accepted_day=LocalDay("accepted_at"))
    )
    accepted = Q(accepted_at__isnull=False)
    on_time = accepted & Q(accepted_day__lte=F("process_due"))
    late = (accepted & ~Q(accepted_day__lte=F("process_due"))) | (
        ~accepted & Q(status__in=OPEN, process_due__lt=today)
    )
    return _grouped(complaints, LocalMonth("process_due", moment=False),
                    on_time=Count("id", filter=on_time), late=Count("id", filter=late))  # fmt: skip


def _now_rows() -> list[LetterNow]:
    """Open letters and the overdue among them, as the deadline sweep sees them: a letter
    waiting for the citizen's information is not overdue."""
    today = timezone.localdate()
    overdue = Q(status__in=RUNNING, due_on__lt=today)
    found = (
        Case.objects.filter(status__in=OPEN).order_by().values(*DIMENSIONS)
        .annotate(open=Count("id"), overdue=Count("id", filter=overdue))
    )  # fmt: skip
    return [LetterNow(grain=FINEST, **row) for row in found]


def _first_day(value: Any) -> date:
    text = str(value)
    return date(int(text[:4]), int(text[5:7]), 1)
