"""Reads for dialogues and commitments: public pages, the organiser's page, owners' lists."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from danvan.accounts.access import AnyUser
from danvan.core.paging import page_key, parse_page_key
from danvan.language import similarity
from danvan.places.models import Unit

from .access import owned_commitments
from .models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Dialogue,
    Question,
    Status,
)

PAGE_SIZE = 25
DONE_KEY = "done"
# Above this similarity two questions are proposed as one group. Questions are short, so
# the same matter in other words scores lower than two copies of a letter (0.59+), while
# unrelated texts stay under 0.19 (see danvan.language.similarity).
GROUP_THRESHOLD = 0.3


def public_dialogues() -> QuerySet[Dialogue]:
    return Dialogue.objects.select_related("organiser", "unit").order_by("-starts_at", "-id")


def dialogue_public(pk: int) -> Dialogue | None:
    return (
        Dialogue.objects.select_related("organiser", "chair", "unit")
        .prefetch_related("agencies")
        .filter(pk=pk)
        .first()
    )


def dialogue_questions(*, dialogue: Dialogue) -> list[Question]:
    """Every question, most votes first; hidden ones stay listed with the reason."""
    return list(
        dialogue.questions.select_related("answered_by", "answered_agency", "group").order_by(
            "-votes", "id"
        )
    )


def question_groups_propose(
    *, questions: list[Question], threshold: float = GROUP_THRESHOLD
) -> list[list[Question]]:
    """Groups of similar ungrouped, visible questions (pairs above `threshold`, joined
    transitively); the organiser confirms or ignores each proposal."""
    candidates = [q for q in questions if q.group_id is None and not q.is_hidden]
    profiles = [similarity.profile(q.text) for q in candidates]
    parent = list(range(len(candidates)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(candidates)):
        for j in range(i + 1, len(candidates)):
            if similarity.compare(profiles[i], profiles[j]) >= threshold:
                parent[root(j)] = root(i)
    groups: dict[int, list[Question]] = {}
    for i, question in enumerate(candidates):
        groups.setdefault(root(i), []).append(question)
    return [group for group in groups.values() if len(group) > 1]


def _with_progress(commitments: QuerySet[Commitment]) -> QuerySet[Commitment]:
    updates = CommitmentUpdate.objects.select_related("by").prefetch_related("files")
    return commitments.select_related("owner", "dialogue", "case").prefetch_related(
        Prefetch("updates", queryset=updates)
    )


def dialogue_commitments(*, dialogue: Dialogue) -> list[Commitment]:
    return list(_with_progress(dialogue.commitments.order_by("due_on", "id")))


def unit_commitments(*, unit: Unit) -> list[Commitment]:
    """Commitments made at the dialogues organised in a unit, not done first."""
    commitments = Commitment.objects.filter(dialogue__unit=unit)
    rows = list(_with_progress(commitments.order_by("due_on", "id")))
    return sorted(rows, key=lambda c: c.status == CommitmentStatus.DONE)


def commune_by_code(code: str) -> Unit | None:
    return (
        Unit.objects.filter(code=code, valid_until__isnull=True).exclude(level="district").first()
    )


@dataclass(frozen=True)
class Page:
    commitments: list[Commitment]
    next_key: str | None


def owner_commitments_page(*, user: AnyUser, after: str | None = None) -> Page:
    """The owner agency's commitments, PAGE_SIZE at a time: those not done by due date
    (so the overdue ones come first), then those done, newest first. The key is
    `<due date>.<id>`, or `done.<id>` in the second part; one index range each."""
    base = owned_commitments(user).select_related("owner", "dialogue")
    key = _parse_key(after)
    rows: list[Commitment] = []
    if key is None or key[0] is not None:
        pending = base.exclude(status=CommitmentStatus.DONE).order_by("due_on", "id")
        if key is not None and key[0] is not None:
            due, pk = key
            pending = pending.filter(due_on__gte=due).filter(Q(due_on__gt=due) | Q(id__gt=pk))
        rows = list(pending[: PAGE_SIZE + 1])
    if len(rows) <= PAGE_SIZE:
        done = base.filter(status=CommitmentStatus.DONE).order_by("-id")
        if key is not None and key[0] is None:
            done = done.filter(id__lt=key[1])
        rows.extend(done[: PAGE_SIZE + 1 - len(rows)])
    if len(rows) <= PAGE_SIZE:
        return Page(rows, None)
    last = rows[PAGE_SIZE - 1]
    due = None if last.status == CommitmentStatus.DONE else last.due_on
    return Page(rows[:PAGE_SIZE], page_key(due, last.pk, undated=DONE_KEY))


def _parse_key(text: str | None) -> tuple[date | None, int] | None:
    return parse_page_key(text, undated=DONE_KEY)


def overdue_count(commitments: list[Commitment]) -> int:
    today = timezone.localdate()
    return sum(c.is_overdue_on(today) for c in commitments)


def staff_home_dialogues(*, agency_ids: Collection[int], limit: int = 5) -> list[Dialogue]:
    """The coming dialogues the agencies organise or attend, soonest first."""
    ids = list(agency_ids)
    dialogues = Dialogue.objects.filter(
        Q(organiser_id__in=ids) | Q(agencies__in=ids),
        starts_at__gte=timezone.now(),
        status__in=[Status.PLANNED, Status.OPEN],
    )
    return list(dialogues.distinct().select_related("organiser").order_by("starts_at")[:limit])


def staff_home_overdue(*, agency_ids: Collection[int], limit: int = 10) -> list[Commitment]:
    """The agencies' commitments past their due date and not done, most overdue first."""
    overdue = Commitment.objects.filter(
        owner_id__in=list(agency_ids), due_on__lt=timezone.localdate()
    ).exclude(status=CommitmentStatus.DONE)
    return list(overdue.select_related("dialogue", "owner").order_by("due_on", "id")[:limit])


@dataclass
class DialogueStats:
    """An organising or owner agency's figures for a period (evaluation, insights)."""

    held: int = 0  # conferences it organised, held in the period
    commitments_on_time: int = 0  # commitments due in the period, done by their due day
    commitments_late: int = 0  # done after it, or not done when it had passed


def dialogue_stats(
    *, start: date, end: date, agency_ids: Collection[int] | None = None
) -> dict[int, DialogueStats]:
    """Per agency: dialogues held (status held or closed, local date in the period) and
    commitments whose due date falls in the period, done on or before that day or not. A
    commitment not done whose due day has not passed yet (a period not over) is not counted.
    """
    zone = timezone.get_default_timezone()
    t0 = datetime.combine(start, time.min, tzinfo=zone)
    t1 = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    stats: dict[int, DialogueStats] = {}
    held = Dialogue.objects.filter(
        starts_at__gte=t0, starts_at__lt=t1, status__in=[Status.HELD, Status.CLOSED]
    )
    commitments = Commitment.objects.filter(due_on__range=(start, end))
    if agency_ids is not None:
        held = held.filter(organiser_id__in=list(agency_ids))
        commitments = commitments.filter(owner_id__in=list(agency_ids))
    for organiser_id, count in (
        held.values("organiser_id").annotate(n=Count("id")).values_list("organiser_id", "n")
    ):
        stats.setdefault(organiser_id, DialogueStats()).held = count
    today = min(end + timedelta(days=1), timezone.localdate())
    rows = commitments.values_list("owner_id", "due_on", "status", "done_at")
    for owner_id, due_on, status, done_at in rows:
        owner = stats.setdefault(owner_id, DialogueStats())
        if status == CommitmentStatus.DONE and done_at and timezone.localdate(done_at) <= due_on:
            owner.commitments_on_time += 1
        elif status == CommitmentStatus.DONE or due_on < today:
            owner.commitments_late += 1
    return stats
