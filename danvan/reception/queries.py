"""Reads for reception: the day's sessions, the logbook (key-paginated), the published
schedule and compliance with the legal minimum frequencies."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from danvan.accounts.models import Membership
from danvan.core.paging import page_key, parse_page_key

from .models import (
    LeaderLeave,
    ReceptionEntry,
    ReceptionSchedule,
    ReceptionSession,
    SessionKind,
    SessionStatus,
)
from .rules import MinimumFrequency, Period, minimum_for, minimums_between
from .schedule import periods_started

LOG_PAGE_SIZE = 25
PUBLIC_DAYS_AHEAD = 92


def sessions_on(*, agency_ids: Collection[int], day: date) -> list[ReceptionSession]:
    """The day's sessions of the agencies, each with its bookings."""
    return list(
        ReceptionSession.objects.filter(agency_id__in=agency_ids, held_on=day)
        .select_related("agency", "leader", "deputy")
        .prefetch_related("bookings")
        .order_by("held_on", "id")
    )


def upcoming_sessions(*, days: int = PUBLIC_DAYS_AHEAD) -> QuerySet[ReceptionSession]:
    """What the citizen site publishes: planned sessions from tomorrow on, with free slots."""
    today = timezone.localdate()
    return (
        ReceptionSession.objects.filter(
            status=SessionStatus.PLANNED, held_on__gt=today, held_on__lte=today + timedelta(days)
        )
        .select_related("agency", "leader", "deputy")
        .annotate(booked=Count("bookings"))
        .annotate(slots_left=F("capacity") - F("booked"))
        .order_by("held_on", "agency__name", "id")
    )


@dataclass(frozen=True)
class LogPage:
    entries: list[ReceptionEntry]
    next_key: str | None


def logbook_page(*, agency_ids: Collection[int], after: str | None = None) -> LogPage:
    """Newest entries first, LOG_PAGE_SIZE at a time after the key `<date>.<id>`."""
    entries = (
        ReceptionEntry.objects.filter(agency_id__in=agency_ids)
        .select_related("case", "session", "recorded_by")
        .order_by("-received_on", "-id")
    )
    key = parse_page_key(after)
    if key is not None:
        day, pk = key
        entries = entries.filter(received_on__lte=day).filter(Q(received_on__lt=day) | Q(id__lt=pk))
    rows = list(entries[: LOG_PAGE_SIZE + 1])
    if len(rows) <= LOG_PAGE_SIZE:
        return LogPage(rows, None)
    last = rows[LOG_PAGE_SIZE - 1]
    return LogPage(rows[:LOG_PAGE_SIZE], page_key(last.received_on, last.pk))


@dataclass(frozen=True)
class ComplianceRow:
    leader_name: str
    agency_name: str
    legal_basis: str
    required: int  # reception days the law required in the period (up to today)
    held: int  # days held, periodic or make-up (a deputy counts before 2026-07-01)
    held_ad_hoc: int  # of which ad hoc
    to_reschedule: int
    agency_id: int = 0
    counted_from: date | None = None  # first day the duty is counted; None: none in the period
    from_office: bool = False  # counted from taking office (else from the schedule's start)
    since: date | None = None  # the day the leader took office, or the schedule began
    rule: MinimumFrequency | None = None  # the minimum in force at the period's end

    @property
    def missing(self) -> int:
        return max(self.required - self.held, 0)


def period_bounds(*, year: int, month: int | None) -> tuple[date, date]:
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, 1), nxt - timedelta(days=1)


def compliance(
    *, year: int, month: int | None = None, agency_ids: Collection[int] | None = None
) -> list[ComplianceRow]:
    """Days required vs. held, per leader in an agency, for a month or a year."""
    start, end = period_bounds(year=year, month=month)
    return compliance_between(start=start, end=end, agency_ids=agency_ids)


def compliance_between(
    *, start: date, end: date, agency_ids: Collection[int] | None = None
) -> list[ComplianceRow]:
    """Days required vs. held, per leader in an agency, from `start` to `end` (both included).

    The duty runs while the leader heads the agency (their memberships as head); when the
    platform does not know that, from the first of the leader's schedules there. Required
    days count the weeks or months that began in that time and no later than today, by the
    minimum in force on each of those days (rules.py), so a month in progress owes only the
    weeks begun so far.
    """
    end = min(end, timezone.localdate())
    schedules = (
        ReceptionSchedule.objects.select_related("leader", "agency")
        .filter(starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
    )
    if agency_ids is not None:
        schedules = schedules.filter(agency_id__in=agency_ids)
    groups: dict[tuple[int, int], list[ReceptionSchedule]] = {}
    for schedule in schedules.order_by("agency__name", "leader__full_name", "starts_on", "id"):
        groups.setdefault((schedule.agency_id, schedule.leader_id), []).append(schedule)
    offices = _terms_as_head(groups)
    counts = _session_counts(start, end)
    return [
        _compliance_row(group, offices.get(key), counts.get(key, {}), start, end)
        for key, group in groups.items()
    ]


def _terms_as_head(
    groups: dict[tuple[int, int], list[ReceptionSchedule]],
) -> dict[tuple[int, int], list[tuple[date, date | None]]]:
    """One query: when each leader headed the agency (every term: a leader with terms, none
    of them in the period, owes nothing in it)."""
    terms = Membership.objects.filter(
        role=Membership.Role.HEAD,
        user_id__in={leader for _, leader in groups},
        agency_id__in={agency for agency, _ in groups},
    )
    found: dict[tuple[int, int], list[tuple[date, date | None]]] = {}
    for term in terms.order_by("started_on"):
        found.setdefault((term.agency_id, term.user_id), []).append(
            (term.started_on, term.ended_on)
        )
    return found


def _compliance_row(
    schedules: list[ReceptionSchedule],
    terms: list[tuple[date, date | None]] | None,
    counts: dict[str, Any],
    start: date,
    end: date,
) -> ComplianceRow:
    latest, from_office = schedules[-1], terms is not None
    if terms is None:  # the platform does not know when the leader took office
        ends = [s.ends_on for s in schedules]
        terms = [(schedules[0].starts_on, None if None in ends else max(e for e in ends if e))]
    windows = [(max(start, a), min(end, b or end)) for a, b in terms]
    windows = [(a, b) for a, b in windows if a <= b]
    required = sum(_required(latest.leader_role, a, b) for a, b in windows)
    rule = minimum_for(latest.leader_role, on=end)
    return ComplianceRow(
        leader_name=latest.leader.full_name, agency_name=latest.agency.name,
        legal_basis=rule.legal_basis, required=required,
        held=counts.get("held", 0), held_ad_hoc=counts.get("ad_hoc", 0),
        to_reschedule=counts.get("to_reschedule", 0), agency_id=latest.agency_id,
        counted_from=windows[0][0] if windows else None,
        from_office=from_office,
        since=_since(terms, windows),
        rule=rule,
    )  # fmt: skip


def _since(terms: list[tuple[date, date | None]], windows: list[tuple[date, date]]) -> date | None:
    """The start of the term (or schedule) the count begins in."""
    if not windows:
        return None
    first = windows[0][0]
    return max((start for start, _ in terms if start <= first), default=first)


def _required(role: str, first: date, last: date) -> int:
    """Days owed from `first` to `last` by each minimum in force on part of that time."""
    total = 0
    for rule in minimums_between(role, start=first, end=last):
        a = max(first, rule.effective_from)
        b = min(last, rule.effective_to - timedelta(days=1)) if rule.effective_to else last
        total += rule.days * periods_started(period=Period(rule.period), start=a, end=b)
    return total


def _session_counts(start: date, end: date) -> dict[tuple[int, int], dict[str, Any]]:
    """One grouped query: per (agency, leader), held, of which ad hoc, and to reschedule."""
    rows = (
        ReceptionSession.objects.filter(held_on__range=(start, end))
        .values("agency_id", "leader_id")
        .annotate(
            held=Count("id", filter=Q(status=SessionStatus.HELD)),
            ad_hoc=Count("id", filter=Q(status=SessionStatus.HELD, kind=SessionKind.AD_HOC)),
            to_reschedule=Count("id", filter=Q(status=SessionStatus.TO_RESCHEDULE)),
        )
    )
    return {(r["agency_id"], r["leader_id"]): dict(r) for r in rows}


@dataclass(frozen=True)
class SchedulesPage:
    schedules: list[ReceptionSchedule]
    leaves: list[LeaderLeave]
    to_reschedule: list[ReceptionSession]


def schedules_of(*, agency_ids: Collection[int]) -> SchedulesPage:
    """The agencies' schedules, leave still to come and sessions the leader must make up."""
    today = timezone.localdate()
    schedules = (
        ReceptionSchedule.objects.filter(agency_id__in=agency_ids)
        .exclude(ends_on__lt=today)
        .select_related("leader", "agency")
        .order_by("agency__name", "leader__full_name", "id")
    )
    leaves = (
        LeaderLeave.objects.filter(
            ends_on__gte=today, leader__reception_schedules__agency_id__in=agency_ids
        )
        .select_related("leader", "deputy")
        .distinct()
        .order_by("starts_on", "id")
    )
    to_reschedule = (
        ReceptionSession.objects.filter(
            agency_id__in=agency_ids, status=SessionStatus.TO_RESCHEDULE
        )
        .select_related("leader", "agency")
        .order_by("held_on", "id")
    )
    return SchedulesPage(list(schedules), list(leaves), list(to_reschedule))
