"""Which sender details the law requires for a letter of each kind, as data
(`intake_rules.csv`): the complaint and denunciation laws name the fields; the code only reads
them. A kind without a row needs no detail by law (feedback, petitions)."""

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FIELD_WORDS = {"name": gettext_lazy("full name"), "address": gettext_lazy("address")}


@dataclass(frozen=True)
class IntakeRule:
    kind: str
    required: tuple[str, ...]  # sender fields: "name", "address"
    legal_basis: str  # in words, Vietnamese as the law is written
    refused: bool  # without the details: refused; else received as information only
    effective_from: date


@cache
def intake_rules() -> dict[str, IntakeRule]:
    text = (files("danvan.cases") / "intake_rules.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return {row["kind"]: _rule(row) for row in rows}


def _rule(row: dict[str, str]) -> IntakeRule:
    return IntakeRule(
        kind=row["kind"],
        required=tuple(row["required"].split()),
        legal_basis=row["legal_basis"],
        refused=row["without"] == "refuse",
        effective_from=date.fromisoformat(row["effective_from"]),
    )


def required_for(kind: str) -> tuple[str, ...]:
    rule = intake_rules().get(kind)
    return rule.required if rule else ()


def missing_for(kind: str, sender: dict[str, str]) -> list[str]:
    """The sender fields the law requires for `kind` that are empty in `sender`."""
    return [name for name in required_for(kind) if not (sender.get(name) or "").strip()]


def refused_without(kind: str) -> bool:
    """Whether a letter of `kind` lacking the required details is refused (a complaint), not
    received as information (a denunciation, LTC Art. 25)."""
    rule = intake_rules().get(kind)
    return bool(rule and rule.refused)


def missing_message(kind: str, missing: list[str]) -> str:
    """A sentence naming what is missing and the rule that asks for it, in words."""
    rule = intake_rules()[kind]
    words = ", ".join(str(FIELD_WORDS[name]) for name in missing)
    return _("Under %(basis)s this letter must carry the sender's %(fields)s.") % {
        "basis": rule.legal_basis,
        "fields": words,
    }
