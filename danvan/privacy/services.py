"""A person's own data, and their requests about it. Every export and request is audited."""

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from danvan.accounts.models import User
from danvan.audit.services import record
from danvan.cases.identity import own_identities
from danvan.cases.models import Attachment, Case, CaseEvent
from danvan.deadlines.compute import due_date
from danvan.dialogues.models import Question
from danvan.reception.models import Booking
from danvan.rulebook.store import current_calendar, current_rulebook

from .models import DataRequest

# NĐ 356/2025: a first response within 2 working days (before 2026: 72 hours, NĐ 13/2023).
REQUEST_RULE = "PDP-1"
# Events whose note the citizen already sees on the tracking page (the reason given to them).
PUBLIC_NOTES = frozenset({"decline", "guide", "forward", "resolve"})
FORMAT_VERSION = 1


def data_request_submit(*, user: User, kind: str, details: str) -> DataRequest:
    DataRequest.Kind(kind)
    now = timezone.now()
    today = timezone.localdate(now)
    rule = current_rulebook().rule(REQUEST_RULE, on=today)
    due = due_date(rule, today, current_calendar()).due
    with transaction.atomic():
        request = DataRequest.objects.create(user=user, kind=kind, details=details.strip(),
                                             received_at=now, rule=rule.code,
                                             first_response_due=due)  # fmt: skip
        record("privacy.request", obj=request, actor=user,
               changes={"kind": [None, kind], "first_response_due": [None, due]})  # fmt: skip
    return request


def data_request_answer(*, request: DataRequest, by: User, response: str) -> DataRequest:
    with transaction.atomic():
        DataRequest.objects.filter(pk=request.pk).update(
            response=response.strip(),
            responded_at=timezone.now(),
            responded_by=by,
            state=DataRequest.State.ANSWERED,
        )
        request.refresh_from_db()
        record("privacy.answer", obj=request, actor=by, note=request.response)
    return request


def _letters(user: User) -> list[dict[str, Any]]:
    events = CaseEvent.objects.filter(is_public=True).order_by("at", "id")
    files = Attachment.objects.filter(
        Q(source=Attachment.Source.CITIZEN) | Q(is_public=True)
    ).order_by("uploaded_at", "id")
    cases = list(
        Case.objects.filter(citizen=user)
        .select_related("agency", "unit", "topic")
        .prefetch_related(Prefetch("events", queryset=events), Prefetch("attachments", files))
        .order_by("received_at", "id")
    )
    # What they sealed in their own denunciations is theirs to see: through the gate, logged.
    identities = own_identities(user, cases)
    return [_letter(case, identities.get(case.pk)) for case in cases]


def _letter(case: Case, identity: dict[str, str] | None) -> dict[str, Any]:
    return {
        "tracking_code": case.tracking_code,
        "kind": case.kind,
        "status": case.status,
        "channel": case.channel,
        "subject": case.title,
        "content": case.content,
        "topic": case.topic.name if case.topic else None,
        "commune_or_ward": case.unit.name,
        "place": case.address,
        "location": [case.latitude, case.longitude] if case.latitude is not None else None,
        "agency": case.agency.name,
        "anonymous": case.anonymous,
        "sender": {
            "name": case.submitter_name,
            "phone": case.submitter_phone,
            "email": case.submitter_email,
            "address": case.submitter_address,
        },
        "sealed_identity": identity,
        "received_at": case.received_at,
        "accepted_at": case.accepted_at,
        "answered_at": case.resolved_at,
        "closed_at": case.closed_at,
        "archived_at": case.archived_at,
        "destroyed_at": case.destroyed_at,
        "deadline": case.due_on,
        "decline_reason": case.decline_reason,
        "answer": case.answer,
        "rating": case.rating,
        "rating_comment": case.rating_comment,
        "timeline": [
            {
                "at": e.at,
                "action": e.action,
                "status": e.to_status,
                "note": e.note if e.action in PUBLIC_NOTES else "",
            }
            for e in case.events.all()
        ],
        "files": [
            {
                "name": a.name,
                "kind": a.source,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "uploaded_at": a.uploaded_at,
            }
            for a in case.attachments.all()
        ],
    }


def export_data(user: User) -> dict[str, Any]:
    """Everything the platform holds about `user` that is theirs to have (PDPL access right):
    account, letters (not officers' internal notes), bookings, dialogue questions, requests."""
    with transaction.atomic():
        letters = _letters(user)
        bookings = [
            {
                "session_date": b.session.held_on,
                "place": b.session.place,
                "agency": b.session.agency.name,
                "name": b.name,
                "phone": b.phone,
                "matter": b.matter,
                "booked_at": b.created_at,
            }
            for b in Booking.objects.filter(citizen=user)
            .select_related("session__agency")
            .order_by("created_at", "id")
        ]
        questions = [
            {
                "dialogue": q.dialogue.title,
                "question": q.text,
                "name": q.name,
                "contact": q.contact,
                "submitted_at": q.submitted_at,
                "votes": q.votes,
                "hidden_reason": q.hidden_reason,
                "answer": q.answer,
                "answered_at": q.answered_at,
            }
            for q in Question.objects.filter(asker=user)
            .select_related("dialogue")
            .order_by("submitted_at", "id")
        ]
        requests = [
            {
                "request": r.kind,
                "details": r.details,
                "received_at": r.received_at,
                "first_response_due": r.first_response_due,
                "state": r.state,
                "answer": r.response,
                "answered_at": r.responded_at,
            }
            for r in DataRequest.objects.filter(user=user).order_by("received_at", "id")
        ]
        data = {
            "format": FORMAT_VERSION,
            "exported_at": timezone.now(),
            "legal_basis": "Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15",
            "account": {
                "full_name": user.full_name,
                "email": user.email,
                "phone": user.phone,
                "date_joined": user.date_joined,
                "last_login": user.last_login,
                "memberships": [
                    {
                        "agency": m.agency.name,
                        "role": m.role,
                        "position": m.title,
                        "from": m.started_on,
                        "until": m.ended_on,
                    }
                    for m in user.memberships.select_related("agency")
                ],
            },
            "letters": letters,
            "reception_bookings": bookings,
            "dialogue_questions": questions,
            "personal_data_requests": requests,
        }
        record("privacy.export", obj=user, actor=user,
               changes={"letters": len(letters), "bookings": len(bookings),
                        "questions": len(questions)})  # fmt: skip
    return data
