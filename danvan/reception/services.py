"""Every write of the reception app, each in one transaction. Inputs are already validated
(forms.py); the legal checks that must hold whatever the caller are repeated here."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.models import User
from danvan.cases.draft import LetterDraft, Sender
from danvan.cases.models import Case, Channel
from danvan.cases.submission import case_submit
from danvan.cases.workflow import Kind
from danvan.language.pii import mask_sender
from danvan.places.models import Agency, Unit
from danvan.rulebook.store import current_calendar

from .models import (
    Booking,
    Frequency,
    LeaderLeave,
    ReceptionEntry,
    ReceptionSchedule,
    ReceptionSession,
    RefusalGround,
    Route,
    SessionKind,
    SessionStatus,
)
from .rules import Period, delegation_allowed, minimum_for, representatives_max
from .schedule import chosen_days, planned_days


class ReceptionError(Exception):
    """A rule of the law or of the schedule forbids this; the message is for the person."""


def schedule_create(
    *, leader: User, leader_role: str, agency: Agency, frequency: str, starts_on: date,
    place: str, weekday: int | None = None, day_of_month: int | None = None,
    roll_forward: bool = True, ends_on: date | None = None,
) -> ReceptionSchedule:  # fmt: skip
    """A schedule no looser than the legal minimum for the leader's office on `starts_on`."""
    minimum = minimum_for(leader_role, on=starts_on)
    if minimum.period == Period.WEEK and frequency != Frequency.WEEKLY:
        raise ReceptionError(
            _("The law requires this leader to receive citizens every week (%(basis)s).")
            % {"basis": minimum.legal_basis}
        )
    schedule = ReceptionSchedule(
        leader=leader, leader_role=leader_role, agency=agency, frequency=frequency,
        weekday=weekday if frequency == Frequency.WEEKLY else None,
        day_of_month=day_of_month if frequency == Frequency.MONTHLY else None,
        roll_forward=roll_forward, place=place, starts_on=starts_on, ends_on=ends_on,
    )  # fmt: skip
    schedule.full_clean()
    schedule.save()
    return schedule


def leave_record(
    *, leader: User, starts_on: date, ends_on: date, deputy: User | None = None, reason: str = ""
) -> LeaderLeave:
    """Record a leader's absence and re-plan the planned sessions it covers."""
    with transaction.atomic():
        leave = LeaderLeave.objects.create(
            leader=leader, starts_on=starts_on, ends_on=ends_on, deputy=deputy, reason=reason
        )
        sessions = ReceptionSession.objects.filter(
            leader=leader,
            held_on__range=(starts_on, ends_on),
            status__in=[SessionStatus.PLANNED, SessionStatus.TO_RESCHEDULE],
        )
        for session in sessions:
            _apply_leave(session, leave)
            session.save(update_fields=["deputy", "status"])
    return leave


def _apply_leave(session: ReceptionSession, leave: LeaderLeave | None) -> None:
    """A deputy stands in while the law allows it; from 2026-07-01 the leader makes it up."""
    session.deputy = None
    if leave is None:
        session.status = SessionStatus.PLANNED
    elif delegation_allowed(on=session.held_on) and leave.deputy_id is not None:
        session.deputy_id = leave.deputy_id
        session.status = SessionStatus.PLANNED
    else:
        session.status = SessionStatus.TO_RESCHEDULE


def sessions_generate(*, schedule: ReceptionSchedule, until: date) -> list[ReceptionSession]:
    """The schedule's periodic sessions up to `until`; rerunning creates nothing twice."""
    end = min(until, schedule.ends_on) if schedule.ends_on else until
    chosen = chosen_days(
        period=Period(schedule.frequency), weekday=schedule.weekday,
        day_of_month=schedule.day_of_month, start=schedule.starts_on, end=end,
    )  # fmt: skip
    planned = planned_days(chosen, calendar=current_calendar(), roll_forward=schedule.roll_forward)
    existing = set(schedule.sessions.values_list("chosen_day", flat=True))
    leaves = list(
        LeaderLeave.objects.filter(leader_id=schedule.leader_id, ends_on__gte=schedule.starts_on)
    )
    created = []
    with transaction.atomic():
        for day in planned:
            if day.chosen in existing:
                continue
            session = ReceptionSession(
                schedule=schedule, agency_id=schedule.agency_id, leader_id=schedule.leader_id,
                held_on=day.held_on, chosen_day=day.chosen, place=schedule.place,
                kind=SessionKind.PERIODIC,
            )  # fmt: skip
            leave = next((lv for lv in leaves if lv.starts_on <= day.held_on <= lv.ends_on), None)
            _apply_leave(session, leave)
            session.save()
            created.append(session)
    return created


def sessions_plan_ahead(*, days: int) -> int:
    """Extend every schedule in force to `days` ahead (run daily); returns sessions added."""
    today = timezone.localdate()
    schedules = ReceptionSchedule.objects.filter(starts_on__lte=today + timedelta(days)).exclude(
        ends_on__lt=today
    )
    return sum(
        len(sessions_generate(schedule=schedule, until=today + timedelta(days)))
        for schedule in schedules
    )


def session_add_ad_hoc(
    *, agency: Agency, leader: User, held_on: date, place: str, capacity: int = 20
) -> ReceptionSession:
    """An ad-hoc session (LTCD Art. 18(3)), or a leader's make-up day."""
    return ReceptionSession.objects.create(
        agency=agency, leader=leader, held_on=held_on, place=place, kind=SessionKind.AD_HOC,
        capacity=capacity,
    )  # fmt: skip


def session_set_status(*, session: ReceptionSession, status: str, conclusion: str = "") -> None:
    """Mark a session held or cancelled; only a planned session moves."""
    if session.status != SessionStatus.PLANNED and status != SessionStatus.PLANNED:
        raise ReceptionError(_("Only a planned session can be marked held or cancelled."))
    if status == SessionStatus.HELD and session.held_on > timezone.localdate():
        raise ReceptionError(_("A session cannot be marked held before its day."))
    moved = ReceptionSession.objects.filter(pk=session.pk, status=session.status).update(
        status=status, conclusion=conclusion or session.conclusion
    )
    if moved != 1:
        raise ReceptionError(_("Another officer changed this session first. Please reload."))
    session.status = status


@dataclass(frozen=True)
class Visitor:
    """Who came and what they said: the Form 03 columns an officer types."""

    kind: str
    content: str
    name: str = ""
    id_number: str = ""
    address: str = ""
    phone: str = ""
    group_size: int = 1
    representatives: list[str] = field(default_factory=list)
    earlier_handling: str = ""
    notes: str = ""


def check_group(group_size: int, representatives: list[str]) -> None:
    """NĐ 124/2020 Art. 6: 5–10 people appoint at most 2 representatives, 11 or more at most 5."""
    most = representatives_max(group_size)
    if most is None:
        if len(representatives) > group_size:
            raise ReceptionError(_("There are more representatives than people."))
        return
    if not representatives:
        raise ReceptionError(
            _("A group of %(size)s people must name its representatives.") % {"size": group_size}
        )
    if len(representatives) > most:
        raise ReceptionError(
            _("A group of %(size)s people may appoint at most %(most)s representatives "
              "(Decree 124/2020, Art. 6); %(given)s were given.")
            % {"size": group_size, "most": most, "given": len(representatives)}
        )  # fmt: skip


def _entry(
    *, agency: Agency, session: ReceptionSession | None, received_on: date, visitor: Visitor,
    by: User, **fields: Any,
) -> ReceptionEntry:  # fmt: skip
    # The identity is sealed with the case: a denunciation's, or any row of a sealed letter.
    case = fields.get("case")
    secret = visitor.kind == Kind.DENUNCIATION or bool(case and case.identity_sealed)
    text = _masked_for(visitor) if secret else _as_typed
    if "result" in fields:
        fields["result"] = text(fields["result"])
    entry = ReceptionEntry(
        agency=agency, session=session, received_on=received_on, kind=visitor.kind,
        content=text(visitor.content), group_size=visitor.group_size,
        representatives=[] if secret else visitor.representatives,
        citizen_name="" if secret else visitor.name, id_number="" if secret else visitor.id_number,
        address="" if secret else visitor.address, earlier_handling=text(visitor.earlier_handling),
        notes=text(visitor.notes), recorded_by=by, **fields,
    )  # fmt: skip
    entry.save()
    return entry


def entries_seal(case: Case, sender: dict[str, str]) -> int:
    """The logbook rows of `case`, which has just been sealed, keep no identity: name, ID
    number, address and representatives cleared, their texts masked as the case's are.
    Returns how many rows changed."""
    changed = 0
    for entry in ReceptionEntry.objects.filter(case=case):
        own = {"name": entry.citizen_name, "id_number": entry.id_number, "address": entry.address}
        masked = [mask_sender(text, sender, own, *({"name": n} for n in entry.representatives))
                  for text in (entry.content, entry.result, entry.notes, entry.earlier_handling)]  # fmt: skip
        ReceptionEntry.objects.filter(pk=entry.pk).update(
            citizen_name="", id_number="", address="", representatives=[], content=masked[0],
            result=masked[1], notes=masked[2], earlier_handling=masked[3],
        )  # fmt: skip
        changed += 1
    return changed


def _as_typed(text: str) -> str:
    return text.strip()


def _masked_for(visitor: Visitor) -> Callable[[str], str]:
    """A denouncer's logbook texts hold no identity: their details masked, as in the case."""
    sender = {"name": visitor.name, "phone": visitor.phone, "address": visitor.address,
              "id_number": visitor.id_number}  # fmt: skip
    return lambda text: mask_sender(text.strip(), sender)


def entry_record(
    *, agency: Agency, by: User, visitor: Visitor, route: str, unit: Unit,
    session: ReceptionSession | None = None, received_at: datetime | None = None,
    existing_case: Case | None = None, result: str = "", idempotency_key: str | None = None,
) -> ReceptionEntry:  # fmt: skip
    """A logbook row whose matter enters the case queue: a new case, or one already open.

    A new case gets its kind and deadline from `case_submit`, which seals a denouncer. A
    retry of the same row (a double click: the same key, the same row) gives the first row
    back; the same key with a changed row raises IdempotencyKeyReused and records nothing.
    """
    check_group(visitor.group_size, visitor.representatives)
    received_at = received_at or timezone.now()
    row = {"agency": agency, "session": session, "route": route, "result": result,
           "representatives": visitor.representatives, "notes": visitor.notes,
           "earlier_handling": visitor.earlier_handling}  # fmt: skip
    with transaction.atomic():
        if existing_case is not None:
            case = existing_case
        else:
            draft = visitor_draft(visitor, unit=unit, received_at=received_at, row=row)
            case, created = case_submit(draft=draft, by=by, idempotency_key=idempotency_key)
            if not created and (first := ReceptionEntry.objects.filter(case=case).first()):
                return first
        return _entry(
            agency=agency, session=session, received_on=timezone.localdate(received_at),
            visitor=visitor, by=by, route=route, result=result, case=case,
        )  # fmt: skip


def visitor_draft(
    visitor: Visitor, *, unit: Unit, received_at: datetime, row: dict[str, Any]
) -> LetterDraft:
    """The letter a visitor brings to the session; `row`, the rest of the logbook row, counts
    in the retry digest (a changed row under the same key is another letter)."""
    sender = Sender(name=visitor.name, phone=visitor.phone, address=visitor.address,
                    id_number=visitor.id_number)  # fmt: skip
    return LetterDraft(kind=visitor.kind, title=_title(visitor.content), content=visitor.content,
                       unit=unit, sender=sender, people_count=visitor.group_size,
                       channel=Channel.RECEPTION, received_at=received_at, extra=row)  # fmt: skip


def entry_refuse(
    *, agency: Agency, by: User, visitor: Visitor, ground: str, explanation: str,
    session: ReceptionSession | None = None, received_on: date | None = None,
) -> ReceptionEntry:  # fmt: skip
    """A refusal on a ground of LTCD Art. 9, with the officer's explanation; no case."""
    if ground not in RefusalGround.values:
        raise ReceptionError(_("Choose one of the grounds for refusal in the law."))
    if not explanation.strip():
        raise ReceptionError(_("Explain why the citizen was refused."))
    return _entry(
        agency=agency, session=session, received_on=received_on or timezone.localdate(),
        visitor=visitor, by=by, route=Route.REFUSED, refusal_ground=ground,
        result=explanation.strip(),
    )  # fmt: skip


def _title(content: str) -> str:
    first = " ".join(content.split())
    return first if len(first) <= 80 else first[:79].rstrip() + "…"


def booking_create(
    *, session: ReceptionSession, name: str, phone: str, matter: str, citizen: User | None = None
) -> Booking:
    """A slot at an upcoming planned session that still has room."""
    with transaction.atomic():
        locked = ReceptionSession.objects.select_for_update().get(pk=session.pk)
        if locked.held_on <= timezone.localdate() or locked.status != SessionStatus.PLANNED:
            raise ReceptionError(_("This session is no longer open for booking."))
        if locked.bookings.count() >= locked.capacity:
            raise ReceptionError(_("This session is fully booked. Please choose another day."))
        if locked.bookings.filter(phone=phone).exists():
            raise ReceptionError(_("This phone number has already booked this session."))
        return Booking.objects.create(
            session=locked, name=name.strip(), phone=phone, matter=matter.strip(), citizen=citizen
        )
