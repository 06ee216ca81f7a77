"""A letter's registration: one path for every channel (`draft.LetterDraft`), its case,
sealed sender, files, fingerprints, search entry and first event in one transaction."""

import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from danvan.accounts.models import User
from danvan.deadlines.rules import edition_on
from danvan.language.search import index_document

from . import timing
from .draft import LetterDraft
from .duplicates import fingerprint_store
from .idempotency import letter_digest, letter_retried
from .identity import sealed_sender
from .models import Attachment, Case, Channel
from .notifications import notify_submitted
from .sealing import identity_store, sealed_letter
from .triage.routing import competent_agency
from .triage.suggest import intake_fields
from .workflow import Action, Kind, Status
from .writes import attachments_add, case_event

if TYPE_CHECKING:
    from danvan.core.uploads import CleanFile

# Crockford's alphabet without look-alikes: read over the phone without mistakes.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def tracking_code_new() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def case_submit(
    *,
    draft: LetterDraft,
    by: User | None,
    files: Sequence["CleanFile"] = (),
    idempotency_key: str | None = None,
) -> tuple[Case, bool]:
    """Register a letter with its files: (the case, whether it was created now). Committed
    before the caller shows a tracking code. `by`: who files it (the citizen's account on
    the web form, the officer for a paper letter; None for an API key).

    A retry with the same idempotency key returns the first case, not created, and stores
    nothing: the key's unique index refuses the second row (retries are rare; a look-up
    before every letter would cost every letter a query). Another letter under a used key
    raises IdempotencyKeyReused and stores nothing (`idempotency`).
    """
    fields, hashes = draft.digest_fields(), (f.sha256 for f in files)
    digest = letter_digest(fields, hashes) if idempotency_key else ""
    case, blob = _case_new(draft, idempotency_key=idempotency_key, digest=digest)
    try:
        with transaction.atomic():
            _case_store(case, blob=blob, files=files, by=by)
    except IntegrityError:
        if first := letter_retried(idempotency_key, digest):
            return first, False  # a retry, or a concurrent one that won the race
        raise
    return case, True


def _case_new(
    draft: LetterDraft, *, idempotency_key: str | None, digest: str
) -> tuple[Case, dict[str, str]]:
    """The unsaved case, and what to seal apart. A denunciation is sealed (`sealing.py`):
    its sender and text as written go encrypted into their own table; the case's columns
    hold the text masked and no sender. So is a part cut out of a sealed letter, whatever
    its kind, with that letter's sender: nothing of it is ever written plain."""
    received_at = draft.received_at or timezone.now()
    received = timezone.localdate(received_at)
    second_round = draft.first_round is not None
    due = timing.process_due(kind=draft.kind, received=received, second_round=second_round)
    topic, suggestion = intake_fields(f"{draft.title}\n{draft.content}", draft.topic)
    title, content = draft.title.strip(), draft.content.strip()
    blob: dict[str, str] = {}
    secret = draft.kind == Kind.DENUNCIATION or draft.sealed_from is not None
    if secret:
        source = draft.sealed_from
        sender = sealed_sender(source) if source else draft.sender.as_dict()
        blob, title, content = sealed_letter(
            sender=sender, title=title, content=content, account=draft.citizen
        )
    plain = draft.sender.columns()
    location = draft.location
    case = Case(
        tracking_code=tracking_code_new(),
        kind=draft.kind,
        title=title,
        content=content,
        unit=draft.unit,
        topic=topic,
        agency=competent_agency(topic=topic, unit=draft.unit, kind=draft.kind),
        citizen=draft.citizen,
        anonymous=draft.anonymous,
        address=draft.place,
        latitude=location[0] if location else None,
        longitude=location[1] if location else None,
        people_count=draft.people_count,
        channel=draft.channel,
        idempotency_key=idempotency_key or None,
        submission_digest=digest,
        received_at=received_at,
        rulebook_edition=edition_on(received),
        process_rule=due.rule,
        process_due=due.due,
        due_on=due.due,
        first_round=draft.first_round,
        complaint_round=complaint_round(draft.kind, second_round=second_round),
        parent=draft.parent,
        **suggestion,
        **(dict.fromkeys(plain, "") if secret else plain),
    )
    return case, blob


def _case_store(
    case: Case, *, blob: dict[str, str], files: Sequence["CleanFile"], by: User | None
) -> None:
    """Save the new case with its sealed sender, files, fingerprints, search entry and
    first event; the citizen is told (not for an old logbook's letters: answered on paper)."""
    case.save()
    if blob:
        identity_store(case, blob)
    attachments_add(case, files, by=by, source=Attachment.Source.CITIZEN)
    fingerprint_store(case)
    index_document(source="case", source_id=case.pk, scope_id=case.agency_id,
                   title=case.title, body=case.content, new=True)  # fmt: skip
    case_event(
        case,
        Action.SUBMIT,
        by,
        to_status=Status.RECEIVED,
        at=case.received_at,
        data={
            "channel": case.channel,
            "rule": case.process_rule,
            "due": str(case.process_due),
        },  # fmt: skip  (a date: its ISO form)
    )
    if case.channel != Channel.IMPORT:
        notify_submitted(case)


def complaint_round(kind: str, *, second_round: bool) -> int | None:
    """Which round of a complaint this is (none for other kinds)."""
    if kind != Kind.COMPLAINT:
        return None
    return 2 if second_round else 1
