"""Bulk import of old letters: the commune's paper logbook, typed into a spreadsheet.

The file is a CSV (UTF-8 with or without BOM, UTF-16, or Windows-1258; separated by `,`, `;`
or tab) or an XLSX workbook (its first sheet). A header row names the columns; it may sit
under a few title rows. Headers match case- and accent-insensitively, in Vietnamese or in
English; other columns (STT, ghi chú...) are ignored.

    Vietnamese    English     required  value
    ngày nhận     received    yes       dd/mm/yyyy, yyyy-mm-dd or a date cell; 2015 to today
    loại đơn      kind        yes       phản ánh, kiến nghị, khiếu nại, tố cáo, or the
                                        codes feedback, petition, complaint, denunciation
    nội dung      content     yes
    xã phường     commune     yes       name or code of a commune in force in the province, or
                                        a pre-2025 commune name ("Minh Tân (Hưng Hà)" when the
                                        old name was used in several districts)
    tiêu đề       subject     no        the start of the content when empty
    lĩnh vực      topic       no        topic code or name
    họ tên        name        no        empty: anonymous (not allowed for a complaint)
    điện thoại    phone       no        Vietnamese mobile number
    email         email       no
    địa chỉ       address     no        the writer's address
    số người      signers     no        number of signers, 1 when empty
    số hiệu       reference   no        the logbook's own number

Every row is checked before anything is written; each error names the row as the
spreadsheet shows it. A row is imported whole or not at all. Importing a file again creates
nothing twice: the idempotency key is the commune, the year received and the logbook number,
or a digest of the row when it has no number.
"""

import codecs
import csv
import difflib
import hashlib
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import IO, TypeVar
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import Truncator, format_lazy
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import User
from danvan.accounts.phone import normalize_phone
from danvan.core.forms import refusal_text
from danvan.core.text import TextRefused, clean_input, fold, is_number
from danvan.places.models import Unit
from danvan.places.queries import communes_of, successors_in_force
from danvan.rulebook.store import current_rulebook

from . import deadlines
from .draft import LetterDraft, Sender
from .forms import CONTENT_MAX, TITLE_MAX
from .idempotency import IdempotencyKeyReused
from .models import Case, Channel, Topic
from .submission import case_submit
from .workflow import Kind

MAX_ROWS = 5000  # settings.DANVAN_IMPORT_MAX_ROWS overrides
MAX_BYTES = 10 * 1024 * 1024  # settings.DANVAN_IMPORT_MAX_BYTES overrides
EARLIEST = date(2015, 1, 1)
# The hour of an old letter is unknown: take the opening of the office on that day.
RECEIVED_HOUR = time(8, 0)
_HEADER_SCAN = 10  # title rows a logbook may carry above its header
_BLANK_RUN_MAX = 500  # formatted but empty rows at the end of a sheet: stop reading
_KEY_MAX = 64  # Case.idempotency_key

Cell = str | date
Message = str | Promise
T = TypeVar("T")


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as the sample file writes it
    aliases: tuple[str, ...] = ()  # folded, besides the header and the field name
    required: bool = False


COLUMNS = (
    Column("received", "ngày nhận", ("ngay nhan don", "ngay tiep nhan", "ngay", "date"), True),
    Column("kind", "loại đơn", ("loai", "phan loai", "loai don thu", "type"), True),
    Column("subject", "tiêu đề", ("trich yeu", "title")),
    Column("content", "nội dung", ("noi dung don", "noi dung don thu"), True),
    Column("commune", "xã phường", ("xa", "phuong", "xa phuong dac khu", "dia ban", "ward"), True),
    Column("topic", "lĩnh vực", ()),
    Column("name", "họ tên", ("ho va ten", "nguoi gui", "ten nguoi gui", "full name")),
    Column("phone", "điện thoại", ("so dien thoai", "sdt", "dt", "mobile")),
    Column("email", "email", ("e mail", "thu dien tu")),
    Column("address", "địa chỉ", ("dia chi nguoi gui",)),
    Column("signers", "số người", ("so nguoi ky", "so nguoi ky ten", "people")),
    Column("reference", "số hiệu", ("so", "so den", "so don", "so vao so", "number", "ref")),
)


def _key(text: str) -> str:
    """Folded, punctuation as spaces: "Xã/Phường" -> "xa phuong"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


_HEADERS = {
    key: column
    for column in COLUMNS
    for key in (_key(column.header), column.field, *column.aliases)
}
_KINDS = {
    "phan anh": Kind.FEEDBACK,
    "kien nghi": Kind.PETITION,
    "khieu nai": Kind.COMPLAINT,
    "to cao": Kind.DENUNCIATION,
    **{kind.value: kind for kind in Kind},
}


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
    """One valid row, ready for `case_submit` (`draft`)."""

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
        if self.reference and len(scope) + len(self.reference) <= _KEY_MAX:
            return scope + self.reference
        if self.reference:
            parts = [self.reference]
        else:
            parts = [self.received.isoformat(), self.kind, self.title, self.content]
            parts += asdict(self.identity).values()
        return scope + "#" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]

    def draft(self) -> LetterDraft:
        """The letter this row records; a denunciation's sender is sealed by `case_submit`
        (Luật Tố cáo Art. 47)."""
        who = self.identity
        sender = Sender(name=who.name, phone=who.phone, email=who.email, address=who.address)
        received_at = datetime.combine(
            self.received, RECEIVED_HOUR, timezone.get_default_timezone()
        )
        return LetterDraft(kind=self.kind, title=self.title, content=self.content, unit=self.unit,
                           topic=self.topic, sender=sender, anonymous=not who.name,
                           people_count=self.people_count, channel=Channel.IMPORT,
                           received_at=received_at)  # fmt: skip


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


class _Invalid(Exception):
    def __init__(self, message: Message, row: int = 0) -> None:
        super().__init__(message)
        self.message, self.row = message, row


def cases_import(
    *,
    file: IO[bytes] | bytes,
    by: User,
    all_or_nothing: bool = True,
    dry_run: bool = False,
    province: Unit | None = None,
) -> ImportReport:
    """Check every row of a logbook file, then register the valid ones as letters.

    `all_or_nothing` imports nothing when any row is bad; otherwise each valid row goes in
    in its own transaction. `dry_run` checks only. Permissions are the caller's business.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        sheet = _sheet_read(
            _bytes_read(file), max_rows=_setting("DANVAN_IMPORT_MAX_ROWS", MAX_ROWS)
        )
    except _Invalid as error:
        report.errors.append(RowError(error.row, "", error.message))
        return report
    report.rows_total = len(sheet.rows)
    report.rows = _rows_validate(sheet, _Context(province or _province()), report.errors)
    if dry_run or (all_or_nothing and report.errors):
        report.skipped_existing = len(_existing_keys(report.rows)) if dry_run else 0
        return report
    _rows_write(report, by=by, atomic=all_or_nothing)
    return report


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _province() -> Unit:
    return Unit.objects.get(
        level=Unit.Level.PROVINCE, code=settings.DANVAN_PROVINCE_CODE, valid_until__isnull=True
    )


# Reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sheet:
    columns: dict[str, int]  # field -> index of its column
    headers: dict[str, str]  # field -> header as written
    rows: list[tuple[int, list[Cell]]]  # (row number, cells), empty rows left out


def _bytes_read(file: IO[bytes] | bytes) -> bytes:
    limit = _setting("DANVAN_IMPORT_MAX_BYTES", MAX_BYTES)
    data = file if isinstance(file, bytes) else file.read(limit + 1)
    if len(data) > limit:
        text = _("The file is larger than {size}. Split it into smaller files.")
        raise _Invalid(format_lazy(text, size=filesizeformat(limit)))
    if not data.strip():
        raise _Invalid(_("The file is empty."))
    return data


def _sheet_read(data: bytes, *, max_rows: int) -> _Sheet:
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # the pre-2007 binary Excel format
        raise _Invalid(_("This is an old Excel file (.xls). Save it as .xlsx or CSV UTF-8."))
    rows = _xlsx_rows(data) if data.startswith(b"PK\x03\x04") else _csv_rows(data)
    header_row, cells = _header_find(rows)
    columns = _header_map(cells)
    missing = [c.header for c in COLUMNS if c.required and c.field not in columns]
    if missing:
        text = _("Columns missing from the header row: {columns}.")
        raise _Invalid(format_lazy(text, columns=", ".join(missing)), row=header_row)
    headers = {name: str(cells[index]) for name, index in columns.items()}
    return _Sheet(columns, headers, _body_read(rows, first=header_row + 1, max_rows=max_rows))


def _header_find(rows: Iterator[list[Cell]]) -> tuple[int, list[Cell]]:
    for number, cells in enumerate(rows, start=1):
        if len(_header_map(cells)) >= 2:
            return number, cells
        if number == _HEADER_SCAN:
            break
    headers = ", ".join(c.header for c in COLUMNS if c.required)
    text = _("No header row found. The first row must name the columns: {headers}...")
    raise _Invalid(format_lazy(text, headers=headers), row=1)


def _header_map(cells: list[Cell]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = _HEADERS.get(_key(cell)) if isinstance(cell, str) else None
        if column and column.field not in found:
            found[column.field] = index
    return found


def _body_read(
    rows: Iterator[list[Cell]], *, first: int, max_rows: int
) -> list[tuple[int, list[Cell]]]:
    body: list[tuple[int, list[Cell]]] = []
    blank_run = 0
    for number, cells in enumerate(rows, start=first):
        blank_run = 0 if any(cells) else blank_run + 1
        if blank_run > _BLANK_RUN_MAX:
            break
        if blank_run:
            continue
        body.append((number, cells))
        if len(body) > max_rows:
            text = _("The file has more than {count} letters. Split it into smaller files.")
            raise _Invalid(format_lazy(text, count=max_rows))
    return body


def _xlsx_rows(data: bytes) -> Iterator[list[Cell]]:
    # Imported here: openpyxl takes half a second to import, and every process would pay it.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for values in book.worksheets[0].iter_rows(values_only=True):
                yield [_cell(value) for value in values]
        finally:
            book.close()
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        ParseError,
        LookupError,
        ValueError,
        OSError,
    ) as error:
        raise _Invalid(_("The spreadsheet cannot be read. Save it again as .xlsx.")) from error


def _cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 3.0 signers, a code typed as a number
    return unicodedata.normalize("NFC", str(value)).strip()


def _csv_rows(data: bytes) -> Iterator[list[Cell]]:
    text = unicodedata.normalize("NFC", _decode(data))
    # The separator that yields a header row. Sniffing character frequencies fails on
    # Vietnamese letters, which are full of commas.
    delimiter = max(",;\t", key=lambda d: _header_score(text, d))
    try:
        for values in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [value.strip() for value in values]
    except csv.Error as error:
        raise _Invalid(_("The CSV file is damaged. Save it again as CSV UTF-8.")) from error


def _header_score(text: str, delimiter: str) -> int:
    reader = csv.reader(io.StringIO(text[:20_000], newline=""), delimiter=delimiter)
    try:
        rows = itertools.islice(reader, _HEADER_SCAN)
        return max((len(_header_map(list(row))) for row in rows), default=0)
    except csv.Error:
        return 0


def _decode(data: bytes) -> str:
    boms = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    # Windows-1258: CSV saved by an older Vietnamese Excel without "UTF-8".
    encodings = ("utf-16",) if data.startswith(boms) else ("utf-8-sig", "cp1258")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _Invalid(_("The file is not in a known text encoding. Save it as CSV UTF-8."))


# Checking -----------------------------------------------------------------------------------


class _Row:
    """One spreadsheet row: its cells by field, and the errors found in it."""

    def __init__(self, number: int, cells: list[Cell], sheet: _Sheet) -> None:
        self.number = number
        self.errors: list[RowError] = []
        self._cells, self._sheet = cells, sheet

    def value(self, name: str, parse: Callable[[Cell], T], default: T) -> T:
        index = self._sheet.columns.get(name)
        cell = self._cells[index] if index is not None and index < len(self._cells) else ""
        try:
            return parse(_cleaned(cell))
        except _Invalid as error:
            self.error(name, error.message)
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
        raise _Invalid(refusal_text(error)) from error


def _rows_validate(sheet: _Sheet, context: "_Context", errors: list[RowError]) -> list[ImportRow]:
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


def _row_parse(row: _Row, context: "_Context") -> ImportRow | None:
    received = row.value("received", context.received, None)
    kind = row.value("kind", _kind, None)
    required = _("Write the content of the letter.")
    content = row.value("content", _text(CONTENT_MAX, required, multiline=True), "")
    unit = row.value("commune", context.communes.resolve, None)
    title = row.value("subject", _text(TITLE_MAX), "")
    identity = Identity(
        name=row.value("name", _text(150), ""),
        phone=row.value("phone", _phone, ""),
        email=row.value("email", _email, ""),
        address=row.value("address", _text(250), ""),
    )
    topic = row.value("topic", context.topic, None)
    people_count = row.value("signers", _signers, 1)
    reference = row.value("reference", _text(40), "")
    if received is None or kind is None or unit is None or row.errors:
        return None
    title = title or Truncator(content.splitlines()[0]).chars(100)
    return ImportRow(
        row.number, received, kind, title, content, unit, topic, identity, people_count, reference
    )


def _row_check(row: _Row, parsed: ImportRow, context: "_Context") -> None:
    """What no single cell shows: the law on complaints, the rules in force, repeats."""
    if parsed.kind == Kind.COMPLAINT and not parsed.identity.name:
        row.error(
            "name",
            _("A complaint must carry the complainant's name and address (Luật Khiếu nại Art. 8)."),
        )
    if not context.rulebook.has(deadlines.PROCESS_RULES[parsed.kind], on=parsed.received):
        text = _("No deadline rule for this kind of letter was in force on {date}.")
        row.error("received", format_lazy(text, date=f"{parsed.received:%d/%m/%Y}"))
    first = context.seen.setdefault(parsed.idempotency_key, row.number)
    if first != row.number:
        name = "reference" if parsed.reference else ""
        row.error(name, format_lazy(_("This letter repeats row {row}."), row=first))


def _line(cell: Cell) -> str:
    return cell.strftime("%d/%m/%Y") if isinstance(cell, date) else " ".join(cell.split())


def _text(
    limit: int, required: Message | None = None, *, multiline: bool = False
) -> Callable[[Cell], str]:
    def parse(cell: Cell) -> str:
        text = cell.strip() if isinstance(cell, str) and multiline else _line(cell)
        if required and not text:
            raise _Invalid(required)
        if len(text) > limit:
            raise _Invalid(format_lazy(_("Too long: at most {limit} characters."), limit=limit))
        return text

    return parse


def _kind(cell: Cell) -> Kind:
    text = _line(cell)
    kind = _KINDS.get(_key(text).removeprefix("don "))
    if kind is None:
        message = _(
            "Unknown kind of letter “{value}”. Write phản ánh, kiến nghị, khiếu nại or tố cáo."
        )
        raise _Invalid(format_lazy(message, value=text))
    return kind


def _phone(cell: Cell) -> str:
    text = _line(cell)
    if not text:
        return ""
    if re.fullmatch(r"[35789]\d{8}", text):
        text = "0" + text  # Excel drops the leading zero of a number typed as a number
    try:
        return normalize_phone(text)
    except ValidationError as error:
        raise _Invalid(error.message) from error


def _email(cell: Cell) -> str:
    text = _line(cell)
    if text:
        try:
            validate_email(text)
        except ValidationError as error:
            message = _("Enter a valid email address, for example ten@example.com.")
            raise _Invalid(message) from error
    return text


def _signers(cell: Cell) -> int:
    text = _line(cell)
    if not text:
        return 1
    if not is_number(text) or not 1 <= int(text) <= 32767:
        raise _Invalid(_("Write the number of signers as a whole number, 1 or more."))
    return int(text)


_EXCEL_EPOCH = date(1899, 12, 30)  # serial day 0, as Excel counts for dates after 1900
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")


def _date(cell: Cell) -> date:
    if isinstance(cell, date):
        return cell
    text = cell.strip()
    if is_number(text) and len(text) == 5:  # a date cell saved as its Excel serial number
        return _EXCEL_EPOCH + timedelta(days=int(text))
    try:
        if match := _DMY.fullmatch(text):
            return date(int(match[3]), int(match[2]), int(match[1]))
        if match := _YMD.fullmatch(text):
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass  # 31/02/2024: reported as not a date, below
    message = _("“{value}” is not a date. Write it as dd/mm/yyyy, for example 05/03/2024.")
    raise _Invalid(format_lazy(message, value=text))


class _Context:
    """What checking a row needs, loaded once per file."""

    def __init__(self, province: Unit) -> None:
        self.today = timezone.localdate()
        self.rulebook = current_rulebook()
        self.communes = _Communes(province)
        self.topics: dict[str, Topic] = {}
        for topic in Topic.objects.filter(is_active=True):
            for name in (_key(topic.code), _key(topic.name)):
                self.topics.setdefault(name, topic)
        self.seen: dict[str, int] = {}  # idempotency key -> first row that has it

    def received(self, cell: Cell) -> date:
        if not _line(cell):
            raise _Invalid(_("Write the date the letter was received."))
        day = _date(cell)
        if day > self.today:
            raise _Invalid(_("The date received is in the future."))
        if day < EARLIEST:
            message = _("Letters received before {date} cannot be imported.")
            raise _Invalid(format_lazy(message, date=f"{EARLIEST:%d/%m/%Y}"))
        return day

    def topic(self, cell: Cell) -> Topic | None:
        text = _line(cell)
        if not text:
            return None
        found = self.topics.get(_key(text))
        if found is None:
            codes = ", ".join(dict.fromkeys(t.code for t in self.topics.values()))
            message = _("Unknown topic “{value}”. Use a code or a name from the list: {codes}.")
            raise _Invalid(format_lazy(message, value=text, codes=codes))
        return found


# Communes -----------------------------------------------------------------------------------

_COMMUNE_PREFIX = re.compile(r"^(?:xa|phuong|thi tran|dac khu|tt|p|x)(?:\.\s*|\s+)")
_DISTRICT_PREFIX = re.compile(r"^(?:huyen|quan|thi xa|thanh pho|tp)(?:\.\s*|\s+)")
Candidate = tuple[str, Unit]  # (label for the officer, the commune in force)


@dataclass(frozen=True)
class _OldCommune:
    unit: Unit  # a pre-2025 commune; its parent is its district
    successor: Unit  # its main successor in force

    @property
    def candidate(self) -> Candidate:
        district = self.unit.parent.name if self.unit.parent else ""
        return f"{self.unit.name} ({district}) → {self.successor.name}", self.successor

    def in_district(self, district: str) -> bool:
        parent = self.unit.parent
        return parent is not None and district in (parent.folded_name, fold(parent.name))


class _Communes:
    """The province's communes in force, and its pre-2025 communes by their main successor."""

    def __init__(self, province: Unit) -> None:
        self.province = province
        in_force = list(communes_of(province=province))
        self._codes = {unit.code: unit for unit in in_force}
        self._names: dict[str, list[Unit]] = {}
        for unit in in_force:
            for name in dict.fromkeys((unit.folded_name, fold(unit.name))):
                self._names.setdefault(name, []).append(unit)
        self._old_names: dict[str, list[_OldCommune]] | None = None

    def resolve(self, cell: Cell) -> Unit:
        text = _line(cell)
        if not text:
            raise _Invalid(_("Write the commune or ward."))
        found = self._by_code(text.zfill(5)) if is_number(text) else self._by_name(text)
        units = {unit.pk: unit for _, unit in found}
        if len(units) == 1:
            return next(iter(units.values()))
        if units:
            message = _(
                "“{value}” may be any of: {candidates}. Add the old district in brackets, "
                "for example “Minh Tân (Hưng Hà)”, or write the code."
            )
            labels = "; ".join(label for label, _unit in found)
            raise _Invalid(format_lazy(message, value=text, candidates=labels))
        raise _Invalid(self._unknown(text))

    def _by_code(self, code: str) -> list[Candidate]:
        if unit := self._codes.get(code):
            return [(unit.name, unit)]
        olds = (o for group in self._old().values() for o in group if o.unit.code == code)
        return list(dict.fromkeys(o.candidate for o in olds))

    def _by_name(self, text: str) -> list[Candidate]:
        """A name in force first, unless an old district is named with an old commune."""
        name, district = _commune_and_district(text)
        for key in dict.fromkeys((name, _COMMUNE_PREFIX.sub("", name, count=1))):
            old = self._old().get(key, [])
            in_district = [o.candidate for o in old if district and o.in_district(district)]
            in_force = [(unit.name, unit) for unit in self._names.get(key, [])]
            if found := in_district or in_force or [o.candidate for o in old]:
                return found
        return []

    def _unknown(self, text: str) -> Message:
        name, _district = _commune_and_district(text)
        known = [*self._names, *self._old()]
        close = difflib.get_close_matches(_COMMUNE_PREFIX.sub("", name), known, n=3, cutoff=0.8)
        labels = [label for key in close for label, _unit in self._by_name(key)]
        where = self.province.name
        if not labels:
            message = _("No commune or ward “{value}” in {province}.")
            return format_lazy(message, value=text, province=where)
        message = _("No commune or ward “{value}” in {province}. Did you mean: {candidates}?")
        return format_lazy(message, value=text, province=where, candidates="; ".join(labels))

    def _old(self) -> dict[str, list[_OldCommune]]:
        if self._old_names is None:  # loaded only when a name is not in force
            self._old_names = {}
            for old in _old_communes(self.province):
                for name in dict.fromkeys((old.unit.folded_name, fold(old.unit.name))):
                    self._old_names.setdefault(name, []).append(old)
        return self._old_names


def _commune_and_district(text: str) -> tuple[str, str]:
    """ "Minh Tân (Hưng Hà)" or "xã Minh Tân, huyện Hưng Hà, ..." -> ("minh tan", "hung ha")."""
    if match := re.fullmatch(r"(.*?)\s*\((.*)\)", text):
        name, district = match[1], match[2]
    else:
        name, _comma, rest = text.partition(",")
        district = rest.split(",")[0]
    return fold(name), _DISTRICT_PREFIX.sub("", fold(district), count=1)


def _old_communes(province: Unit) -> list[_OldCommune]:
    olds = list(
        Unit.objects.filter(
            level=Unit.Level.COMMUNE,
            valid_until__isnull=False,
            parent__parent__successions__successor=province,
        ).select_related("parent")
    )
    successors = successors_in_force(units=olds)
    return [
        _OldCommune(unit, found[0])
        for unit in olds
        if (found := successors[unit.pk]) and found[0].parent_id == province.pk
    ]


# Writing ------------------------------------------------------------------------------------


def _existing_keys(rows: list[ImportRow]) -> set[str]:
    keys = [row.idempotency_key for row in rows]
    found: set[str] = set()
    for start in range(0, len(keys), 500):  # under every database's limit of parameters
        cases = Case.objects.filter(idempotency_key__in=keys[start : start + 500])
        found.update(key for key in cases.values_list("idempotency_key", flat=True) if key)
    return found


def _rows_write(report: ImportReport, *, by: User, atomic: bool) -> None:
    existing = _existing_keys(report.rows)
    todo = [row for row in report.rows if row.idempotency_key not in existing]
    report.skipped_existing = len(report.rows) - len(todo)
    block: AbstractContextManager[object] = transaction.atomic() if atomic else nullcontext()
    with block:
        for row in todo:
            try:
                case, created = case_submit(
                    draft=row.draft(), by=by, idempotency_key=row.idempotency_key
                )
            except IdempotencyKeyReused:  # a changed copy of the row, imported meanwhile
                report.skipped_existing += 1
                continue
            if created:
                report.created += 1
                report.cases.append(case)
            else:  # another import of the same file got there first
                report.skipped_existing += 1
