"""Every write of dialogues and commitments. Inputs are validated by forms; the rules that
must hold whoever calls (open for questions, no past due date, closing needs evidence) are
enforced here too, with a message for the person."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import User
from danvan.cases.models import Case
from danvan.core.clients import household
from danvan.core.storage import storing
from danvan.core.uploads import CleanFile
from danvan.places.models import Agency

from .models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Dialogue,
    Evidence,
    Question,
    QuestionGroup,
    QuestionVote,
    Status,
)

# Status -> where it may go next. A held dialogue is closed once its minutes are complete.
TRANSITIONS: dict[str, set[str]] = {
    Status.PLANNED: {Status.OPEN, Status.HELD},
    Status.OPEN: {Status.HELD},
    Status.HELD: {Status.CLOSED},
    Status.CLOSED: set(),
}
# While minutes may be written: during the conference and until it is closed.
MINUTES_OPEN = {Status.OPEN, Status.HELD}

MESSAGES = {
    "empty_question": _("Please write your question."),
    "not_open": _("This dialogue no longer takes questions."),
    "past_start": _("The date and time of the dialogue cannot be in the past."),
    "past_due": _("The due date cannot be in the past."),
    "transition": _("This change of status is not allowed."),
    "hidden": _("This question was hidden and cannot be voted for."),
    "address_limit": _(
        "Many votes without an account have already come from your network for this question. Sign in to vote."
    ),
    "no_reason": _("Please give the reason for hiding the question (abuse only)."),
    "minutes_closed": _("The minutes of this dialogue are closed."),
    "empty_answer": _("Please write the answer."),
    "no_evidence": _(
        "A commitment is closed only with evidence: attach a file or give a link to a document."
    ),
    "already_done": _("This commitment is already done."),
    "empty_progress": _("Please describe the progress."),
    "group_too_small": _("Choose at least two questions to group."),
}


class DialogueError(Exception):
    """A refused write; `message` is for the person, in the active language."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code])


@dataclass(frozen=True)
class Promised:
    """What an answer promises: becomes a Commitment."""

    text: str
    owner: Agency
    due_on: date
    case: Case | None = None


def dialogue_create(
    *,
    by: User,
    organiser: Agency,
    title: str,
    chair: User,
    starts_at: datetime,
    agencies: Sequence[Agency] = (),
    audience: str = "",
    issue_group: str = "",
    place: str = "",
    online_link: str = "",
    invitations: str = "",
    description: str = "",
) -> Dialogue:
    if starts_at < timezone.now():
        raise DialogueError("past_start")
    with transaction.atomic():
        dialogue = Dialogue.objects.create(
            title=title, description=description, chair=chair, organiser=organiser,
            unit=organiser.home_unit, audience=audience, issue_group=issue_group,
            starts_at=starts_at, place=place, online_link=online_link,
            invitations=invitations, created_by=by,
        )  # fmt: skip
        dialogue.agencies.set(agencies)
    return dialogue


def dialogue_set_status(*, dialogue: Dialogue, to: str, by: User) -> Dialogue:
    if to not in TRANSITIONS[dialogue.status]:
        raise DialogueError("transition")
    moved = Dialogue.objects.filter(pk=dialogue.pk, status=dialogue.status).update(status=to)
    if moved != 1:  # someone moved it first
        raise DialogueError("transition")
    dialogue.status = to
    return dialogue


def question_submit(
    *, dialogue: Dialogue, text: str, name: str = "", contact: str = "", asker: User | None = None
) -> Question:
    """A citizen's question before the conference; refused once it is held."""
    text = text.strip()
    if not text:
        raise DialogueError("empty_question")
    with transaction.atomic():
        # Read the status in the transaction: a question never slips in after "held".
        if not Dialogue.objects.filter(pk=dialogue.pk, status=Status.OPEN).exists():
            raise DialogueError("not_open")
        return Question.objects.create(
            dialogue=dialogue, text=text, name=name.strip(), contact=contact.strip(), asker=asker
        )


def question_vote(*, question: Question, voter: str, address: str | None = None) -> bool:
    """One vote per voter key (`u:<account id>`, or `s:<session key>` for a visitor);
    False when this voter had already voted (nothing counted). A visitor's vote gives its
    client `address`: at most DANVAN_VOTES_PER_ADDRESS of them from one address count for
    a question, so a script that throws its cookies away cannot stuff the count."""
    if question.is_hidden:
        raise DialogueError("hidden")
    if not Dialogue.objects.filter(pk=question.dialogue_id, status=Status.OPEN).exists():
        raise DialogueError("not_open")
    anonymous = address is not None
    kept = _address_key(address) if anonymous else ""
    try:
        with transaction.atomic():
            # The update first: it locks the question's row, so votes from one address are
            # counted one at a time and two at once cannot both pass the cap.
            Question.objects.filter(pk=question.pk).update(
                votes=F("votes") + 1, anonymous_votes=F("anonymous_votes") + int(anonymous)
            )
            if anonymous and _address_full(question, kept):
                raise DialogueError("address_limit")  # rolls the update back
            QuestionVote.objects.create(question=question, voter=voter, address=kept)
    except IntegrityError:
        return False
    return True


def _address_key(address: str | None) -> str:
    # A keyed hash: the count needs equality only, and a table of voters' addresses would
    # be personal data kept for nothing. An IPv6 /64 is one household (`household`).
    owned = household(address) if address else "unknown"
    key = salted_hmac("danvan.dialogues.vote-address", owned, algorithm="sha256")
    return key.hexdigest()


def _address_full(question: Question, address: str) -> bool:
    most: int = settings.DANVAN_VOTES_PER_ADDRESS
    return QuestionVote.objects.filter(question=question, address=address).count() >= most


def question_hide(*, question: Question, by: User, reason: str) -> Question:
    """Hide a question for abuse (insults, someone else's personal data, spam); never for
    criticism. The reason is kept and shown in place of the question."""
    reason = reason.strip()
    if not reason:
        raise DialogueError("no_reason")
    question.hidden_reason, question.hidden_by, question.hidden_at = reason, by, timezone.now()
    question.save(update_fields=["hidden_reason", "hidden_by", "hidden_at"])
    return question


def question_group_create(
    *, dialogue: Dialogue, questions: Sequence[Question], title: str, by: User
) -> QuestionGroup:
    """The organiser confirms a group (usually one proposed by similarity)."""
    mine = [q for q in questions if q.dialogue_id == dialogue.pk]
    if len(mine) < 2:
        raise DialogueError("group_too_small")
    with transaction.atomic():
        group = QuestionGroup.objects.create(dialogue=dialogue, title=title.strip(), created_by=by)
        Question.objects.filter(pk__in=[q.pk for q in mine]).update(group=group)
    return group


def question_answer(
    *,
    dialogue: Dialogue,
    by: User,
    answer: str,
    answered_by: User,
    agency: Agency,
    question: Question | None = None,
    question_text: str = "",
    promised: Promised | None = None,
) -> Question:
    """The secretary's minutes: the answer to a question (sent ahead, or `question_text`
    raised in the room), the answering official, and the commitment it makes, if any."""
    answer = answer.strip()
    if not answer:
        raise DialogueError("empty_answer")
    if question is None and not question_text.strip():
        raise DialogueError("empty_question")
    if promised is not None and promised.due_on < timezone.localdate():
        raise DialogueError("past_due")
    with transaction.atomic():
        if not Dialogue.objects.filter(pk=dialogue.pk, status__in=MINUTES_OPEN).exists():
            raise DialogueError("minutes_closed")
        if question is None:
            question = Question(dialogue=dialogue, text=question_text.strip(), from_floor=True)
        question.answer, question.answered_by, question.answered_agency = (
            answer,
            answered_by,
            agency,
        )
        question.answered_at, question.recorded_by = timezone.now(), by
        question.save()
        if promised is not None:
            commitment_create(dialogue=dialogue, question=question, promised=promised, by=by)
    return question


def commitment_create(
    *, dialogue: Dialogue, promised: Promised, by: User, question: Question | None = None
) -> Commitment:
    if promised.due_on < timezone.localdate():
        raise DialogueError("past_due")
    return Commitment.objects.create(
        dialogue=dialogue, question=question, text=promised.text.strip(), owner=promised.owner,
        due_on=promised.due_on, case=promised.case, created_by=by,
    )  # fmt: skip


def commitment_progress(
    *,
    commitment: Commitment,
    by: User,
    text: str,
    files: Sequence[CleanFile] = (),
    document_link: str = "",
    close: bool = False,
) -> CommitmentUpdate:
    """A progress report; with `close`, the commitment is done, but only with evidence."""
    text = text.strip()
    if not text:
        raise DialogueError("empty_progress")
    if close and not files and not document_link.strip():
        raise DialogueError("no_evidence")
    to = CommitmentStatus.DONE if close else CommitmentStatus.IN_PROGRESS
    now = timezone.now()
    with transaction.atomic():
        moved = (
            Commitment.objects.filter(pk=commitment.pk)
            .exclude(status=CommitmentStatus.DONE)
            .update(status=to, done_at=now if close else None)
        )
        if moved != 1:
            raise DialogueError("already_done")
        update = CommitmentUpdate.objects.create(
            commitment=commitment, text=text, document_link=document_link.strip(),
            closes=close, by=by, at=now,
        )  # fmt: skip
        for clean in files:
            evidence = Evidence(update=update, name=clean.name, content_type=clean.content_type,
                                size=clean.size, sha256=clean.sha256)  # fmt: skip
            stored = f"{uuid.uuid4().hex}-{clean.name}"
            with storing(f"evidence {clean.name}"):
                evidence.file.save(stored, ContentFile(clean.data), save=True)
    commitment.status, commitment.done_at = to, (now if close else None)
    return update
