"""Reading one cell as a value, in pure Python: text, a number of signers, a date.

Each raises `Invalid` with the message to show for that cell.
"""

import re
from collections.abc import Callable
from datetime import date, timedelta

from danvan.core.text import is_number

from .reading import Cell, Invalid, text
from .reading import mark as _

_EXCEL_EPOCH = date(1899, 12, 30)  # serial day 0, as Excel counts for dates after 1900
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")


def line(cell: Cell) -> str:
    """The cell on one line: a date as dd/mm/yyyy, runs of spaces and breaks as one space."""
    return cell.strftime("%d/%m/%Y") if isinstance(cell, date) else " ".join(cell.split())


def text_field(
    limit: int, required: object = None, *, multiline: bool = False
) -> Callable[[Cell], str]:
    """A parser of text up to `limit` characters; `required` is the message when empty."""

    def parse(cell: Cell) -> str:
        value = cell.strip() if isinstance(cell, str) and multiline else line(cell)
        if required and not value:
            raise Invalid(required)
        if len(value) > limit:
            raise Invalid(text(_("Too long: at most {limit} characters."), limit=limit))
        return value

    return parse


def signers(cell: Cell) -> int:
    value = line(cell)
    if not value:
        return 1
    if not is_number(value) or not 1 <= int(value) <= 32767:
        raise Invalid(text(_("Write the number of signers as a whole number, 1 or more.")))
    return int(value)


def day(cell: Cell) -> date:
    """A date cell, dd/mm/yyyy, yyyy-mm-dd or an Excel serial day number."""
    if isinstance(cell, date):
        return cell
    value = cell.strip()
    if is_number(value) and len(value) == 5:  # a date cell saved as its Excel serial number
        return _EXCEL_EPOCH + timedelta(days=int(value))
    try:
        if match := _DMY.fullmatch(value):
            return date(int(match[3]), int(match[2]), int(match[1]))
        if match := _YMD.fullmatch(value):
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass  # 31/02/2024: reported as not a date, below
    message = _("“{value}” is not a date. Write it as dd/mm/yyyy, for example 05/03/2024.")
    raise Invalid(text(message, value=value))
