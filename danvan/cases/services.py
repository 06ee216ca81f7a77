"""Every write to a case: intake and each transition, with its event, in one transaction."""

import secrets
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from danvan.accounts.models import User
from danvan.audit.services import record
from danvan.core import sealed
from danvan.core.storage import storing
from danvan.deadlines.compute import ExtensionNotAllowed
from danvan.deadlines.rules import edition_on
from danvan.documents.services import DocumentKind
from danvan.language.search import index_document
from danvan.places.models import Agency, Unit

from . import timing as deadlines
from .documents import case_document
from .duplicates import answer_merged, fingerprint_store
from .idempotency import letter_digest, letter_retried
from .identity import designated, may_designate, sealed_sender
from .models import Attachment, Case, CaseEvent, Channel, Topic
from .notifications import NOTIFIED, notify_citizen, notify_submitted
from .sealing import case_seal, identity_store, masked_texts, sealed_letter
from .triage.routing import competent_agency
from .triage.suggest import intake_fields

if TYPE_CHECKING:
    from danvan.core.uploads import CleanFile
from .workflow import Action, DeclineReason, Kind, Status, target

# Crockford's alphabet without look-alikes: read over the phone without mistakes.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


class TransitionError(Exception):
    """The action is not allowed from the case's current status."""

    def __init__(self, action: Action, status: str) -> None:
        super().__init__(f"{action} is not allowed from {status}")
        self.action, self.status = action, status


class ConcurrentUpdate(Exception):
    """Another officer changed the case first; reload and try again."""


class AssignmentRefused(Exception):
    """Only the head of the agency, or whom the head delegated in writing, designates the
    handler of a sealed letter; no officer designates themselves."""


class RuleViolation(Exception):
    """The law forbids this step (forward once, guide once, extension maximum...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def tracking_code_new() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def case_submit(
    *,
    kind: str,
    title: str,
    content: str,
    unit: Unit,
    topic: Topic | None = None,
    citizen: User | None = None,
    anonymous: bool = False,
    name: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    place: str = "",
    location: tuple[float, float] | None = None,
    people_count: int = 1,
    channel: str = Channel.WEB,
    idempotency_key: str | None = None,
    received_at: Any = None,
    first_round: Case | None = None,
    by: User | None = None,
    id_number: str = "",
    files: Sequence["CleanFile"] = (),
    parent: Case | None = None,
    on_created: Callable[[Case], None] | None = None,
    digest_extra: dict[str, Any] | None = None,
    sealed_from: Case | None = None,
) -> Case:
    """Register a letter with its files. Committed before the caller shows a tracking code.

    A retry with the same idempotency key returns the first case and creates nothing: the
    key's unique index refuses the second row (retries are rare; a look-up before every
    letter would cost every letter a query). Another letter under a used key raises
    IdempotencyKeyReused and stores nothing (`idempotency`); `digest_extra` is what else the
    caller's form sent with the letter (a logbook row's notes), so a change to it counts.
    A denunciation is sealed (`sealing.py`): the sender and the text as written go encrypted
    into their own table; the case's columns hold the text masked and no sender. So is a
    letter cut out of the sealed `sealed_from`, whatever its kind, with that letter's sender:
    nothing of it is ever written plain, not even inside the transaction.
    """
    received_at = received_at or timezone.now()
    received = timezone.localdate(received_at)
    second_round = first_round is not None
    due = deadlines.process_due(kind=kind, received=received, second_round=second_round)
    plain = {"submitter_name": name, "submitter_phone": phone, "submitter_email": email,
             "submitter_address": address}  # fmt: skip
    secret = kind == Kind.DENUNCIATION or sealed_from is not None
    sent = {"kind": kind, "title": title, "content": content, "unit": unit, "topic": topic,
            "citizen": citizen, "anonymous": anonymous, "id_number": id_number, "place": place,
            "location": location, "people_count": people_count, "channel": channel,
            "first_round": first_round, "parent": parent, **plain, **(digest_extra or {})}  # fmt: skip
    digest = letter_digest(sent, (f.sha256 for f in files)) if idempotency_key else ""
    topic, suggestion = intake_fields(f"{title}\n{content}", topic)
    title, content = title.strip(), content.strip()
    blob: dict[str, str] = {}
    if secret:
        sender = sealed_sender(sealed_from) if sealed_from else {
            "name": name, "phone": phone, "email": email, "address": address,
            "id_number": id_number}  # fmt: skip
        blob, title, content = sealed_letter(
            sender=sender, title=title, content=content, account=citizen
        )
    case = Case(
        tracking_code=tracking_code_new(),
        kind=kind,
        title=title,
        content=content,
        unit=unit,
        topic=topic,
        agency=competent_agency(topic=topic, unit=unit, kind=kind),
        citizen=citizen,
        anonymous=anonymous,
        address=place,
        latitude=location[0] if location else None,
        longitude=location[1] if location else None,
        people_count=people_count,
        channel=channel,
        idempotency_key=idempotency_key or None,
        submission_digest=digest,
        received_at=received_at,
        rulebook_edition=edition_on(received),
        process_rule=due.rule,
        process_due=due.due,
        due_on=due.due,
        first_round=first_round,
        complaint_round=_round(kind, second_round=second_round),
        parent=parent,
        **suggestion,
        **(dict.fromkeys(plain, "") if secret else plain),
    )
    try:
        with transaction.atomic():
            case.save()
            if secret:
                identity_store(case, blob)
            attachments_add(case, files, by=by or citizen, source=Attachment.Source.CITIZEN)
            fingerprint_store(case)
            index_document(source="case", source_id=case.pk, scope_id=case.agency_id,
                           title=case.title, body=case.content, new=True)  # fmt: skip
            _event(
                case,
                Action.SUBMIT,
                by or citizen,
                to_status=Status.RECEIVED,
                at=received_at,
                data={"channel": channel, "rule": due.rule, "due": due.due.isoformat()},
            )
            if channel != Channel.IMPORT:  # an old logbook's letters were answered on paper
                notify_submitted(case)
            if on_created:
                on_created(case)
    except IntegrityError:
        if first := letter_retried(idempotency_key, digest):
            return first  # a retry, or a concurrent one that won the race
        raise
    return case


def _round(kind: str, *, second_round: bool) -> int | None:
    if kind != Kind.COMPLAINT:
        return None
    return 2 if second_round else 1


def _event(case: Case, action: Action, by: User | None, **fields: Any) -> CaseEvent:
    fields.setdefault("at", timezone.now())
    event = CaseEvent.objects.create(case=case, action=action, actor=by, **fields)
    if fields.get("is_public", True) and action in NOTIFIED:
        notify_citizen(case, event)
    return event


def attachments_add(
    case: Case,
    files: Iterable["CleanFile"],
    *,
    by: User | None,
    source: str,
    public: bool = False,
    document_kind: str = "",
) -> list[Attachment]:
    """Store checked files; a sealed letter's files (scans, photos, and the documents
    addressed to its sender) are sealed, whatever its kind now: scans show handwriting."""
    secret = case.identity_sealed
    saved = []
    for clean in files:
        stored_name = f"{uuid.uuid4().hex}{PurePath(clean.name).suffix.lower()}"
        content = sealed.seal_bytes(clean.data) if secret else clean.data
        attachment = Attachment(case=case, name=clean.name, content_type=clean.content_type,
                                size=clean.size, sha256=clean.sha256, uploaded_by=by,
                                source=source, is_public=public, sealed=secret,
                                document_kind=document_kind)  # fmt: skip
        with storing(f"attachment {clean.name}"):
            attachment.file.save(stored_name, ContentFile(content), save=True)
        saved.append(attachment)
    return saved


def _move(
    case: Case,
    action: Action,
    by: User | None,
    *,
    note: str = "",
    public: bool = True,
    data: dict[str, Any] | None = None,
    **changes: Any,
) -> Case:
    """Apply a transition: status check, optimistic lock, the change and its event.

    On a sealed letter the note and the answer are stored with the sender's details masked.
    """
    to = target(action, Status(case.status))
    if to is None:
        raise TransitionError(action, case.status)
    with transaction.atomic():
        note = _masked(case, note, changes)
        moved = Case.objects.filter(pk=case.pk, version=case.version, status=case.status).update(
            status=to, version=F("version") + 1, **changes
        )
        if moved != 1:
            raise ConcurrentUpdate(case.pk)
        _event(
            case,
            action,
            by,
            from_status=case.status,
            to_status=to,
            note=note,
            is_public=public,
            data=data or {},
        )
    case.refresh_from_db()
    return case


def _masked(case: Case, note: str, changes: dict[str, Any]) -> str:
    """The note (returned) and the answer (in `changes`), masked if the letter is sealed."""
    if "answer" not in changes:
        return masked_texts(case, [note])[0]
    note, changes["answer"] = masked_texts(case, [note, changes["answer"]])
    return note


def case_classify(*, case: Case, by: User, kind: str, topic: Topic | None, note: str = "") -> Case:
    """Set kind and topic from the content (TT 05/2021 Art. 6: not from the title)."""
    received = timezone.localdate(case.received_at)
    due = deadlines.process_due(
        kind=kind, received=received, second_round=case.complaint_round == 2
    )
    with transaction.atomic():
        handler: dict[str, Any] = {}
        if kind == Kind.DENUNCIATION:
            case_seal(case)  # before the move: a denunciation never holds a plain sender
            handler = _undesignated_cleared(case, by)
        return _move(
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
            complaint_round=_round(kind, second_round=case.first_round_id is not None),
            data={"kind": kind, "topic": topic.code if topic else None, "rule": due.rule},
        )


def _undesignated_cleared(case: Case, by: User) -> dict[str, Any]:
    """A letter just sealed keeps its handler only if the head (or a written delegate) chose
    them: whoever picked it up while it was plain would otherwise read the identity. The
    change for `_move`, and an audit entry, when the handler goes."""
    if designated(case):
        return {}
    record("case.handler_cleared", obj=case, object_repr=case.tracking_code, actor=by,
           changes={"assignee": [case.assignee_id, None]})  # fmt: skip
    return {"assignee": None}


def case_accept(*, case: Case, by: User, variant: str = "", note: str = "") -> Case:
    today = timezone.localdate()
    due = deadlines.resolve_due(
        kind=case.kind, accepted=today, variant=variant, second_round=case.complaint_round == 2
    )
    with transaction.atomic():
        case = _move(
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
        # The law requires a notice of acceptance for complaints and denunciations.
        if case.kind in (Kind.COMPLAINT, Kind.DENUNCIATION):
            case_document(case=case, kind=DocumentKind.ACCEPTANCE_NOTICE, by=by)
    return case


def case_decline(*, case: Case, by: User, reason: str, note: str) -> Case:
    """Not handled (TT 05/2021 Art. 6(2), 28): the letter is archived (lưu đơn) and kept
    until the retention period of rule DON-4 runs out; then its head decides."""
    DeclineReason(reason)
    now = timezone.now()
    kept = deadlines.retention_until(archived=timezone.localdate(now))
    with transaction.atomic():
        case = _move(
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
        case_document(case=case, kind=DocumentKind.DECLINE_NOTICE, by=by, note=note)
    return case


def case_forward(*, case: Case, by: User, agency: Agency, note: str) -> Case:
    """Send to the competent agency. The same content is forwarded once (TT 05/2021, DON-3)."""
    if case.events.filter(action=Action.FORWARD).exists():
        raise RuleViolation("forward_once", "already forwarded once")
    if agency.pk == case.agency_id:
        raise RuleViolation("same_agency", "the case is already with this agency")
    with transaction.atomic():
        case = _move(
            case,
            Action.FORWARD,
            by,
            note=note,
            due_on=None,
            data={"from_agency": case.agency_id, "to_agency": agency.pk},
        )
        case_document(case=case, kind=DocumentKind.FORWARDING_SLIP, by=by, to=agency)
    return case


def case_guide(*, case: Case, by: User, note: str) -> Case:
    """Tell the citizen which body is competent. Given once for the same content (DON-2)."""
    if case.events.filter(action=Action.GUIDE).exists():
        raise RuleViolation("guide_once", "already guided once")
    return _move(case, Action.GUIDE, by, note=note, due_on=None)


def case_start(*, case: Case, by: User, note: str = "") -> Case:
    """Work begins; the officer becomes the handler if there is none, except on a sealed
    letter, whose handler only the head (or the head's delegate) designates."""
    assignee = case.assignee if case.identity_sealed else (case.assignee or by)
    return _move(case, Action.START, by, note=note, public=False, assignee=assignee)


def case_request_info(*, case: Case, by: User, note: str) -> Case:
    """Ask the citizen for more; the resolution clock stops until the answer comes."""
    return _move(
        case,
        Action.REQUEST_INFO,
        by,
        note=note,
        paused_since=timezone.localdate(),
        data={"resume_status": case.status},
    )


def case_receive_info(*, case: Case, by: User, note: str = "") -> Case:
    today = timezone.localdate()
    since = case.paused_since or today
    pauses = [*case.pauses]
    if today > since:
        pauses.append([(since + timedelta(days=1)).isoformat(), today.isoformat()])
    due = _resolve_due(case, pauses=pauses)
    return _move(
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


def case_extend(*, case: Case, by: User, variant: str = "", note: str) -> Case:
    """Extend within the legal maximum: a variant cap (complaints) or one more extension."""
    variant = variant or case.variant
    extensions = case.extensions + 1
    accepted = _accepted_on(case)
    if not deadlines.extends_by_count(
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
    return _move(
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
    return deadlines.resolve_due(
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
        case = _move(
            case,
            Action.RESOLVE,
            by,
            note=answer,
            answer=answer,
            resolved_at=timezone.now(),
            due_on=None,
            overdue_since=None,
        )
        case_document(case=case, kind=DocumentKind.ANSWER, by=by)
        answer_merged(case, by)
    return case


def case_close(*, case: Case, by: User | None, note: str = "") -> Case:
    return _move(case, Action.CLOSE, by, note=note, closed_at=timezone.now(), due_on=None)


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
        _event(case, Action.ASSIGN, by, is_public=False, data={"assignee": assignee.pk})
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
    sender: dict[str, Any] = {"sealed_from": case} if case.identity_sealed else {
        "name": case.submitter_name, "phone": case.submitter_phone,
        "email": case.submitter_email, "address": case.submitter_address}  # fmt: skip
    with transaction.atomic():
        part = case_submit(kind=kind, title=title, content=content, topic=topic, unit=case.unit,
                           citizen=case.citizen, anonymous=case.anonymous, place=case.address,
                           people_count=case.people_count, channel=case.channel,
                           received_at=case.received_at, by=by, parent=case, **sender)  # fmt: skip
        _event(case, Action.SPLIT, by, is_public=True, data={"part": part.tracking_code})
    return part


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
        _event(case, Action.RATE, by, is_public=False, data={"rating": rating})
    case.refresh_from_db()
    return case
