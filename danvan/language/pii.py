"""Personal data in letters shown publicly: phone numbers, ID numbers, e-mail addresses.

`mask(text)` replaces each with a label a reader understands ("[số điện thoại]");
`find(text)` says where they are, for a reviewer who wants to see them highlighted.

What counts:
- phone: a Vietnamese mobile (0 + 3/5/7/8/9 + 8 digits) or landline (02xx + 7 or 8
  digits, 11 digits in all), written with 0, +84, (+84), 0084 or 84, with spaces, dots,
  dashes or brackets between the digits: "0912 345 678", "(024) 3825 1234", "+84-912-345-678";
- ID: a 12-digit citizen ID (written whole or in groups of 3 or 4 separated by spaces) or a
  9-digit old ID card number (written whole);
- e-mail: name@domain.tld.
A number inside a longer run of digits is not one of these, nor a number followed by a
unit or a currency ("840000000 đồng", "123456789 m2"); dates and amounts written with dots
("1.200.000") never match an ID.
"""

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["phone", "id", "email"]

LABELS: dict[Kind, str] = {
    "phone": "[số điện thoại]",
    "id": "[số định danh]",
    "email": "[email]",
}

_NOT_AFTER_NUMBER = r"(?<!\d)(?<!\d[.,])"
_NOT_BEFORE_NUMBER = r"(?!\d)(?![.,]\d)"
_SEP = r"(?:\)?[ .\-]?)"  # what people put between digits: "(024) 3825-1234"
_UNIT = r"(?!\s*(?:đồng|đ|vnđ|vnd|usd|triệu|tỷ|tỉ|nghìn|ngàn|%|m2|m²|m|km|ha|kg|tấn)(?!\w))"

_EMAIL = re.compile(r"[\w.%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}(?![\w\-])")
_PHONE = re.compile(
    _NOT_AFTER_NUMBER
    + r"(?:\(?\+84\)?|\b0084|\b84|\(?0)"
    + _SEP
    + r"(?:[35789](?:"
    + _SEP
    + r"\d){8}|2(?:"
    + _SEP
    + r"\d){9})"
    + _NOT_BEFORE_NUMBER
)
_ID = re.compile(
    _NOT_AFTER_NUMBER
    + r"(?:\d{12}|\d{3}(?: \d{3}){3}|\d{4}(?: \d{4}){2}|\d{9})"
    + _NOT_BEFORE_NUMBER
    + _UNIT,
    re.IGNORECASE,
)
_PATTERNS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    ("email", _EMAIL),  # first: an address may contain a phone number
    ("phone", _PHONE),  # before IDs: "0912345678" is 10 digits, "84912345678" is 11
    ("id", _ID),
)


@dataclass(frozen=True)
class Match:
    kind: Kind
    start: int
    end: int


def find(text: str) -> list[Match]:
    """Personal data in `text`, in order, never overlapping."""
    found: list[Match] = []
    for kind, pattern in _PATTERNS:
        for hit in pattern.finditer(text):
            if not any(hit.start() < m.end and m.start < hit.end() for m in found):
                found.append(Match(kind, hit.start(), hit.end()))
    return sorted(found, key=lambda m: m.start)


def mask(text: str) -> str:
    """`text` with each piece of personal data replaced by its label."""
    parts: list[str] = []
    position = 0
    for match in find(text):
        parts.append(text[position : match.start])
        parts.append(LABELS[match.kind])
        position = match.end
    parts.append(text[position:])
    return "".join(parts)
