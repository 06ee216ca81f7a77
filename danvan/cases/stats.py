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

The pass reads one index that holds every column it needs (`case_period_stats`, added for
this: the letters' rows carry their text, and reading them made a year at 1,000,000 letters
take 3.2 s instead of 1.1 s on SQLite); see bench/evaluation.py.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from .models import Case, CaseEvent
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
    for row in _rows(_main_sql(agency_ids), _params(window)):
        received, on_time, decided, rated, rating_sum, c_on_time, c_decided = map(int, row[1:])
        stats[row[0]] = LetterStats(
            received=received, on_time=on_time, late=decided - on_time, rated=rated,
            rating_sum=rating_sum, complaints_on_time=c_on_time,
            complaints_late=c_decided - c_on_time,
        )  # fmt: skip
    overdue = _overdue_at(window, agency_ids) if window.over else _overdue_now(window, agency_ids)
    for agency_id, count in overdue.items():
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
    if not 0 < minutes < 24 * 60:
        raise NotImplementedError("letter figures on SQLite need a zone east of UTC")
    left = 24 * 60 - minutes
    return f"{left // 60:02d}:{left % 60:02d}:00"


def _table() -> str:
    # SQLite: read the narrow index that holds every column used (migration 0014), never the
    # rows, which carry each letter's text (a year at 1,000,000 letters: 1.1 s instead of 3.2).
    return "cases_case c" + (
        " INDEXED BY case_period_stats" if connection.vendor == "sqlite" else ""
    )


def _in(values: Iterable[str]) -> str:
    return ", ".join(f"'{value}'" for value in sorted(values))


ENDED = _in([Status.FORWARDED, Status.GUIDED, Status.CLOSED])
PASSED_ON = _in([Action.FORWARD, Action.GUIDE])
# When the letter got its answer: the answer or decision, the decline (archiving) notice, or
# the forwarding or guidance, which only the events date.
ANSWER_AT = f"""COALESCE(c.resolved_at, c.archived_at, CASE WHEN c.status IN ({ENDED}) THEN
  (SELECT MIN(e.at) FROM cases_caseevent e WHERE e.case_id = c.id AND e.action IN ({PASSED_ON}))
  END)"""  # noqa: S608 (constants only)


def _letters_sql(columns: str, agency_ids: Collection[int] | None, until: str = "t1") -> str:
    agencies = ""
    if agency_ids is not None:  # integers, written out: an IN list cannot be one parameter
        agencies = f" AND c.agency_id IN ({', '.join(str(int(pk)) for pk in agency_ids) or '0'})"
    return (
        f"SELECT {columns} FROM {_table()}"  # noqa: S608 (constants only)
        f" WHERE c.merged_into_id IS NULL AND c.received_at < %({until})s{agencies}"
    )


def _when(test: str, then: str = "1") -> str:
    return f"SUM(CASE WHEN {test} THEN {then} ELSE 0 END)"


def _within(test: str, cohort: str) -> str:
    """Counted among `cohort` rows; the inner test (events looked up) only for those."""
    return f"SUM(CASE WHEN {cohort} THEN CASE WHEN {test} THEN 1 ELSE 0 END ELSE 0 END)"


def _main_sql(agency_ids: Collection[int] | None) -> str:
    inner = _letters_sql(
        "c.agency_id, c.status, c.kind, c.received_at, c.rating, c.process_due, c.accepted_at,"
        " c.resolved_at, COALESCE(c.resolve_due, c.process_due) AS deadline,"
        f" {ANSWER_AT} AS answer_at",
        agency_ids,
    )
    due = "deadline BETWEEN %(start)s AND %(end)s"
    complaint = f"kind = '{Kind.COMPLAINT}' AND process_due BETWEEN %(start)s AND %(end)s"
    rated = "resolved_at >= %(t0)s AND resolved_at < %(t1)s AND rating IS NOT NULL"
    sums = [
        _when("received_at >= %(t0)s"),
        _within(f"answer_at IS NOT NULL AND {_by_day_end('answer_at', 'deadline')}", due),
        # Decided: answered, or its deadline passed while the clock ran.
        _within(
            "answer_at IS NOT NULL OR deadline < %(as_of_day)s"
            f" AND status <> '{Status.INFO_REQUESTED}'",
            due,
        ),
        _when(rated),
        _when(rated, "rating"),
        _within(
            f"accepted_at IS NOT NULL AND {_by_day_end('accepted_at', 'process_due')}", complaint
        ),
        # Decided: accepted, or still waiting for acceptance when its deadline passed.
        _within(
            f"accepted_at IS NOT NULL OR status IN ({_in(OPEN)}) AND process_due < %(as_of_day)s",
            complaint,
        ),
    ]
    return f"SELECT agency_id, {', '.join(sums)} FROM ({inner}) AS letters GROUP BY agency_id"  # noqa: S608


def _params(window: Window) -> dict[str, Any]:
    ops = connection.ops
    return {
        "t0": ops.adapt_datetimefield_value(window.t0),
        "t1": ops.adapt_datetimefield_value(window.t1),
        "as_of": ops.adapt_datetimefield_value(window.as_of),
        "start": ops.adapt_datefield_value(window.start),
        "end": ops.adapt_datefield_value(window.end),
        "as_of_day": ops.adapt_datefield_value(window.as_of_day),
    }


def _rows(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _overdue_now(window: Window, agency_ids: Collection[int] | None) -> dict[int, int]:
    """Open letters whose running deadline is before today, as the deadline sweep sees
    them (its index): waiting for the citizen's information stops the clock."""
    # A merged letter is closed: no filter on merged_into, so the queue's index answers alone.
    late = Case.objects.filter(status__in=RUNNING, due_on__lt=window.as_of_day)
    if agency_ids is not None:
        late = late.filter(agency_id__in=list(agency_ids))
    rows = late.values("agency_id").annotate(n=Count("id")).values_list("agency_id", "n")
    return dict(rows)


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
    day = window.as_of_day
    # A deadline only ever moves later: one already passed needs no look at the history.
    moved = [x.pk for x in letters if x.accepted and x.resolve_due and x.resolve_due >= day]
    dues = _dues_at(window.as_of, moved)
    counts: dict[int, int] = {}
    for letter in letters:
        due = dues.get(letter.pk, letter.resolve_due) if letter.accepted else letter.process_due
        if due is not None and due < day and not _paused_on(letter, day):
            counts[letter.agency_id] = counts.get(letter.agency_id, 0) + 1
    return counts


def _open_at(window: Window, agency_ids: Collection[int] | None) -> list[_Open]:
    """Letters received before the moment and answered at or after it, or not yet."""
    after = f"""EXISTS (SELECT 1 FROM cases_caseevent e WHERE e.case_id = c.id
        AND e.at >= %(as_of)s AND e.action IN ({PASSED_ON}))"""  # noqa: S608 (constants only)
    sql = _letters_sql(
        "c.id, c.agency_id, c.accepted_at, c.process_due, c.resolve_due, c.paused_since, c.pauses",
        agency_ids,
        until="as_of",
    )
    sql += (
        " AND (c.resolved_at IS NULL OR c.resolved_at >= %(as_of)s)"
        " AND (c.archived_at IS NULL OR c.archived_at >= %(as_of)s)"
        " AND (c.resolved_at IS NOT NULL OR c.archived_at IS NOT NULL"
        f" OR c.status IN ({_in(OPEN)}) OR c.status IN ({ENDED}) AND {after})"
    )
    return [_open_row(row, window.as_of) for row in _rows(sql, _params(window))]


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
