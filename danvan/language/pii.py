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
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

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


# --- Contact details anywhere (log lines, console backends, a denouncer's letter) ----------
#
# Broader than `find`, which is tuned for public texts: a phone written with underscores,
# slashes, dots or full-width digits ("0912_345_678", "0912/345/678", "０９１２３４５６７８"),
# an ID written in groups of three or four with spaces, dots or dashes ("033.099.001.122").
# Full-width digits and plus signs are read as their ASCII forms on a copy of the same
# length, so every match maps back to the same characters of the original.

_WIDE = str.maketrans("０１２３４５６７８９＋", "0123456789+")
_GAP = r"[ .\-_/()\u00a0]{0,2}"  # what may sit between two digits of a phone or an ID
_CONTACT_PHONE = re.compile(
    # A bracket is taken only with its closing one: "(+84)", "(024)"; "(0912345678)" keeps it.
    r"(?<![\d+])(?:\((?:\+|00)?84\)|(?:\+|00)?84|\(0(?=\d{1,4}\))|0)"
    + _GAP
    + r"(?:[35789](?:"
    + _GAP
    + r"\d){8}|2(?:"
    + _GAP
    + r"\d){9})(?!\d)"
)
_ID_GAP = r"[ .\-_/]"
_CONTACT_ID = re.compile(
    _NOT_AFTER_NUMBER
    + r"(?:\d{12}|\d{3}(?:"
    + _ID_GAP
    + r"\d{3}){3}|\d{4}(?:"
    + _ID_GAP
    + r"\d{4}){2}|\d{9})"
    + _NOT_BEFORE_NUMBER
    + _UNIT,
    re.IGNORECASE,
)
_CONTACT_PATTERNS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    ("email", _EMAIL),
    ("phone", _CONTACT_PHONE),
    ("id", _CONTACT_ID),
)


def find_contacts(text: str) -> list[Match]:
    """Phones, e-mail addresses and ID numbers in `text` in any common writing, in order."""
    plain = text.translate(_WIDE)
    found: list[Match] = []
    for kind, pattern in _CONTACT_PATTERNS:
        for hit in pattern.finditer(plain):
            if not any(hit.start() < m.end and m.start < hit.end() for m in found):
                found.append(Match(kind, hit.start(), hit.end()))
    return sorted(found, key=lambda m: m.start)


def mask_contacts(text: str) -> str:
    """`text` with every phone, e-mail address and ID number replaced by its label.

    For log lines and the development mail and SMS backends: masking twice changes nothing.
    """
    return _replace(text, [(m.start, m.end, LABELS[m.kind]) for m in find_contacts(text)])


def _replace(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Replace each (start, end, label) of `text`, spans in order of their start; spans that
    overlap become one, under the label of the first (the sender's label, if one is it)."""
    merged: list[list[Any]] = []
    for start, end, label in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            if label == SENDER_LABEL:
                merged[-1][2] = label
        else:
            merged.append([start, end, label])
    parts: list[str] = []
    position = 0
    for start, end, label in merged:
        parts += [text[position:start], label]
        position = end
    parts.append(text[position:])
    return "".join(parts)


# --- A denouncer's own details in the letter they wrote ------------------------------------

SENDER_LABEL = "[thông tin người tố cáo]"
_FOLD_ONE = {"đ": "d", "Đ": "d"}


def _fold_char(char: str) -> str:
    """One character lower-cased without diacritics, still one character (positions hold)."""
    if char in _FOLD_ONE:
        return _FOLD_ONE[char]
    base = unicodedata.normalize("NFD", char.translate(_WIDE))[:1].lower()
    return base if len(base) == 1 else char


def _folded(text: str) -> str:
    return "".join(_fold_char(char) for char in text)


def _words_pattern(value: str) -> re.Pattern[str] | None:
    """A name or an address as words in order, whatever the accents, case and punctuation
    between them; None for a single word (one given name would hide every "An" and "Bình")."""
    words = re.findall(r"[^\W_]+", _folded(unicodedata.normalize("NFC", value)))
    if len(words) < 2:
        return None
    return re.compile(r"(?<![^\W_])" + r"[\W_]+".join(map(re.escape, words)) + r"(?![^\W_])")


def _digits_pattern(value: str, *, phone: bool) -> re.Pattern[str] | None:
    """A phone (with any prefix: 0, 84, +84, 0084) or an ID number, in any spacing."""
    digits = re.sub(r"\D", "", value.translate(_WIDE))
    if phone:
        digits = re.sub(r"^(?:0084|84|0)", "", digits)
    if len(digits) < 8:
        return None
    body = _GAP.join(digits)
    prefix = r"(?:(?:\(?(?:\+|00)?84\)?|0)" + _GAP + r")?" if phone else ""
    return re.compile(r"(?<!\d)" + prefix + body + r"(?!\d)")


def sender_patterns(sender: dict[str, str]) -> list[re.Pattern[str]]:
    """What finds the sender's own name, address, phone, e-mail and ID number in a text."""
    patterns = [
        _words_pattern(sender.get("name", "")),
        _words_pattern(sender.get("address", "")),
        _digits_pattern(sender.get("phone", ""), phone=True),
        _digits_pattern(sender.get("id_number", ""), phone=False),
    ]
    email = sender.get("email", "").strip().lower()
    if email:
        patterns.append(re.compile(r"(?<![\w.%+\-])" + re.escape(email) + r"(?![\w\-])"))
    return [pattern for pattern in patterns if pattern is not None]


def mask_sender(text: str, *senders: dict[str, str]) -> str:
    """`text` with the senders' own details replaced by SENDER_LABEL, and every other phone,
    e-mail address and ID number by its label (`mask_contacts`).

    Names and addresses are found whatever their accents and letter case ("tran van binh",
    "TRẦN VĂN BÌNH"), phones whatever their prefix and spacing ("0913 000 111").
    """
    text = unicodedata.normalize("NFC", text)
    folded = _folded(text)
    spans = [
        (hit.start(), hit.end(), SENDER_LABEL)
        for sender in senders
        for pattern in sender_patterns(sender)
        for hit in pattern.finditer(folded)
    ]
    spans += [(m.start, m.end, LABELS[m.kind]) for m in find_contacts(text)]
    return _replace(text, _widest_first(spans))


def _widest_first(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """At one start, the longest span wins (the sender's label before a shorter contact)."""
    return sorted(spans, key=lambda span: (span[0], -(span[1] - span[0]), span[2] != SENDER_LABEL))
