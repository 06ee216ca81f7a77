"""Personal data in letters shown publicly: phone numbers, ID numbers, e-mail addresses and
the sender's own name.

`mask(text)` replaces each number and address with a label a reader understands
("[số điện thoại]"); `mask_public(text, names=...)` is what every public output uses (Open311,
the public REST endpoints): the same, and the sender's names taken out too. `find(text)`
says where they are, for a reviewer who wants to see them highlighted.

What counts:
- phone: a Vietnamese mobile (0 + 3/5/7/8/9 + 8 digits) or landline (02xx + 7 or 8
  digits, 11 digits in all), written with 0, +84, (+84), 0084 or 84 (then a stray 0 too:
  "+84 0912…"), with spaces, dots, dashes, underscores, slashes or brackets between the
  digits, mixed or not: "0912 345 678", "(024) 3825 1234", "0912_345_678", "0912/345/678";
- ID: a 12-digit citizen ID (whole, in groups of 3 or 4 separated by spaces, or, as it
  starts with the province's 0, by dots or dashes: "033.099.001.122") or a 9-digit old ID
  card number (whole, or dotted when it starts with 0);
- e-mail: name@domain.tld, also spelt out: "ten [at] gmail [dot] com", "ten (a còng)
  gmail chấm com", "ten @ gmail . com";
- name (`names=`): each name given, as a run of whole words, whatever its accents, case
  and spacing: "Nguyễn Văn An" also takes out "NGUYEN VAN AN". A one-word name is not
  looked for: a single Vietnamese word ("An", "Hoa") is too common in ordinary text.
Full-width digits and signs ("０９１２…", typed on some phone keyboards), other scripts'
digits and unusual spaces and dashes count as their ASCII forms.
A number inside a longer run of digits is not one of these, nor a number followed by a
unit or a currency ("840000000 đồng", "123456789 m2"); amounts written with dots
("1.200.000") never match an ID, nor dates a phone ("05/2020 - 2021").

Every pattern runs in time linear in the text (a 1 MB description must not hold a worker):
e-mail addresses are found from their "@" outwards, within the lengths RFC 5321 allows.
"""

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["phone", "id", "email", "name"]

LABELS: dict[Kind, str] = {
    "phone": "[số điện thoại]",
    "id": "[số định danh]",
    "email": "[email]",
    "name": "[họ tên]",
}

_NOT_AFTER_NUMBER = r"(?<!\d)(?<!\d[.,])"
_NOT_BEFORE_NUMBER = r"(?!\d)(?![.,_]\d)"
# What people put between digits: "(024) 3825-1234", "0912_345_678", "0912 / 345 / 678".
_GAP = r"(?:\)? ?[.\-_/]? ?)"
_UNIT = r"(?!\s{0,3}(?:đồng|đ|vnđ|vnd|usd|triệu|tỷ|tỉ|nghìn|ngàn|%|m2|m²|m|km|ha|kg|tấn)(?!\w))"

_PHONE = re.compile(
    _NOT_AFTER_NUMBER
    + r"(?:(?:\(?\+ ?84\)?|\b0084|\b84)"  # the country code, maybe with its 0 kept: +84 (0)912
    + _GAP
    + r"(?:\(?0\)?"
    + _GAP
    + r")?|\(?0)"
    + _GAP
    + r"(?:[35789](?:"
    + _GAP
    + r"\d){8}|2(?:"
    + _GAP
    + r"\d){9})"
    + _NOT_BEFORE_NUMBER
)
_ID = re.compile(
    _NOT_AFTER_NUMBER
    + r"(?:\d{12}|\d{3}(?: \d{3}){3}|\d{4}(?: \d{4}){2}|\d{9}"
    # Grouped by dots or dashes only when it starts with 0, as IDs do and amounts never.
    + r"|0\d{2}(?:[.\-_ ]\d{3}){3}|0\d{3}(?:[.\-_ ]\d{4}){2}|0\d{2}(?:[.\-_]\d{3}){2})"
    + _NOT_BEFORE_NUMBER
    + _UNIT,
    re.IGNORECASE,
)
# E-mail, from its "@" (or the words people write instead of it) outwards.
_AT = re.compile(
    r"\s{0,3}@\s{0,3}"
    r"|\s{0,3}[\[({]\s{0,3}(?:at|@|a còng|a móc)\s{0,3}[\])}]\s{0,3}"
    r"|\s{1,3}(?:at|a còng|a móc)\s{1,3}",
    re.IGNORECASE,
)
# A plain dot has spaces on both sides or none: "gmail.com. Xin" ends at "com".
_DOT = (
    r"(?:\.|\s{1,3}\.\s{1,3}"
    r"|\s{0,3}[\[({]\s{0,3}(?:dot|chấm|\.)\s{0,3}[\])}]\s{0,3}"
    r"|\s{1,3}(?:dot|chấm)\s{1,3})"
)
_LABEL = r"[A-Za-z0-9\-]{1,63}"
_DOMAIN = re.compile(
    _LABEL + r"(?:" + _DOT + _LABEL + r"){0,8}" + _DOT + r"[A-Za-z]{2,24}(?![\w\-])",
    re.IGNORECASE,
)
LOCAL_MAX = 64  # RFC 5321
DOMAIN_MAX = 320  # room for a 255-character domain written out with [dot]s
_PATTERNS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    ("phone", _PHONE),  # before IDs: "0912345678" is 10 digits, "84912345678" is 11
    ("id", _ID),
)
_DATE_SEPARATORS = re.compile(r"[.\-_]")
_FIRST_GROUP = re.compile(r"\(?(0\d*)\)? ?[./]")  # a domestic number's first group


@dataclass(frozen=True)
class Match:
    kind: Kind
    start: int
    end: int


def find(text: str, *, names: tuple[str, ...] | list[str] = ()) -> list[Match]:
    """Personal data in `text` (and the `names` given), in order, never overlapping."""
    plain = text.translate(_PLAIN)  # one character for one: positions stay the same
    found = _Found()
    for match in _emails(plain):  # first: an address may contain a phone number
        found.add(match)
    for kind, pattern in _PATTERNS:
        for hit in pattern.finditer(plain):
            if _plausible(kind, hit.group()):
                found.add(Match(kind, _bracket_kept(hit), hit.end()))
    for match in _names(text, names):
        found.add(match)
    return found.matches


def _bracket_kept(hit: re.Match[str]) -> int:
    """Where a match starts: an opening bracket belongs to it only with its closing one,
    "(024) 3825 1234"; in "(0912345678)" both stay around the label."""
    start = hit.start()
    return start + 1 if hit.group().startswith("(") and ")" not in hit.group() else start


def mask(text: str) -> str:
    """`text` with each phone number, ID number and e-mail address replaced by its label."""
    return _replace(text, find(text))


def mask_public(text: str, *, names: tuple[str, ...] | list[str] = ()) -> str:
    """What the public may read of a letter's text: `mask`, and each of `names` (the
    sender's name, their account's name) replaced by "[họ tên]" wherever it occurs, with
    or without accents, in any case. Every public output of the platform goes through it."""
    return _replace(text, find(text, names=names))


def _replace(text: str, matches: list[Match]) -> str:
    parts: list[str] = []
    position = 0
    for match in matches:
        parts.append(text[position : match.start])
        parts.append(LABELS[match.kind])
        position = match.end
    parts.append(text[position:])
    return "".join(parts)


class _Found:
    """Matches kept in order of position; one that overlaps a kept one is dropped (kinds
    are added in order of precedence). Bisection keeps a long text's many numbers cheap."""

    def __init__(self) -> None:
        self.matches: list[Match] = []
        self._starts: list[int] = []

    def add(self, match: Match) -> None:
        index = bisect.bisect_left(self._starts, match.start)
        before = self.matches[index - 1] if index else None
        after = self.matches[index] if index < len(self.matches) else None
        if (before and before.end > match.start) or (after and after.start < match.end):
            return
        self.matches.insert(index, match)
        self._starts.insert(index, match.start)


def _plausible(kind: Kind, piece: str) -> bool:
    """Dates are not phone numbers: a slash beside other separators ("05/2020 - 2021"), or
    a first group of two digits before a slash or a dot ("ngày 05/12/2021 15 giờ")."""
    if kind != "phone":
        return True
    if "/" in piece and _DATE_SEPARATORS.search(piece):
        return False
    first = _FIRST_GROUP.match(piece)
    return first is None or len(first.group(1)) > 2


def _emails(plain: str) -> list[Match]:
    found: list[Match] = []
    for at in _AT.finditer(plain):
        start = _local_start(plain, at.start())
        domain = _DOMAIN.match(plain, at.end(), at.end() + DOMAIN_MAX)
        if start < at.start() and domain and (not found or found[-1].end <= start):
            found.append(Match("email", start, domain.end()))
    return found


def _local_start(plain: str, end: int) -> int:
    """Where the name before an "@" starts: a backward walk of at most LOCAL_MAX characters
    (a regex searching backwards from every "@" would take quadratic time)."""
    start = end
    while start > max(0, end - LOCAL_MAX) and _is_local(plain[start - 1]):
        start -= 1
    while start < end and plain[start] == ".":  # a name does not start with a dot
        start += 1
    return start


def _is_local(char: str) -> bool:
    return char.isalnum() or char in "_.%+-"


# Names


def _names(text: str, names: tuple[str, ...] | list[str]) -> list[Match]:
    patterns = [p for p in (_name_pattern(name) for name in names) if p is not None]
    if not patterns:
        return []
    folded = text.translate(_FOLD)
    # Most text folds one character for one; else each folded character's origin is needed.
    origin = None if len(folded) == len(text) else _origins(text)
    found = []
    for pattern in patterns:
        for hit in pattern.finditer(folded):
            start, last = hit.start(), hit.end() - 1
            if origin is not None:
                start, last = origin[start], origin[last]
            found.append(Match("name", start, last + 1))
    return found


def _name_pattern(name: str) -> re.Pattern[str] | None:
    words = name.translate(_FOLD).split()
    if len(words) < 2:
        return None
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)")


def _origins(text: str) -> list[int]:
    """For each character of the folded text, the position in `text` it came from (a
    character may fold to none, as a lone accent does, or to several)."""
    origin: list[int] = []
    for position, char in enumerate(text):
        origin.extend([position] * len(_FOLD[ord(char)]))
    return origin


class _FoldTable(dict[int, str]):
    """For str.translate: each character lower-cased without its accents ("Ễ" -> "e")."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        decomposed = unicodedata.normalize("NFD", "d" if char in "đĐ" else char)
        self[code] = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
        return self[code]


_FOLD = _FoldTable()


# Characters that stand for ASCII ones


class _PlainTable(dict[int, int]):
    """For str.translate: full-width forms, other scripts' digits, unusual spaces and
    dashes to their ASCII forms; every other character to itself. Built as characters
    are met, so the table holds only those seen."""

    def __missing__(self, code: int) -> int:
        self[code] = _plain_code(code)
        return self[code]


def _plain_code(code: int) -> int:
    char = chr(code)
    if 0xFF01 <= code <= 0xFF5E:  # full-width ASCII
        return code - 0xFEE0
    if char.isdecimal() and not char.isascii():
        return ord(str(unicodedata.decimal(char)))
    if code in (0x00A0, 0x2007, 0x2009, 0x202F, 0x3000):  # no-break, figure, thin spaces
        return ord(" ")
    if 0x2010 <= code <= 0x2015 or code == 0x2212:  # hyphens, dashes, minus
        return ord("-")
    return code


_PLAIN = _PlainTable()

# --- A denouncer's own details in the letter they wrote ------------------------------------
#
# Full-width digits and plus signs are read as their ASCII forms on a copy of the same
# length, so every match maps back to the same characters of the original.

_WIDE = str.maketrans("０１２３４５６７８９＋", "0123456789+")
_SENDER_GAP = r"[ .\-_/()\u00a0]{0,2}"  # what may sit between two digits of a phone or an ID


def _replace_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
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
    body = _SENDER_GAP.join(digits)
    prefix = r"(?:(?:\(?(?:\+|00)?84\)?|0)" + _SENDER_GAP + r")?" if phone else ""
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
    e-mail address and ID number by its label (`mask`).

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
    spans += [(m.start, m.end, LABELS[m.kind]) for m in find(text)]
    return _replace_spans(text, _widest_first(spans))


def _widest_first(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """At one start, the longest span wins (the sender's label before a shorter contact)."""
    return sorted(spans, key=lambda span: (span[0], -(span[1] - span[0]), span[2] != SENDER_LABEL))
