"""Reads for cases: the officer queue (key-paginated), the case page, tracking."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from danvan.accounts.access import AnyUser

from .access import visible_cases
from .models import Case, CaseEvent
from .workflow import OPEN

PAGE_SIZE = 25


@dataclass(frozen=True)
class QueueFilters:
    kind: str = ""
    status: str = ""
    topic: int | None = None
    unit: int | None = None
    due_within: int | None = None
    overdue: bool = False
    mine: bool = False


@dataclass(frozen=True)
class Page:
    cases: list[Case]
    next_key: str | None


def _filtered(user: AnyUser, f: QueueFilters) -> QuerySet[Case]:
    cases = visible_cases(user)
    cases = cases.filter(status=f.status) if f.status else cases.filter(status__in=OPEN)
    if f.kind:
        cases = cases.filter(kind=f.kind)
    if f.topic:
        cases = cases.filter(Q(topic_id=f.topic) | Q(topic__parent_id=f.topic))
    if f.unit:
        cases = cases.filter(unit_id=f.unit)
    today = timezone.localdate()
    if f.due_within is not None:
        cases = cases.filter(due_on__lte=today + timedelta(days=f.due_within))
    if f.overdue:
        cases = cases.filter(due_on__lt=today)
    if f.mine and user.is_authenticated:
        cases = cases.filter(assignee_id=user.pk)
    return cases


def case_queue(*, user: AnyUser, filters: QueueFilters, after: str | None = None) -> Page:
    """An agency's cases, earliest deadline first, PAGE_SIZE at a time after a key."""
    cases = _filtered(user, filters).select_related("unit", "topic", "assignee", "agency")
    cases = cases.order_by("due_on", "id")
    key = _parse_key(after)
    if key:
        due, pk = key
        cases = cases.filter(Q(due_on__gt=due) | Q(due_on=due, id__gt=pk))
    rows = list(cases[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    last = rows[-1] if rows and more else None
    next_key = f"{last.due_on.isoformat()}.{last.pk}" if last and last.due_on else None
    return Page(rows, next_key)


def _parse_key(text: str | None) -> tuple[date, int] | None:
    if not text:
        return None
    try:
        due, pk = text.split(".")
        return date.fromisoformat(due), int(pk)
    except ValueError:
        return None


def case_timeline(*, case: Case, public_only: bool) -> list[CaseEvent]:
    events = case.events.select_related("actor")
    if public_only:
        events = events.filter(is_public=True)
    return list(events)


def case_by_tracking_code(code: str) -> Case | None:
    normalized = code.strip().upper().replace(" ", "")
    if len(normalized) == 12:
        normalized = f"{normalized[:4]}-{normalized[4:8]}-{normalized[8:]}"
    return (
        Case.objects.select_related("agency", "unit", "topic")
        .filter(tracking_code=normalized)
        .first()
    )
