"""Checking the rows of a logbook file against the platform: communes, topics, the law.

Every row is checked before anything is written; each error names the row as the
spreadsheet shows it, and its column as the file writes it.
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TypeVar, cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import Truncator, format_lazy
from django.utils.translation import gettext_lazy as _

from danvan.accounts.phone import normalize_phone
from danvan.core.forms import refusal_text
from danvan.core.text import TextRefused, clean_input
from danvan.places.models import Unit
from danvan.rulebook.store import current_rulebook

from .. import timing
from ..forms import CONTENT_MAX, TITLE_MAX
from ..models import Case, Topic
from ..workflow import Kind
from .cells import day, line, signers, text_field
from .columns import header_key
from .communes import Communes
from .reading import Cell, Invalid, Sheet, Text

EARLIEST = date(2015, 1, 1)
KEY_MAX = 64  # Case.idempotency_key

Message = str | Promise
T = TypeVar("T")

_KINDS = {
    "phan anh": Kind.FEEDBACK,
    "kien nghi": Kind.PETITION,
    "khieu nai": Kind.COMPLAINT,
    "to cao": Kind.DENUNCIATION,
    **{kind.value: kind for kind in Kind},
}


def shown(message: object) -> Message:
    """The message of an `Invalid` in the language in use."""
    if not isinstance(message, Text):
        return cast(Message, message)  # a validator's own (lazy) message, or refusal_text's
    if not message.params:
        return _(message.template)
    return format_lazy(_(message.template), **dict(message.params))


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet shows it; 0 for the file as a whole
    column: str  # the header as written in the file; "" for the whole row
    message: Message

    def __str__(self) -> str:
        if not self.row:
            return str(self.message)
        if not self.column:
            return str(format_lazy(_("Row {row}: {message}"), row=self.row, message=self.message))
        text = _("Row {row}, column “{column}”: {message}")
        return str(format_lazy(text, row=self.row, column=self.column, message=self.message))


@dataclass(frozen=True)
class Identity:
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class ImportRow:
    """One valid row, ready for `case_submit` (`writing.row_draft`)."""

    row: int
    received: date
    kind: Kind
    title: str
    content: str
    unit: Unit
    topic: Topic | None
    identity: Identity
    people_count: int
    reference: str

    @property
    def idempotency_key(self) -> str:
        # Logbook numbers restart each year, so the year is part of the key.
        scope = f"import:{self.unit.code}:{self.received.year}:"
        if self.reference and len(scope) + len(self.reference) <= KEY_MAX:
            return scope + self.reference
        if self.reference:
            parts = [self.reference]
        else:
            parts = [self.received.isoformat(), self.kind, self.title, self.content]
            parts += asdict(self.identity).values()
        return scope + "#" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


@dataclass
class ImportReport:
    rows_total: int = 0  # non-empty rows under the header
    created: int = 0
    skipped_existing: int = 0  # imported before (same idempotency key)
    errors: list[RowError] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)  # the valid rows (a preview on dry run)
    cases: list[Case] = field(default_factory=list)  # the cases created
    dry_run: bool = False

    @property
    def rows_with_errors(self) -> int:
        return len({error.row for error in self.errors})


class _Row:
    """One spreadsheet row: its cells by field, and the errors found in it."""

    def __init__(self, number: int, cells: list[Cell], sheet: Sheet) -> None:
        self.number = number
        self.errors: list[RowError] = []
        self._cells, self._sheet = cells, sheet

    def value(self, name: str, parse: Callable[[Cell], T], default: T) -> T:
        index = self._sheet.columns.get(name)
        cell = self._cells[index] if index is not None and index < len(self._cells) else ""
        try:
            return parse(_cleaned(cell))
        except Invalid as error:
            self.error(name, shown(error.message))
            return default

    def error(self, name: str, message: Message) -> None:
        self.errors.append(RowError(self.number, self._sheet.headers.get(name, ""), message))


def _cleaned(cell: Cell) -> Cell:
    """The cell's text as every edge cleans it; a control character is this row's error."""
    if not isinstance(cell, str):
        return cell
    try:
        return clean_input(cell)
    except TextRefused as error:
        raise Invalid(refusal_text(error)) from error


def rows_validate(sheet: Sheet, context: "Context", errors: list[RowError]) -> list[ImportRow]:
    """The valid rows of the sheet; the errors of the others are added to `errors`."""
    valid = []
    for number, cells in sheet.rows:
        row = _Row(number, cells, sheet)
        parsed = _row_parse(row, context)
        if parsed is not None:
            _row_check(row, parsed, context)
        errors.extend(row.errors)
        if parsed is not None and not row.errors:
            valid.append(parsed)
    return valid


def _row_parse(row: _Row, context: "Context") -> ImportRow | None:
    received = row.value("received", context.received, None)
    kind = row.value("kind", _kind, None)
    required = _("Write the content of the letter.")
    content = row.value("content", text_field(CONTENT_MAX, required, multiline=True), "")
    unit = row.value("commune", context.communes.resolve, None)
    title = row.value("subject", text_field(TITLE_MAX), "")
    identity = Identity(
        name=row.value("name", text_field(150), ""),
        phone=row.value("phone", _phone, ""),
        email=row.value("email", _email, ""),
        address=row.value("address", text_field(250), ""),
    )
    topic = row.value("topic", context.topic, None)
    people_count = row.value("signers", signers, 1)
    reference = row.value("reference", text_field(40), "")
    if received is None or kind is None or unit is None or row.errors:
        return None
    title = title or Truncator(content.splitlines()[0]).chars(100)
    return ImportRow(
        row.number, received, kind, title, content, unit, topic, identity, people_count, reference
    )


def _row_check(row: _Row, parsed: ImportRow, context: "Context") -> None:
    """What no single cell shows: the law on complaints, the rules in force, repeats."""
    if parsed.kind == Kind.COMPLAINT and not parsed.identity.name:
        row.error(
            "name",
            _("A complaint must carry the complainant's name and address (Luật Khiếu nại Art. 8)."),
        )
    if not context.rulebook.has(timing.PROCESS_RULES[parsed.kind], on=parsed.received):
        text = _("No deadline rule for this kind of letter was in force on {date}.")
        row.error("received", format_lazy(text, date=f"{parsed.received:%d/%m/%Y}"))
    first = context.seen.setdefault(parsed.idempotency_key, row.number)
    if first != row.number:
        name = "reference" if parsed.reference else ""
        row.error(name, format_lazy(_("This letter repeats row {row}."), row=first))


def _kind(cell: Cell) -> Kind:
    value = line(cell)
    kind = _KINDS.get(header_key(value).removeprefix("don "))
    if kind is None:
        message = _(
            "Unknown kind of letter “{value}”. Write phản ánh, kiến nghị, khiếu nại or tố cáo."
        )
        raise Invalid(format_lazy(message, value=value))
    return kind


def _phone(cell: Cell) -> str:
    value = line(cell)
    if not value:
        return ""
    if re.fullmatch(r"[35789]\d{8}", value):
        value = "0" + value  # Excel drops the leading zero of a number typed as a number
    try:
        return normalize_phone(value)
    except ValidationError as error:
        raise Invalid(error.message) from error


def _email(cell: Cell) -> str:
    value = line(cell)
    if value:
        try:
            validate_email(value)
        except ValidationError as error:
            message = _("Enter a valid email address, for example ten@example.com.")
            raise Invalid(message) from error
    return value


class Context:
    """What checking a row needs, loaded once per file."""

    def __init__(self, province: Unit) -> None:
        self.today = timezone.localdate()
        self.rulebook = current_rulebook()
        self.communes = Communes(province)
        self.topics: dict[str, Topic] = {}
        for topic in Topic.objects.filter(is_active=True):
            for name in (header_key(topic.code), header_key(topic.name)):
                self.topics.setdefault(name, topic)
        self.seen: dict[str, int] = {}  # idempotency key -> first row that has it

    def received(self, cell: Cell) -> date:
        if not line(cell):
            raise Invalid(_("Write the date the letter was received."))
        found = day(cell)
        if found > self.today:
            raise Invalid(_("The date received is in the future."))
        if found < EARLIEST:
            message = _("Letters received before {date} cannot be imported.")
            raise Invalid(format_lazy(message, date=f"{EARLIEST:%d/%m/%Y}"))
        return found

    def topic(self, cell: Cell) -> Topic | None:
        value = line(cell)
        if not value:
            return None
        found = self.topics.get(header_key(value))
        if found is None:
            codes = ", ".join(dict.fromkeys(t.code for t in self.topics.values()))
            message = _("Unknown topic “{value}”. Use a code or a name from the list: {codes}.")
            raise Invalid(format_lazy(message, value=value, codes=codes))
        return found
