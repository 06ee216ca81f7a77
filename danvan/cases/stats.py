"""Per-agency figures on letters over a period, for the evaluation of agencies (and insights).

One pass of SQL over the letters, grouped by agency, with every figure a conditional sum:
no roll-up to keep in step, so a letter that changes (answered, extended, reclassified,
merged) counts in its new state at the next read. Dates are local (Asia/Ho_Chi_Minh):
a letter answered at 23:30 on its deadline day is on time.

What each figure counts (the evaluation app shows these definitions beside the scores):

- `received`: letters whose receipt falls in the period (both ends included).
- answered on time / late, by the letter's deadline: its resolution deadline
  (`resolve_due`, paused days and extensions included) once accepted, else its processing
  deadline (`process_due`: accept, decline, forward or guide). The letters counted are those
  whose deadline falls in the period. On time: answered (the answer or decision; for a letter
  not accepted, the decline notice, the forwarding or the guidance) on or before the deadline
  day. Late: answered after it, or not answered when it had passed. A letter still within its
  deadline, or waiting for the citizen's information (the clock is stopped), is not counted yet.
- rating: the citizens' ratings (1-5) of the letters answered in the period.
- complaints accepted on time: complaints (the current kind) whose acceptance deadline
  (`process_due`) falls in the period, accepted on or before it; late when accepted after it
  or not accepted when it passed. Complaints declined, forwarded or guided are not counted.
- `overdue_open`: letters open at the end of the period (or now, for a period not over)
  whose running deadline had passed, unless waiting for the citizen's information then. For
  a past period the deadline and the pauses of that moment are read from the case events.

Letters merged into another are never counted (the letter they joined is). A letter counts
for the agency that holds it (`Case.agency`): forwarding a letter leaves it with the agency
that forwarded it, where the forwarding is its answer.

The scan reads the whole table once (SQLite: `NOT INDEXED`, as walking an index in agency
order and fetching each row costs twice a sequential read); see bench/evaluation.py.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import CaseEvent
from .workflow import OPEN, Action, Kind, Status

ONE_DAY = timedelta(days=1)
RUNNING = sorted(OPEN - {Status.INFO_REQUESTED})
DUE_ACTIONS = (Action.ACCEPT, Action.EXTEND, Action.RECEIVE_INFO)  # events with data["due"]
BATCH = 900  # ids per IN (...) list, under SQLite's variable limit


@dataclass
class LetterStats:
    received: int = 0
    on_time: int = 0
    late: int = 0
    rated: int = 0
    rating_sum: int = 0
    complaints_on_time: int = 0
    complaints_late: int = 0
    overdue_open: int = 0


@dataclass(frozen=True)
class Window:
    """A period of days, both ends included, and the moment its state is read at."""

    start: date
    end: date
    t0: datetime = field(init=False)
    t1: datetime = field(init=False)  # the first moment after the period
    as_of: datetime = field(init=False)

    def __post_init__(self) -> None:
        zone = timezone.get_default_timezone()
        object.__setattr__(self, "t0", datetime.combine(self.start, time.min, tzinfo=zone))
        t1 = datetime.combine(self.end + ONE_DAY, time.min, tzinfo=zone)
        object.__setattr__(self, "t1", t1)
        object.__setattr__(self, "as_of", min(t1, timezone.now()))

    @property
    def as_of_day(self) -> date:
        """The day whose start the state is read at: a deadline before it has passed."""
        return timezone.localdate(self.as_of)

    @property
    def over(self) -> bool:
        return self.as_of == self.t1


def letter_stats(
    *, start: date, end: date, agency_ids: Collection[int] | None = None
) -> dict[int, LetterStats]:
    """The figures of each agency (all when `agency_ids` is None) for start..end."""
    window = Window(start, end)
    stats: dict[int, LetterStats] = {}
    for row in _rows(_main_sql(window, agency_ids), _main_params(window)):
        stats[row[0]] = LetterStats(*(int(value or 0) for value in row[1:]))
    if window.over:
        for agency_id, count in _overdue_at(window, agency_ids).items():
            stats.setdefault(agency_id, LetterStats()).overdue_open = count
    return stats


# SQL ------------------------------------------------------------------------------------


def _by_day_end(moment: str, day: str) -> str:
    """SQL: the timestamp `moment` falls on the local day `day` or before it."""
    if connection.vendor == "postgresql":
        return f"{moment} < ((({day}) + 1)::timestamp AT TIME ZONE '{settings.TIME_ZONE}')"
    # SQLite keeps UTC as text 'YYYY-MM-DD HH:MM:SS[.ffffff]': the local day ends at
    # 24:00 less the offset, UTC, on the same date (Vietnam: UTC+7 all year, no daylight
    # saving since 1975, so 17:00:00), and text compares as time does.
    return f"{moment} < {day} || ' {_day_end_utc()}'"


def _day_end_utc() -> str:
    offset = timezone.now().astimezone(timezone.get_default_timezone()).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    if not 0 <= minutes < 24 * 60:
        raise NotImplementedError("letter statistics on SQLite need a zone east of UTC")
    left = 24 * 60 - minutes
    return f"{left // 60:02d}:{left % 60:02d}:00" if minutes else "24:00:00"


def _table() -> str:
    return "cases_case c" + (" NOT INDEXED" if connection.vendor == "sqlite" else "")


def _in(values: Iterable[str]) -> str:
    return ", ".join(f"'{value}'" for value in sorted(values))


# When the letter got its answer: the answer or decision, the decline (archiving) notice, or
# the forwarding or guidance, which only the events date.
ANSWER_AT = f"""COALESCE(c.resolved_at, c.archived_at,
  CASE WHEN c.status IN ({_in([Status.FORWARDED, Status.GUIDED, Status.CLOSED])}) THEN
    (SELECT MIN(e.at) FROM cases_caseevent e WHERE e.case_id = c.id
     AND e.action IN ({_in([Action.FORWARD, Action.GUIDE])})) END)"""  # noqa: S608 (constants)


def _letters_sql(columns: str, agency_ids: Collection[int] | None) -> str:
    agencies = ""
    if agency_ids is not None:  # integers, written out: an IN list cannot be one parameter
        agencies = f" AND c.agency_id IN ({', '.join(str(int(pk)) for pk in agency_ids) or '0'})"
    return (
        f"SELECT {columns} FROM {_table()}"  # noqa: S608 (constants only)
        f" WHERE c.merged_into_id IS NULL AND c.received_at < %(t1)s{agencies}"
    )


def _main_sql(window: Window, agency_ids: Collection[int] | None) -> str:
    inner = _letters_sql(
        "c.agency_id, c.status, c.kind, c.received_at, c.rating, c.due_on, c.process_due,"
        " c.accepted_at, COALESCE(c.resolve_due, c.process_due) AS deadline,"
        f" {ANSWER_AT} AS answer_at",
        agency_ids,
    )
    due = "deadline BETWEEN %(start)s AND %(end)s"
    in_time = _by_day_end("answer_at", "deadline")
    complaint = (
        f"kind = '{Kind.COMPLAINT}' AND process_due BETWEEN %(start)s AND %(end)s"
        f" AND (accepted_at IS NOT NULL OR status IN ({_in(OPEN)}))"
    )
    accepted_in_time = _by_day_end("accepted_at", "process_due")
    rated = "answer_at >= %(t0)s AND answer_at < %(t1)s AND rating IS NOT NULL"
    tests = [
        "received_at >= %(t0)s",
        f"{due} AND answer_at IS NOT NULL AND {in_time}",
        f"{due} AND (answer_at IS NOT NULL AND NOT ({in_time}) OR answer_at IS NULL"
        f" AND deadline < %(as_of_day)s AND status <> '{Status.INFO_REQUESTED}')",
        rated,
        f"{complaint} AND accepted_at IS NOT NULL AND {accepted_in_time}",
        f"{complaint} AND (accepted_at IS NOT NULL AND NOT ({accepted_in_time})"
        " OR accepted_at IS NULL AND process_due < %(as_of_day)s)",
        "1 = 0" if window.over else f"status IN ({_in(RUNNING)}) AND due_on < %(as_of_day)s",
    ]
    sums = [f"SUM(CASE WHEN {test} THEN 1 ELSE 0 END)" for test in tests]
    sums.insert(4, f"SUM(CASE WHEN {rated} THEN rating ELSE 0 END)")
    return f"SELECT agency_id, {', '.join(sums)} FROM ({inner}) AS letters GROUP BY agency_id"  # noqa: S608


def _main_params(window: Window) -> dict[str, Any]:
    ops = connection.ops
    return {
        "t0": ops.adapt_datetimefield_value(window.t0),
        "t1": ops.adapt_datetimefield_value(window.t1),
        "start": ops.adapt_datefield_value(window.start),
        "end": ops.adapt_datefield_value(window.end),
        "as_of_day": ops.adapt_datefield_value(window.as_of_day),
    }


def _rows(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


# Overdue at the end of a past period -----------------------------------------------------


@dataclass(frozen=True)
class _Open:
    pk: int
    agency_id: int
    accepted: bool  # before the moment read
    process_due: date
    resolve_due: date | None
    paused_since: date | None
    pauses: list[list[str]]


def _overdue_at(window: Window, agency_ids: Collection[int] | None) -> dict[int, int]:
    """Letters open at the period's end whose deadline then had passed, per agency."""
    letters = _open_at(window, agency_ids)
    dues = _dues_at(window.as_of, [letter.pk for letter in letters if letter.accepted])
    counts: dict[int, int] = {}
    day = window.as_of_day
    for letter in letters:
        due = dues.get(letter.pk, letter.resolve_due) if letter.accepted else letter.process_due
        if due is not None and due < day and not _paused_on(letter, day):
            counts[letter.agency_id] = counts.get(letter.agency_id, 0) + 1
    return counts


def _open_at(window: Window, agency_ids: Collection[int] | None) -> list[_Open]:
    sql = _letters_sql(
        "c.id, c.agency_id, c.accepted_at, c.process_due, c.resolve_due, c.paused_since,"
        f" c.pauses, {ANSWER_AT} AS answer_at",
        agency_ids,
    )
    sql = f"SELECT * FROM ({sql}) AS letters WHERE answer_at IS NULL OR answer_at >= %(as_of)s"  # noqa: S608
    params = _main_params(window)
    params["as_of"] = params["t1"]
    return [_open_row(row, window.as_of) for row in _rows(sql, params)]


def _open_row(row: tuple[Any, ...], as_of: datetime) -> _Open:
    pk, agency_id, accepted_at, process_due, resolve_due, paused_since, pauses = row[:7]
    accepted_at = _datetime(accepted_at)
    return _Open(
        pk=pk,
        agency_id=agency_id,
        accepted=accepted_at is not None and accepted_at < as_of,
        process_due=_date(process_due),
        resolve_due=_date(resolve_due) if resolve_due else None,
        paused_since=_date(paused_since) if paused_since else None,
        pauses=_json(pauses),
    )


def _dues_at(as_of: datetime, pks: list[int]) -> dict[int, date]:
    """The resolution deadline each letter had at `as_of`, for letters whose deadline moved
    after it (extended, or paused days added): from the `due` of the last event before."""
    moved: set[int] = set()
    for start in range(0, len(pks), BATCH):
        moved.update(
            CaseEvent.objects.filter(
                case_id__in=pks[start : start + BATCH],
                action__in=[Action.EXTEND, Action.RECEIVE_INFO],
                at__gte=as_of,
            ).values_list("case_id", flat=True)
        )
    dues: dict[int, date] = {}
    events = CaseEvent.objects.filter(case_id__in=moved, action__in=DUE_ACTIONS, at__lt=as_of)
    for case_id, data in events.order_by("at", "id").values_list("case_id", "data"):
        if isinstance(data, dict) and data.get("due"):
            dues[case_id] = date.fromisoformat(data["due"])
    return dues


def _paused_on(letter: _Open, day: date) -> bool:
    """Waiting for the citizen's information at the start of `day` (the clock stopped)."""
    if letter.paused_since is not None and letter.paused_since < day:
        return True
    return any(date.fromisoformat(a) <= day <= date.fromisoformat(b) for a, b in letter.pauses)


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _datetime(value: Any) -> datetime | None:
    """A timestamp as the driver returns it (SQLite: UTC text or naive UTC), made aware."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def _json(value: Any) -> list[list[str]]:
    import json

    if isinstance(value, str):
        value = json.loads(value or "[]")
    return [list(pair) for pair in value or []]
