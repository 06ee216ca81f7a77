"""The letters behind a figure of the overview, a page at a time in the queue's order.

Rows carry no text and no sender: number, kind, topic, agency, commune, status, dates.
Each row says whether the user may open the letter (cases.access), and only then links.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from danvan.accounts.access import AnyUser
from danvan.cases.access import visible_cases
from danvan.cases.models import Case
from danvan.cases.queries import deadline_page
from danvan.cases.workflow import OPEN, Status

from .access import Scope
from .models import HotIssue
from .queries import Filters, narrowed

PAGE_SIZE = 50
WHAT = ("received", "open", "overdue", "hot")
RUNNING = sorted(OPEN - {Status.INFO_REQUESTED})


@dataclass(frozen=True)
class Behind:
    """What a figure counts: `what` of WHAT, narrowed by the overview's filters."""

    what: str
    filters: Filters
    agency: int | None = None
    issue: int | None = None


@dataclass(frozen=True)
class LetterPage:
    rows: list[Case]
    openable: set[int]
    next_key: str | None


def letters_behind(*, user: AnyUser, scope: Scope, behind: Behind, after: str | None) -> LetterPage:
    """Open and overdue letters in the queue's order (earliest deadline first); received
    letters and a hot issue's newest first. An unreadable key starts from the first page.

    The page is chosen on narrow rows (id and dates, off the indexes), then its 50 letters
    read whole: sorting many letters with their text made a commune's year take a second."""
    narrow = _cases(scope, behind).only("id", "due_on", "received_at")
    if behind.what in ("open", "overdue"):
        dated_only = behind.what == "overdue"
        page = deadline_page(narrow, after=after, size=PAGE_SIZE, dated_only=dated_only)
        ids, next_key = [case.pk for case in page.cases], page.next_key
    else:
        ids, next_key = _newest_first(narrow, after)
    found = Case.objects.filter(pk__in=ids).select_related("agency", "unit", "topic")
    by_id = {case.pk: case for case in found}
    openable = set(visible_cases(user).filter(pk__in=ids).values_list("pk", flat=True))
    return LetterPage([by_id[pk] for pk in ids], openable, next_key)


def _newest_first(cases: QuerySet[Case], after: str | None) -> tuple[list[int], str | None]:
    """A page by receipt, newest first, after the key `<received_at>~<id>`."""
    key = _parse_key(after)
    if key is not None:
        moment, pk = key
        cases = cases.filter(Q(received_at__lt=moment) | Q(received_at=moment, id__lt=pk))
    rows = list(
        cases.order_by("-received_at", "-id").values_list("id", "received_at")[: PAGE_SIZE + 1]
    )
    ids = [pk for pk, _ in rows[:PAGE_SIZE]]
    if len(rows) <= PAGE_SIZE:
        return ids, None
    pk, moment = rows[PAGE_SIZE - 1]
    return ids, f"{moment.isoformat()}~{pk}"


def _parse_key(text: str | None) -> tuple[datetime, int] | None:
    moment, _, pk = (text or "").partition("~")
    try:
        parsed = datetime.fromisoformat(moment)
    except ValueError:
        return None
    if not pk.isdigit() or len(pk) > 18 or timezone.is_naive(parsed):
        return None
    return parsed, int(pk)


def _cases(scope: Scope, behind: Behind) -> QuerySet[Case]:
    cases = narrowed(Case.objects.all(), scope, behind.filters, agency=behind.agency)
    return _what(cases, behind)


def _what(cases: QuerySet[Case], behind: Behind) -> QuerySet[Case]:
    if behind.what == "open":
        return cases.filter(status__in=sorted(OPEN))
    if behind.what == "overdue":
        return cases.filter(status__in=RUNNING, due_on__lt=timezone.localdate())
    if behind.what == "hot":
        members = HotIssue.cases.through.objects.filter(hotissue_id=behind.issue or 0)
        return cases.filter(pk__in=members.values("case_id"))
    zone = timezone.get_default_timezone()
    period = behind.filters.period
    t0 = datetime.combine(period.start, time.min, tzinfo=zone)
    t1 = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone)
    return cases.filter(merged_into__isnull=True, received_at__gte=t0, received_at__lt=t1)
