"""Named metrics computed from what the platform holds, per agency and period.

Each metric has a code (what a criteria set names), a label and a definition in the
platform's language (the pages show the definition beside the score), and a source: one
grouped read of another app's queries serves every metric of that source for every unit at
once (`metrics_for`). A commune is measured through its People's Committee.

Values are Decimals (percentages to one decimal, averages to two), or None when there is
nothing to measure (no letter due, no rating): the criterion's rule says what None earns.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from danvan.cases.stats import LetterStats, letter_stats
from danvan.dialogues.queries import DialogueStats, dialogue_stats
from danvan.reception.queries import compliance_between

Values = dict[str, Decimal | None]


@dataclass(frozen=True)
class Metric:
    code: str
    label: Promise
    definition: Promise
    unit: str  # "%", "" (a count), "/5"
    source: str  # "letters", "reception", "dialogues"
    value: Callable[[Any], Decimal | None]


def _pct(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _avg(total: int, count: int) -> Decimal | None:
    if count == 0:
        return None
    return (Decimal(total) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _held_pct(row: Any) -> Decimal | None:
    if row.required == 0:
        return None
    return min(_pct(row.held, row.required) or Decimal(0), Decimal(100))


METRICS: dict[str, Metric] = {
    m.code: m
    for m in [
        Metric(
            "letters_received", _("Letters received"),
            _("Letters of every kind held by the unit whose receipt date (local time) falls in "
              "the period, both ends included; letters merged into another are not counted."),
            "", "letters", lambda r: Decimal(r.received),
        ),
        Metric(
            "letters_answered_on_time_pct", _("Letters answered on time (%)"),
            _("Of the letters whose deadline falls in the period, the share answered on or "
              "before the deadline day. The deadline is the resolution deadline once the letter "
              "is accepted (extensions and days waiting for the citizen included), otherwise the "
              "processing deadline; the answer is the answer or decision, or the notice of "
              "declining, forwarding or guidance. A letter not answered when its deadline passed "
              "counts as late; one still within its deadline or waiting for the citizen's "
              "information is not counted yet. Reclassified letters count under their current "
              "kind; a letter counts for the unit that holds it (a forwarded letter for the unit "
              "that forwarded it)."),
            "%", "letters", lambda r: _pct(r.on_time, r.on_time + r.late),
        ),
        Metric(
            "overdue_open", _("Overdue letters open at the end of the period"),
            _("Letters open at the end of the period (or now, for a period not over) whose "
              "running deadline had passed, as the case history shows it at that moment; "
              "letters waiting for the citizen's information are not overdue."),
            "", "letters", lambda r: Decimal(r.overdue_open),
        ),
        Metric(
            "rating_avg", _("Average citizen rating"),
            _("The average of the ratings (1 to 5) citizens gave to the letters answered in the "
              "period."),
            "/5", "letters", lambda r: _avg(r.rating_sum, r.rated),
        ),
        Metric(
            "complaints_accepted_on_time_pct", _("Complaints accepted on time (%)"),
            _("Of the complaints whose acceptance deadline falls in the period, the share "
              "accepted on or before it; one not accepted when it passed counts as late. "
              "Complaints declined, forwarded or guided are not counted."),
            "%", "letters",
            lambda r: _pct(r.complaints_on_time, r.complaints_on_time + r.complaints_late),
        ),
        Metric(
            "reception_days_required", _("Reception days required"),
            _("Citizen reception days the law required of the unit's leaders in the period, up "
              "to today (Luật Tiếp công dân 2013, Art. 12-15; as the reception schedules keep "
              "them)."),
            "", "reception", lambda r: Decimal(r.required),
        ),
        Metric(
            "reception_days_held", _("Reception days held"),
            _("Reception days the unit's leaders held in the period, periodic or made up."),
            "", "reception", lambda r: Decimal(r.held),
        ),
        Metric(
            "reception_days_held_pct", _("Reception days held (%)"),
            _("Reception days held as a share of those required (at most 100%)."),
            "%", "reception", _held_pct,
        ),
        Metric(
            "dialogues_held", _("Dialogue conferences held"),
            _("Dialogue conferences the unit organised and held in the period."),
            "", "dialogues", lambda r: Decimal(r.held),
        ),
        Metric(
            "commitments_closed_on_time_pct", _("Commitments closed on time (%)"),
            _("Of the commitments made at dialogues that the unit owns and whose due date falls "
              "in the period, the share closed with evidence on or before that date; one not "
              "closed when it passed counts as late."),
            "%", "dialogues",
            lambda r: _pct(r.commitments_on_time, r.commitments_on_time + r.commitments_late),
        ),
    ]
}  # fmt: skip
METRIC_CHOICES = [(code, metric.label) for code, metric in METRICS.items()]


@dataclass
class _Reception:
    required: int = 0
    held: int = 0


def _letters(start: date, end: date, agencies: Collection[int] | None) -> dict[int, Any]:
    return dict(letter_stats(start=start, end=end, agency_ids=agencies))


def _reception(start: date, end: date, agencies: Collection[int] | None) -> dict[int, Any]:
    totals: dict[int, _Reception] = {}
    for row in compliance_between(start=start, end=end, agency_ids=agencies):
        total = totals.setdefault(row.agency_id, _Reception())
        total.required += row.required
        total.held += row.held
    return dict(totals)


def _dialogues(start: date, end: date, agencies: Collection[int] | None) -> dict[int, Any]:
    return dict(dialogue_stats(start=start, end=end, agency_ids=agencies))


SOURCES: dict[str, tuple[Callable[..., dict[int, Any]], Callable[[], Any]]] = {
    "letters": (_letters, LetterStats),
    "reception": (_reception, _Reception),
    "dialogues": (_dialogues, DialogueStats),
}


def metrics_for(
    *, agency_ids: Collection[int], start: date, end: date, codes: Collection[str] | None = None
) -> dict[int, Values]:
    """Each agency's value of each metric (all when `codes` is None) for start..end: one
    grouped read per source, whatever the number of agencies. With more than a handful of
    agencies every agency is read (one pass) and the others dropped."""
    wanted = [METRICS[code] for code in (codes or METRICS)]
    ids = list(agency_ids)
    scope = ids if len(ids) <= 5 else None
    values: dict[int, Values] = {pk: {} for pk in ids}
    for source in dict.fromkeys(m.source for m in wanted):
        read, empty = SOURCES[source]
        rows = read(start, end, scope)
        for pk in ids:
            row = rows.get(pk) or empty()
            for metric in (m for m in wanted if m.source == source):
                values[pk][metric.code] = metric.value(row)
    return values


def format_value(value: Decimal | None) -> str:
    """The value as `evaluation_metrics` prints it: "" when there is nothing to measure."""
    if value is None:
        return ""
    return f"{value.normalize():f}"
