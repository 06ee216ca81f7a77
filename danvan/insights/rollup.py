"""The roll-up of letter figures the overview and the periodic reports read.

A scheduled roll-up, rebuilt whole: `refresh_insights` (run by `serve` every
DANVAN_INSIGHTS_REFRESH_MINUTES, and by hand) recomputes every row from the letters as
they stand and replaces the tables in one transaction. Nothing is ever adjusted by a
delta, so a letter that changes in any way (answered, extended, reclassified to another
kind or topic, moved to another agency, merged, rated) counts in its new state after the
next refresh, and the figures of a past month move too when a late answer or a merge
changes them. The pages say when the figures were computed.

The definitions are those of `danvan.cases.stats` (the evaluation's metrics), bucketed
by month: summing the months of a period gives what `letter_stats` gives for it.
"""

import time
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Min, OuterRef, Q, Subquery, Sum, When
from django.db.models.expressions import Case as If
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from danvan.cases.models import Case, CaseEvent
from danvan.cases.workflow import OPEN, Action, Kind, Status

from .models import LetterMonth, LetterNow, Rollup

Key = tuple[date, int, int | None, int | None, str]
DIMENSIONS = ("agency_id", "unit_id", "topic_id", "kind")
ENDED = [Status.FORWARDED, Status.GUIDED, Status.CLOSED]
RUNNING = sorted(OPEN - {Status.INFO_REQUESTED})


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
        LetterNow.objects.all().delete()
        LetterNow.objects.bulk_create(now_rows, batch_size=2000)
        took = time.perf_counter() - started
        Rollup.objects.update_or_create(
            pk=1, defaults={"refreshed_at": timezone.now(), "seconds": took}
        )
    return took


def last_refresh() -> Rollup | None:
    return Rollup.objects.filter(pk=1).first()


def _letters() -> Any:
    return Case.objects.filter(merged_into__isnull=True).order_by()


def _zone() -> Any:
    return timezone.get_default_timezone()


def _grouped(letters: Any, month: Any, **sums: Any) -> Iterable[dict[str, Any]]:
    rows: Iterable[dict[str, Any]] = (
        letters.annotate(m=month).values("m", *DIMENSIONS).annotate(**sums)
    )
    return rows


def _month_rows() -> list[LetterMonth]:
    today = timezone.localdate()
    rows: dict[Key, LetterMonth] = {}

    def add(found: Iterable[dict[str, Any]], **fields: str) -> None:
        for row in found:
            key = (_first_day(row["m"]), *(row[d] for d in DIMENSIONS))
            item = rows.get(key)
            if item is None:
                item = rows[key] = LetterMonth(month=key[0], agency_id=key[1], unit_id=key[2],
                                               topic_id=key[3], kind=key[4])  # fmt: skip
            for name, column in fields.items():
                setattr(item, name, int(row[column] or 0))

    zone = _zone()
    add(_grouped(_letters(), TruncMonth("received_at", tzinfo=zone), n=Count("id")), received="n")
    add(_deadline_cohort(today), on_time="on_time", late="late")
    rated = _letters().filter(resolved_at__isnull=False, rating__isnull=False)
    add(_grouped(rated, TruncMonth("resolved_at", tzinfo=zone), n=Count("id"), s=Sum("rating")),
        rated="n", rating_sum="s")  # fmt: skip
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
    ).annotate(answer_day=TruncDate("answer_at", tzinfo=_zone()))  # fmt: skip
    answered = Q(answer_at__isnull=False)
    on_time = answered & Q(answer_day__lte=F("deadline"))
    passed = Q(deadline__lt=today) & ~Q(status=Status.INFO_REQUESTED)
    late = (answered & ~Q(answer_day__lte=F("deadline"))) | (~answered & passed)
    return _grouped(letters, TruncMonth("deadline"), on_time=Count("id", filter=on_time),
                    late=Count("id", filter=late))  # fmt: skip


def _complaints(today: date) -> Iterable[dict[str, Any]]:
    complaints = (
        _letters()
        .filter(kind=Kind.COMPLAINT)
        .annotate(accepted_day=TruncDate("accepted_at", tzinfo=_zone()))
    )
    accepted = Q(accepted_at__isnull=False)
    on_time = accepted & Q(accepted_day__lte=F("process_due"))
    late = (accepted & ~Q(accepted_day__lte=F("process_due"))) | (
        ~accepted & Q(status__in=OPEN, process_due__lt=today)
    )
    return _grouped(complaints, TruncMonth("process_due"), on_time=Count("id", filter=on_time),
                    late=Count("id", filter=late))  # fmt: skip


def _now_rows() -> list[LetterNow]:
    """Open letters and the overdue among them, as the deadline sweep sees them: a letter
    waiting for the citizen's information is not overdue."""
    today = timezone.localdate()
    overdue = Q(status__in=RUNNING, due_on__lt=today)
    found = (
        Case.objects.filter(status__in=OPEN).order_by().values(*DIMENSIONS)
        .annotate(open=Count("id"), overdue=Count("id", filter=overdue))
    )  # fmt: skip
    return [LetterNow(**row) for row in found]


def _first_day(value: Any) -> date:
    day = value.date() if hasattr(value, "date") and callable(value.date) else value
    return date(day.year, day.month, 1)
