"""Reads for cases: the officer queue (key-paginated), the case page, tracking."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from danvan.accounts.access import AnyUser, agency_ids_of, roles_of
from danvan.accounts.phone import looks_like_phone, normalize_phone
from danvan.accounts.roles import Role
from danvan.core.paging import page_key, parse_page_key
from danvan.language.search import search

from . import timing
from .access import ACTING_ROLES, visible_cases
from .models import Case, CaseEvent, Topic
from .workflow import OPEN

PAGE_SIZE = 25
NO_DEADLINE = "none"


@dataclass(frozen=True)
class QueueFilters:
    text: str = ""  # words to search for, with or without accents
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


@dataclass(frozen=True)
class QueueCounts:
    open: int
    overdue: int
    due_this_week: int


def queue_counts(user: AnyUser) -> QueueCounts:
    """The officer's open letters, how many are overdue and how many fall due within the
    next seven days: one query whatever the number of letters."""
    today = timezone.localdate()
    totals = (
        visible_cases(user)
        .filter(status__in=OPEN)
        .aggregate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            week=Count("pk", filter=Q(due_on__gte=today, due_on__lte=today + timedelta(days=6))),
        )
    )
    return QueueCounts(totals["open"], totals["overdue"], totals["week"])


def queue_total(*, user: AnyUser, filters: QueueFilters) -> int:
    """How many letters the filters select (the queue shows them a page at a time)."""
    return _filtered(user, filters).count()


def deadlines_mark(cases: list[Case]) -> None:
    """Set `days_late` and `due_soon` on each case for the deadline cell."""
    today = timezone.localdate()
    for case in cases:
        due = case.due_on
        rule = case.resolve_rule if due and due == case.resolve_due else case.process_rule
        late = timing.days_late(rule_code=rule, due=due, today=today) if due else 0
        case.days_late = late  # type: ignore[attr-defined]
        case.due_soon = bool(due) and not late and timing.due_soon(due=due, today=today)  # type: ignore[attr-defined, arg-type]


def _filtered(user: AnyUser, f: QueueFilters) -> QuerySet[Case]:
    cases = visible_cases(user)
    if f.status:
        cases = cases.filter(status=f.status)
    elif not f.text:  # a search looks through finished letters too
        cases = cases.filter(status__in=OPEN)
    if f.kind:
        cases = cases.filter(kind=f.kind)
    if f.topic:
        # The topic and its children, as a subquery: no join, so the deadline index still
        # gives the order (an OR over a joined column made SQLite read the whole agency).
        subtree = Topic.objects.filter(Q(pk=f.topic) | Q(parent_id=f.topic)).values("pk")
        cases = cases.filter(topic_id__in=subtree)
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


SEARCH_SHOWN = 50


def case_search(*, user: AnyUser, filters: QueueFilters) -> Page:
    """The best matches for what the officer typed, among the letters they may see.

    What callers quote comes first: the tracking code (any spacing or case), the writer's
    phone (any common format) or name. Then the words, exact accents first, by relevance
    (danvan.language.search); the other filters narrow the matches. One page: the officer
    refines the words instead of paging.
    """
    scoped = _filtered(user, filters).select_related("unit", "topic", "assignee", "agency")
    quoted = list(scoped.filter(_quoted(filters.text)).order_by("-id")[:SEARCH_SHOWN])
    scope = None if Role.AUDITOR in roles_of(user) else agency_ids_of(user, roles=ACTING_ROLES)
    hits = search(filters.text, source="case", scope_ids=scope, limit=SEARCH_SHOWN * 4)
    rank = {hit.source_id: n for n, hit in enumerate(hits) if hit.source_id not in
            {case.pk for case in quoted}}  # fmt: skip
    rows = sorted(scoped.filter(pk__in=list(rank)), key=lambda c: rank[c.pk])
    return Page((quoted + rows)[:SEARCH_SHOWN], None)


def _quoted(text: str) -> Q:
    """Letters named by a tracking code, a phone or a name in `text`.

    A sealed letter (a denunciation's, even once reclassified) is never matched by who
    wrote it: its identity is encrypted apart, and opening every sealed identity to compare
    would be a logged look at each. Its plain name and phone columns are empty anyway
    (case_denouncer_identity_not_plain); the exclusion keeps it so after reclassification.
    """
    found = Q(tracking_code=_tracking_code(text))
    identity = Q(submitter_name__icontains=" ".join(text.split()))
    if looks_like_phone(text):
        try:
            identity = Q(submitter_phone=normalize_phone(text))
        except ValidationError:
            identity = Q(pk__in=[])
    return found | (identity & Q(identity_sealed=False))


def case_queue(*, user: AnyUser, filters: QueueFilters, after: str | None = None) -> Page:
    """An agency's cases, PAGE_SIZE at a time after a key: earliest deadline first, then
    the letters without a running deadline (answered, closed, declined...), newest first.

    Each part is one range of an index ((agency, due_on, id) or (agency, status, due_on,
    id) with due_on NULL), so a deep page costs what the first does, whatever the size.
    The key is `<due date>.<id>`, or `none.<id>` in the part without a deadline.
    """
    cases = _filtered(user, filters).select_related("unit", "topic", "assignee", "agency")
    dated_only = filters.overdue or filters.due_within is not None
    return deadline_page(cases, after=after, size=PAGE_SIZE, dated_only=dated_only)


def deadline_page(
    cases: QuerySet[Case], *, after: str | None, size: int, dated_only: bool = False
) -> Page:
    """`size` of `cases` after the key `after`, in the queue's order (see case_queue); an
    unreadable key starts from the first page (`page_key_valid` tells it apart)."""
    key = _parse_key(after)
    rows: list[Case] = []
    if key is None or key[0] is not None:
        rows = list(_with_deadline(cases, key)[: size + 1])
    if len(rows) <= size and not dated_only:
        before = key[1] if key and key[0] is None else None
        rows.extend(_without_deadline(cases, before)[: size + 1 - len(rows)])
    if len(rows) <= size:
        return Page(rows, None)
    last = rows[size - 1]
    return Page(rows[:size], page_key(last.due_on, last.pk, undated=NO_DEADLINE))


def page_key_valid(text: str) -> bool:
    return _parse_key(text) is not None


def _with_deadline(cases: QuerySet[Case], key: tuple[date | None, int] | None) -> QuerySet[Case]:
    cases = cases.order_by("due_on", "id")
    if key is None or key[0] is None:
        return cases.filter(due_on__isnull=False)
    due, pk = key
    # `due_on >= due` is where the index range starts; the OR only sorts out the ties.
    return cases.filter(due_on__gte=due).filter(Q(due_on__gt=due) | Q(id__gt=pk))


def _without_deadline(cases: QuerySet[Case], before: int | None) -> QuerySet[Case]:
    cases = cases.filter(due_on__isnull=True).order_by("-id")
    return cases.filter(id__lt=before) if before else cases


def _parse_key(text: str | None) -> tuple[date | None, int] | None:
    return parse_page_key(text, undated=NO_DEADLINE)


def case_timeline(*, case: Case, public_only: bool) -> list[CaseEvent]:
    events = case.events.select_related("actor")
    if public_only:
        events = events.filter(is_public=True)
    return list(events)


def case_by_tracking_code(code: str) -> Case | None:
    cases = Case.objects.select_related("agency", "unit", "topic")
    return first_of(cases.filter(tracking_code=_tracking_code(code)))


# What a citizen tracking a letter through the API is shown: a few of the case's many columns.
TRACKED = ("tracking_code", "status", "kind", "answer", "received_at", "due_on",
           "topic__code", "topic__name", "unit__code", "unit__name")  # fmt: skip


def case_tracked(code: str) -> tuple[Case, list[CaseEvent]] | None:
    """The case `code` names, with only the TRACKED fields, and its public events."""
    cases = Case.objects.select_related("unit", "topic").only(*TRACKED)
    case = first_of(cases.filter(tracking_code=_tracking_code(code)))
    if case is None:
        return None
    events = CaseEvent.objects.filter(case_id=case.pk, is_public=True).only("action", "at")
    return case, list(events)


def _tracking_code(code: str) -> str:
    normalized = "".join(code.split()).upper()
    if len(normalized) == 12:
        normalized = f"{normalized[:4]}-{normalized[4:8]}-{normalized[8:]}"
    return normalized


def first_of(cases: QuerySet[Case]) -> Case | None:
    """The case a unique filter selects. Not .first(): ordering by the key would cost the
    query's compile a quarter more (a case has 54 columns, often with 4 related rows)."""
    found = list(cases[:1])
    return found[0] if found else None


WEEK = 7  # "due this week" on the home page: the queue's `due=7` filter


@dataclass(frozen=True)
class WorkCount:
    """One number of an official's home and the queue query that lists its letters."""

    label_key: str
    count: int
    query: str


def work_counts(user: AnyUser) -> list[WorkCount]:
    """Mine, overdue, due within a week: each counted with the queue's own filter, so the
    number is the length of the list its link opens."""
    wanted = [
        ("mine", QueueFilters(mine=True), "mine=1"),
        ("overdue", QueueFilters(overdue=True), "overdue=1"),
        ("week", QueueFilters(due_within=WEEK), f"due={WEEK}"),
    ]
    return [WorkCount(key, _filtered(user, f).count(), query) for key, f, query in wanted]
