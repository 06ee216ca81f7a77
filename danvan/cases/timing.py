"""Which legal rule times each step of a case, and the dates it gives."""

from dataclasses import dataclass
from datetime import date

from danvan.deadlines.compute import Pause, due_date
from danvan.deadlines.rules import DayType, Rule
from danvan.rulebook.store import current_calendar, current_rulebook

from .workflow import Kind

# The rule that times the first decision on a letter (accept, decline, forward, guide).
PROCESS_RULES = {Kind.FEEDBACK: "DON-1", Kind.PETITION: "DON-1", Kind.COMPLAINT: "KN-1",
                 Kind.DENUNCIATION: "TC-1"}  # fmt: skip
SECOND_ROUND_PROCESS_RULE = "KN-5"
# The rule that times the answer once a case is accepted.
RESOLVE_RULES = {Kind.FEEDBACK: "KNPA-2", Kind.PETITION: "KNPA-2", Kind.COMPLAINT: "KN-2",
                 Kind.DENUNCIATION: "TC-5"}  # fmt: skip
SECOND_ROUND_RESOLVE_RULE = "KN-6"


@dataclass(frozen=True)
class Due:
    rule: str
    due: date
    basis: str


def _process_rule(kind: str, on: date, second_round: bool) -> Rule:
    code = SECOND_ROUND_PROCESS_RULE if second_round else PROCESS_RULES[Kind(kind)]
    return current_rulebook().rule(code, on=on)


def _resolve_rule(kind: str, on: date, second_round: bool) -> Rule:
    code = SECOND_ROUND_RESOLVE_RULE if second_round else RESOLVE_RULES[Kind(kind)]
    return current_rulebook().rule(code, on=on)


def answer_variants(*, kind: str, on: date, second_round: bool = False) -> set[str]:
    """The complexities the rule timing the answer knows: its longer caps (complaints) and
    its extension allowances (denunciations)."""
    rule = _resolve_rule(kind, on, second_round)
    return {*rule.variants, *rule.max_extensions} - {"default"}


def process_due(*, kind: str, received: date, second_round: bool = False) -> Due:
    rule = _process_rule(kind, received, second_round)
    return Due(rule.code, due_date(rule, received, current_calendar()).due, rule.legal_basis)


def resolve_due(
    *, kind: str, accepted: date, variant: str = "", extensions: int = 0,
    pauses: list[list[str]] | None = None, second_round: bool = False,
) -> Due:  # fmt: skip
    rule = _resolve_rule(kind, accepted, second_round)
    paused = [Pause(date.fromisoformat(a), date.fromisoformat(b)) for a, b in pauses or []]
    result = due_date(
        rule, accepted, current_calendar(), variant=variant or None, extensions=extensions,
        pauses=paused,
    )  # fmt: skip
    return Due(rule.code, result.due, rule.legal_basis)


def extends_by_count(*, kind: str, accepted: date, second_round: bool = False) -> bool:
    """True when the rule extends by repeated periods (denunciations), False when by a cap."""
    return _resolve_rule(kind, accepted, second_round).extension_days > 0


# Archived letters (lưu đơn) are kept this long, then the head decides (TT 05/2021 Art. 28).
ARCHIVE_RETENTION_RULE = "DON-4"


def retention_until(*, archived: date) -> Due:
    """The last day an archived letter must be kept, from the rule in force that day."""
    rule = current_rulebook().rule(ARCHIVE_RETENTION_RULE, on=archived)
    return Due(rule.code, due_date(rule, archived, current_calendar()).due, rule.legal_basis)


# A letter is "due soon" this many calendar days ahead of its deadline: a work-list hint,
# not a legal figure.
DUE_SOON_DAYS = 3


def days_late(*, rule_code: str, due: date, today: date) -> int:
    """Days `today` is past `due`, counted as the rule timing it counts (working or
    calendar days); 0 when not late. A rule no longer known counts calendar days."""
    if today <= due:
        return 0
    try:
        rule = current_rulebook().rule(rule_code, on=due)
    except LookupError:
        rule = None
    if rule is not None and rule.day_type == DayType.WORKING:
        return current_calendar().working_days_between(due, today)
    return (today - due).days


def due_soon(*, due: date, today: date) -> bool:
    return 0 <= (due - today).days <= DUE_SOON_DAYS
