"""Reading a logbook file into rows of cells, in pure Python (no Django, no database).

CSV (UTF-8 with or without BOM, UTF-16, Windows-1258; `,`, `;` or tab) or the first sheet of
an XLSX workbook. The header row may sit under a few title rows; headers match case- and
accent-insensitively. A problem is raised as `Invalid` carrying a `Text`: an English message
marked for translation, translated where it is shown (`checking.shown`).
"""

import codecs
import csv
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from xml.etree.ElementTree import ParseError

from danvan.core.text import fold

from .columns import COLUMNS, HEADERS, header_key

HEADER_SCAN = 10  # title rows a logbook may carry above its header
BLANK_RUN_MAX = 500  # formatted but empty rows at the end of a sheet: stop reading

Cell = str | date


def mark(template: str) -> str:
    """Marks a message for makemessages (imported as `_`); it is translated when shown."""
    return template


_ = mark


@dataclass(frozen=True)
class Text:
    """A message to translate (`template`, an msgid) and the values of its {placeholders}."""

    template: str
    params: tuple[tuple[str, object], ...] = ()


def text(template: str, **params: object) -> Text:
    return Text(template, tuple(params.items()))


class Invalid(Exception):
    """A cell, a row or the file cannot be read; `message` says why (a `Text`, or a message
    a Django validator already translated), `row` where (0: the file as a whole)."""

    def __init__(self, message: object, row: int = 0) -> None:
        super().__init__(message)
        self.message, self.row = message, row


@dataclass(frozen=True)
class Sheet:
    columns: dict[str, int]  # field -> index of its column
    headers: dict[str, str]  # field -> header as written
    rows: list[tuple[int, list[Cell]]]  # (row number, cells), empty rows left out


def sheet_read(data: bytes, *, max_rows: int) -> Sheet:
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # the pre-2007 binary Excel format
        raise Invalid(text(_("This is an old Excel file (.xls). Save it as .xlsx or CSV UTF-8.")))
    rows = _xlsx_rows(data) if data.startswith(b"PK\x03\x04") else _csv_rows(data)
    header_row, cells = _header_find(rows)
    columns = header_map(cells)
    missing = [c.header for c in COLUMNS if c.required and c.field not in columns]
    if missing:
        message = text(
            _("Columns missing from the header row: {columns}."), columns=", ".join(missing)
        )
        raise Invalid(message, row=header_row)
    headers = {name: str(cells[index]) for name, index in columns.items()}
    return Sheet(columns, headers, _body_read(rows, first=header_row + 1, max_rows=max_rows))


def _header_find(rows: Iterator[list[Cell]]) -> tuple[int, list[Cell]]:
    for number, cells in enumerate(rows, start=1):
        if len(header_map(cells)) >= 2:
            return number, cells
        if number == HEADER_SCAN:
            break
    headers = ", ".join(c.header for c in COLUMNS if c.required)
    message = _("No header row found. The first row must name the columns: {headers}...")
    raise Invalid(text(message, headers=headers), row=1)


def header_map(cells: list[Cell]) -> dict[str, int]:
    """Field -> index of the first column whose header names it."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = HEADERS.get(header_key(cell)) if isinstance(cell, str) else None
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
        if blank_run > BLANK_RUN_MAX:
            break
        if blank_run:
            continue
        body.append((number, cells))
        if len(body) > max_rows:
            message = _("The file has more than {count} letters. Split it into smaller files.")
            raise Invalid(text(message, count=max_rows))
    return body


def _xlsx_rows(data: bytes) -> Iterator[list[Cell]]:
    # Imported here: openpyxl takes half a second to import, and every process would pay it.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for values in book.worksheets[0].iter_rows(values_only=True):
                yield [cell(value) for value in values]
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
        message = _("The spreadsheet cannot be read. Save it again as .xlsx.")
        raise Invalid(text(message)) from error


def cell(value: object) -> Cell:
    """A spreadsheet value as a cell: a date, or text composed (NFC) and stripped."""
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
    decoded = unicodedata.normalize("NFC", decode(data))
    # The separator that yields a header row. Sniffing character frequencies fails on
    # Vietnamese letters, which are full of commas.
    delimiter = max(",;\t", key=lambda d: _header_score(decoded, d))
    try:
        for values in csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter):
            yield [value.strip() for value in values]
    except csv.Error as error:
        message = _("The CSV file is damaged. Save it again as CSV UTF-8.")
        raise Invalid(text(message)) from error


def _header_score(decoded: str, delimiter: str) -> int:
    reader = csv.reader(io.StringIO(decoded[:20_000], newline=""), delimiter=delimiter)
    try:
        rows = itertools.islice(reader, HEADER_SCAN)
        return max((len(header_map(list(row))) for row in rows), default=0)
    except csv.Error:
        return 0


def decode(data: bytes) -> str:
    boms = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    # Windows-1258: CSV saved by an older Vietnamese Excel without "UTF-8".
    encodings = ("utf-16",) if data.startswith(boms) else ("utf-8-sig", "cp1258")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    message = _("The file is not in a known text encoding. Save it as CSV UTF-8.")
    raise Invalid(text(message))


_COMMUNE_PREFIX = re.compile(r"^(?:xa|phuong|thi tran|dac khu|tt|p|x)(?:\.\s*|\s+)")
_DISTRICT_PREFIX = re.compile(r"^(?:huyen|quan|thi xa|thanh pho|tp)(?:\.\s*|\s+)")


def commune_and_district(written: str) -> tuple[str, str]:
    """ "Minh Tân (Hưng Hà)" or "xã Minh Tân, huyện Hưng Hà, ..." -> ("minh tan", "hung ha")."""
    if match := re.fullmatch(r"(.*?)\s*\((.*)\)", written):
        name, district = match[1], match[2]
    else:
        name, _comma, rest = written.partition(",")
        district = rest.split(",")[0]
    return fold(name), _DISTRICT_PREFIX.sub("", fold(district), count=1)


def commune_bare(name: str) -> str:
    """A folded commune name without its "xã", "phường"... prefix."""
    return _COMMUNE_PREFIX.sub("", name, count=1)
