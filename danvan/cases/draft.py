"""A letter as a channel hands it to `case_submit`: what was written, by whom, where.

Every channel builds one its own way, from what it received: the citizen's web form and an
officer's paper letter (`letter_form`), the APIs (`danvan.api.intake`), the reception
logbook (`danvan.reception.services`), a spreadsheet row (`imports.writing.row_draft`) and a
part cut out of a letter (`services.split_draft`). Building one reads no database.
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from danvan.accounts.models import User
from danvan.places.models import Unit

from .models import Case, Channel, Topic


@dataclass(frozen=True)
class Sender:
    """Who wrote the letter, as they gave it; empty for an anonymous letter."""

    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    id_number: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    def columns(self) -> dict[str, str]:
        """The case's plain sender columns (an ID number is never stored plain)."""
        return {"submitter_name": self.name, "submitter_phone": self.phone,
                "submitter_email": self.email, "submitter_address": self.address}  # fmt: skip


@dataclass(frozen=True)
class LetterDraft:
    """A letter not yet registered. `received_at` None: now. `extra`: what else the channel's
    form sent with the letter (a logbook row's notes), so that a retry that changed it counts
    as another letter (`idempotency`)."""

    kind: str
    title: str
    content: str
    unit: Unit
    topic: Topic | None = None
    sender: Sender = Sender()
    citizen: User | None = None  # the account that filed it
    anonymous: bool = False
    place: str = ""  # where the matter is, not the sender's address
    location: tuple[float, float] | None = None
    people_count: int = 1
    channel: str = Channel.WEB
    received_at: datetime | None = None
    first_round: Case | None = None  # a complaint's second round: its first
    parent: Case | None = None  # the letter this one was split from
    # A part cut out of this sealed letter: sealed whatever its kind, with that letter's
    # sender, so nothing of it is ever written plain (`Sender` stays empty).
    sealed_from: Case | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def digest_fields(self) -> dict[str, Any]:
        """What a retry must repeat to be the same letter (`idempotency.letter_digest`)."""
        return {"kind": self.kind, "title": self.title, "content": self.content,
                "unit": self.unit, "topic": self.topic, "citizen": self.citizen,
                "anonymous": self.anonymous, "id_number": self.sender.id_number,
                "place": self.place, "location": self.location,
                "people_count": self.people_count, "channel": self.channel,
                "first_round": self.first_round, "parent": self.parent,
                **self.sender.columns(), **self.extra}  # fmt: skip
