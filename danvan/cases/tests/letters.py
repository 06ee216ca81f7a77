"""Letters filed in tests from flat fields, as the tests write them: the sender's details
among the letter's (`name=`, `phone=`...). `by` defaults to the filing account, as on the
citizen's web form."""

from dataclasses import fields
from typing import Any

from danvan.cases.draft import LetterDraft, Sender
from danvan.cases.models import Case
from danvan.cases.submission import case_submit

SENDER_FIELDS = frozenset(f.name for f in fields(Sender))


def draft_of(**letter: Any) -> LetterDraft:
    sender = Sender(**{key: letter.pop(key) for key in list(letter) if key in SENDER_FIELDS})
    return LetterDraft(sender=sender, **letter)


def submit_letter(*, by: Any = None, files: Any = (), idempotency_key: Any = None,
                  **letter: Any) -> Case:  # fmt: skip
    case, _created = case_submit(draft=draft_of(**letter), by=by or letter.get("citizen"),
                                 files=files, idempotency_key=idempotency_key)  # fmt: skip
    return case
