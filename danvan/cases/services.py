"""Every step of a case after its registration (`submission`): each transition with its
event, and the notice to the citizen where the law calls for one, in one transaction."""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from danvan.accounts.models import User
from danvan.audit.services import record
from danvan.deadlines.compute import ExtensionNotAllowed
from danvan.documents.services import DocumentKind
from danvan.places.models import Agency

from . import timing
from .draft import LetterDraft, Sender
from .identity import designated, may_designate
from .models import Case, Topic
from .notifications import notify_citizen
from .outgoing import case_document
from .sealing import case_seal
from .submission import case_submit, complaint_round
from .workflow import Action, DeclineReason, Kind, Status
from .writes import ConcurrentUpdate as ConcurrentUpdate
from .writes import TransitionError as TransitionError
from .writes import case_event, case_move


class AssignmentRefused(Exception):
    """Only the head of the agency, or whom the head delegated in writing, designates the
    handler of a sealed letter; no officer designates themselves."""


class RuleViolation(Exception):
    """The law forbids this step (forward once, guide once, extension maximum...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def case_classify(*, case: Case, by: User, kind: str, topic: Topic | None, note: str = "") -> Case:
    """Set kind and topic from the content (TT 05/2021 Art. 6: not from the title)."""
    received = timezone.localdate(case.received_at)
    due = timing.process_due(kind=kind, received=received, second_round=case.complaint_round == 2)
    with transaction.atomic():
        handler: dict[str, Any] = {}
        if kind == Kind.DENUNCIATION:
            case_seal(case)  # before the move: a denunciation never holds a plain sender
            handler = _undesignated_cleared(case, by)
        case, _event = case_move(
            case,
            Action.CLASSIFY,
            by,
            note=note,
            **handler,
            kind=kind,
            topic=topic,
            process_rule=due.rule,
            process_due=due.due,
            due_on=due.due,
            complaint_round=complaint_round(kind, second_round=case.first_round_id is not None),
            data={"kind": kind, "topic": topic.code if topic else None, "rule": due.rule},
        )
    return case


def _undesignated_cleared(case: Case, by: User) -> dict[str, Any]:
    """A letter just sealed keeps its handler only if the head (or a written delegate) chose
    them: whoever picked it up while it was plain would otherwise read the identity. The
    change for `case_move`, and an audit entry, when the handler goes."""
    if designated(case):
        return {}
    record("case.handler_cleared", obj=case, object_repr=case.tracking_code, actor=by,
           changes={"assignee": [case.assignee_id, None]})  # fmt: skip
    return {"assignee": None}


def case_accept(*, case: Case, by: User, variant: str = "", note: str = "") -> Case:
    today = timezone.localdate()
    due = timing.resolve_due(
        kind=case.kind, accepted=today, variant=variant, second_round=case.complaint_round == 2
    )
    with transaction.atomic():
        case, event = case_move(
            case,
            Action.ACCEPT,
            by,
            note=note,
            accepted_at=timezone.now(),
            variant=variant,
            resolve_rule=due.rule,
            resolve_due=due.due,
            due_on=due.due,
            data={"rule": due.rule, "due": due.due.isoformat(), "variant": variant},
        )
        notify_citizen(case, event)
        # The law requires a notice of acceptance for complaints and denunciations.
        if case.kind in (Kind.COMPLAINT, Kind.DENUNCIATION):
            case_document(case=case, kind=DocumentKind.ACCEPTANCE_NOTICE, by=by)
    return case


def case_decline(*, case: Case, by: User, reason: str, note: str) -> Case:
    """Not handled (TT 05/2021 Art. 6(2), 28): the letter is archived (lưu đơn) and kept
    until the retention period of rule DON-4 runs out; then its head decides."""
    DeclineReason(reason)
    now = timezone.now()
    kept = timing.retention_until(archived=timezone.localdate(now))
    with transaction.atomic():
        case, event = case_move(
            case,
            Action.DECLINE,
            by,
            note=note,
            decline_reason=reason,
            due_on=None,
            archived_at=now,
            retain_until=kept.due,
            data={"reason": reason, "retain_until": kept.due.isoformat()},
        )
        notify_citizen(case, event)
        case_document(case=case, kind=DocumentKind.DECLINE_NOTICE, by=by, note=note)
    return case


def case_forward(*, case: Case, by: User, agency: Agency, note: str) -> Case:
    """Send to the competent agency. The same content is forwarded once (TT 05/2021, DON-3)."""
    if case.events.filter(action=Action.FORWARD).exists():
        raise RuleViolation("forward_once", "already forwarded once")
    if agency.pk == case.agency_id:
        raise RuleViolation("same_agency", "the case is already with this agency")
    with transaction.atomic():
        case, event = case_move(
            case,
            Action.FORWARD,
            by,
            note=note,
            due_on=None,
            data={"from_agency": case.agency_id, "to_agency": agency.pk},
        )
        notify_citizen(case, event)
        case_document(case=case, kind=DocumentKind.FORWARDING_SLIP, by=by, to=agency)
    return case


def case_guide(*, case: Case, by: User, note: str) -> Case:
    """Tell the citizen which body is competent. Given once for the same content (DON-2)."""
    if case.events.filter(action=Action.GUIDE).exists():
        raise RuleViolation("guide_once", "already guided once")
    with transaction.atomic():
        case, event = case_move(case, Action.GUIDE, by, note=note, due_on=None)
        notify_citizen(case, event)
    return case


def case_start(*, case: Case, by: User, note: str = "") -> Case:
    """Work begins; the officer becomes the handler if there is none, except on a sealed
    letter, whose handler only the head (or the head's delegate) designates."""
    assignee = case.assignee if case.identity_sealed else (case.assignee or by)
    case, _event = case_move(case, Action.START, by, note=note, public=False, assignee=assignee)
    return case


def case_request_info(*, case: Case, by: User, note: str) -> Case:
    """Ask the citizen for more; the resolution clock stops until the answer comes."""
    with transaction.atomic():
        case, event = case_move(
            case,
            Action.REQUEST_INFO,
            by,
            note=note,
            paused_since=timezone.localdate(),
            data={"resume_status": case.status},
        )
        notify_citizen(case, event)
    return case


def case_receive_info(*, case: Case, by: User, note: str = "") -> Case:
    today = timezone.localdate()
    since = case.paused_since or today
    pauses = [*case.pauses]
    if today > since:
        pauses.append([(since + timedelta(days=1)).isoformat(), today.isoformat()])
    due = _resolve_due(case, pauses=pauses)
    case, _event = case_move(
        case,
        Action.RECEIVE_INFO,
        by,
        note=note,
        paused_since=None,
        pauses=pauses,
        resolve_due=due,
        due_on=due,
        overdue_since=None,
        data={"paused_days": (today - since).days, "due": due.isoformat()},
    )
    return case


def case_extend(*, case: Case, by: User, variant: str = "", note: str) -> Case:
    """Extend within the legal maximum: a variant cap (complaints) or one more extension."""
    variant = variant or case.variant
    extensions = case.extensions + 1
    accepted = _accepted_on(case)
    if not timing.extends_by_count(
        kind=case.kind, accepted=accepted, second_round=case.complaint_round == 2
    ):
        # Complaints: no repeated extension, the "complex" cap applies once.
        variant, extensions = _complex_variant(case.variant), 0
        if variant == case.variant:
            raise RuleViolation("extension_max", "no further extension is allowed")
    try:
        due = _resolve_due(case, variant=variant, extensions=extensions)
    except (ExtensionNotAllowed, ValueError) as error:
        raise RuleViolation("extension_max", str(error)) from error
    with transaction.atomic():
        case, event = case_move(
            case,
            Action.EXTEND,
            by,
            note=note,
            variant=variant,
            extensions=extensions,
            resolve_due=due,
            due_on=due,
            overdue_since=None,
            data={"variant": variant, "extensions": extensions, "due": due.isoformat()},
        )
        notify_citizen(case, event)
    return case


def _accepted_on(case: Case) -> date:
    if case.accepted_at is None:
        raise TransitionError(Action.EXTEND, case.status)
    return timezone.localdate(case.accepted_at)


def _complex_variant(variant: str) -> str:
    if variant in ("", "complex"):
        return "complex"
    if variant in ("remote", "remote+complex"):
        return "remote+complex"
    return variant


def _resolve_due(
    case: Case,
    *,
    variant: str | None = None,
    extensions: int | None = None,
    pauses: list[list[str]] | None = None,
) -> date:
    return timing.resolve_due(
        kind=case.kind,
        accepted=_accepted_on(case),
        variant=case.variant if variant is None else variant,
        extensions=case.extensions if extensions is None else extensions,
        pauses=case.pauses if pauses is None else pauses,
        second_round=case.complaint_round == 2,
    ).due


def case_resolve(*, case: Case, by: User, answer: str) -> Case:
    """The answer (or decision), issued as a document the citizen can download."""
    with transaction.atomic():
        case, event = case_move(
            case,
            Action.RESOLVE,
            by,
            note=answer,
            answer=answer,
            resolved_at=timezone.now(),
            due_on=None,
            overdue_since=None,
        )
        notify_citizen(case, event)
        case_document(case=case, kind=DocumentKind.ANSWER, by=by)
        _answer_merged(case, by)
    return case


def _answer_merged(case: Case, by: User | None) -> None:
    """Tell each citizen whose letter was merged into `case` the answer it received."""
    for merged in Case.objects.filter(merged_into=case):
        Case.objects.filter(pk=merged.pk).update(answer=case.answer, resolved_at=case.resolved_at)
        event = case_event(merged, Action.RESOLVE, by, note=case.answer, data={"via": case.pk})
        notify_citizen(merged, event)


def case_close(*, case: Case, by: User | None, note: str = "") -> Case:
    case, _event = case_move(case, Action.CLOSE, by, note=note, closed_at=timezone.now(),
                             due_on=None)  # fmt: skip
    return case


def case_mark_overdue(*, case: Case) -> bool:
    """Mark `case` overdue from the day after its due date, with an internal event; False
    when another sweep marked it first or its due date changed meanwhile."""
    due = case.due_on
    if due is None:
        return False
    with transaction.atomic():
        won = Case.objects.filter(pk=case.pk, overdue_since__isnull=True, due_on=due).update(
            overdue_since=due + timedelta(days=1)
        )
        if won:
            case_event(case, Action.MARK_OVERDUE, None, is_public=False,
                       data={"due": due.isoformat()})  # fmt: skip
    return bool(won)


def case_assign(*, case: Case, by: User, assignee: User) -> Case:
    """Make `assignee` the handler. On a sealed letter the handler sees the denouncer's
    identity: only whom `identity.may_designate` allows, and an audit entry besides the event."""
    if not may_designate(by, case, assignee):
        raise AssignmentRefused(case.pk)
    with transaction.atomic():
        moved = Case.objects.filter(pk=case.pk, version=case.version).update(
            assignee=assignee, version=F("version") + 1
        )
        if moved != 1:
            raise ConcurrentUpdate(case.pk)
        case_event(case, Action.ASSIGN, by, is_public=False, data={"assignee": assignee.pk})
        if case.identity_sealed:
            record("case.designate_handler", obj=case, object_repr=case.tracking_code, actor=by,
                   changes={"assignee": [case.assignee_id, assignee.pk]})  # fmt: skip
    case.refresh_from_db()
    return case


def cases_assign(*, cases: Sequence[Case], by: User, assignee: User) -> tuple[int, int]:
    """Bulk assignment from the queue: (assigned, refused). A case changed meanwhile is
    skipped, not overwritten; a sealed one `by` may not designate for is refused."""
    done = refused = 0
    for case in cases:
        try:
            case_assign(case=case, by=by, assignee=assignee)
        except ConcurrentUpdate:
            continue
        except AssignmentRefused:
            refused += 1
            continue
        done += 1
    return done, refused


def case_split(
    *, case: Case, by: User, kind: str, title: str, content: str, topic: Topic | None = None
) -> Case:
    """Cut one content out of a letter with several: a new case linked to the original.

    It keeps the receipt date (its deadlines run from the same day) and the sender; a part
    of a sealed letter is sealed from its first write, with the same sender (`case_submit`).
    The original keeps everything it had.
    """
    draft = split_draft(case, kind=kind, title=title, content=content, topic=topic)
    with transaction.atomic():
        part, _created = case_submit(draft=draft, by=by)
        case_event(case, Action.SPLIT, by, is_public=True, data={"part": part.tracking_code})
    return part


def split_draft(
    case: Case, *, kind: str, title: str, content: str, topic: Topic | None
) -> LetterDraft:
    """The part cut out of `case`, as received with it. A part of a sealed letter names no
    sender: it is sealed from its first write with that letter's (`draft.sealed_from`)."""
    sender = Sender() if case.identity_sealed else Sender(
        name=case.submitter_name, phone=case.submitter_phone, email=case.submitter_email,
        address=case.submitter_address)  # fmt: skip
    return LetterDraft(kind=kind, title=title, content=content, topic=topic, unit=case.unit,
                       sender=sender, citizen=case.citizen, anonymous=case.anonymous,
                       place=case.address, people_count=case.people_count,
                       channel=case.channel, received_at=case.received_at, parent=case,
                       sealed_from=case if case.identity_sealed else None)  # fmt: skip


def case_rate(*, case: Case, rating: int, comment: str = "", by: User | None = None) -> Case:
    if case.status not in (Status.RESOLVED, Status.CLOSED) or case.rating is not None:
        raise TransitionError(Action.RATE, case.status)
    if not 1 <= rating <= 5:
        raise ValueError("rating must be 1 to 5")
    with transaction.atomic():
        rated = Case.objects.filter(pk=case.pk, rating__isnull=True).update(
            rating=rating, rating_comment=comment.strip(), version=F("version") + 1
        )
        if rated != 1:  # rated meanwhile from another tab
            raise TransitionError(Action.RATE, case.status)
        case_event(case, Action.RATE, by, is_public=False, data={"rating": rating})
    case.refresh_from_db()
    return case
