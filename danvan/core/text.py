"""Small text helpers shared by every app (the language app builds the full toolkit).

`clean_input` is the one normaliser every edge applies to what people and systems send
(web forms, the REST API, Open311, spreadsheet imports, the reception logbook), and
`clean_output` makes text stored before it existed safe for XML and JSON. Pure Python:
the messages people read are in `danvan.core.forms`, by the codes raised here.

What happens to each class of character, and why:

- Refused (`control_character`): the C0 controls other than tab, line feed and carriage
  return (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F), DEL (U+007F) and the C1 controls
  (U+0080-U+009F). No keyboard types them into a letter; one arrives from a broken client or
  from someone probing, and XML 1.0 cannot carry most of them (one of them in a description
  made the public Open311 feed unparseable for everyone). Removing them silently could join
  two words or hide what was meant, so the sender is told and nothing is stored.
- Refused (`invalid_text`): lone surrogates (U+D800-U+DFFF, only reachable through a JSON
  `\\ud800` escape) and the noncharacters (U+FDD0-U+FDEF and the last two code points of
  every plane). They are not text: no database stores them and no encoder writes them.
- Removed: invisible formatting that changes how text reads without being seen, i.e. every
  character of Unicode's "format" category Cf (bidi embeddings and overrides U+202A-U+202E,
  isolates U+2066-U+2069, marks U+200E, U+200F, U+061C, the zero-width space, non-joiner and
  joiner U+200B-U+200D, word joiner and invisible operators U+2060-U+2064, the byte order
  mark U+FEFF, the soft hyphen U+00AD, interlinear annotations, tag characters
  U+E0000-U+E007F...), plus the Hangul fillers and the combining grapheme joiner, which
  render as nothing. A name written "Nguyễn\u202eAn" must not show to an officer as
  another name. Vietnamese needs none of them, the zero-width joiner included (it only
  glues emoji sequences, which fall apart into their emoji), and they come from copy and
  paste far more often than from intent, so they are dropped without a word.
- Folded: CR LF and CR become LF; the line and paragraph separators U+2028 and U+2029
  become LF. In a single-line field (a name, a subject) line breaks and tabs become spaces.
- Composed: the result is NFC, the one form the platform stores ("ệ" is one code point).
"""

import re
import unicodedata

_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "D"})

CONTROL_CHARACTER = "control_character"
INVALID_TEXT = "invalid_text"
# Characters: a longer text is refused by its length before anything reads it (every text
# field is limited to far less), so a megabyte sent to any field costs next to nothing.
SCAN_MAX = 100_000

_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_INVALID = "\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"  # and U+1FFFE, U+1FFFF... (see _astral)
# Unicode 15's category Cf (a test checks it against unicodedata), the Hangul fillers, CGJ.
_INVISIBLE = (
    "\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb"
)
_INVISIBLE_ASTRAL = frozenset(
    [0x110BD, 0x110CD, *range(0x13430, 0x13440), *range(0x1BCA0, 0x1BCA4),
     *range(0x1D173, 0x1D17B), 0xE0001, *range(0xE0020, 0xE0080)]
)  # fmt: skip
# Past U+FFFF one character at a time: a class holding such characters makes a search some
# thirty times slower, and a megabyte pasted into a field must not cost a fifth of a second.
_ASCII_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_REFUSED = re.compile(f"[{_CONTROLS}{_INVALID}]")
_CONTROL = re.compile(f"[{_CONTROLS}]")
_REMOVED = re.compile(f"[{_INVISIBLE}]")
_UNSAFE = re.compile(f"[{_CONTROLS}{_INVALID}{_INVISIBLE}]")  # refused or removed
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_LINE_BREAKS = ("\r\n", "\r", "\u2028", "\u2029")


class TextRefused(ValueError):
    """`code` is CONTROL_CHARACTER or INVALID_TEXT; `position` counts characters from 1."""

    def __init__(self, code: str, char: str, position: int) -> None:
        super().__init__(code, char, position)
        self.code, self.char, self.position = code, char, position

    @property
    def code_point(self) -> str:
        return f"U+{ord(self.char):04X}"

    def __str__(self) -> str:
        return f"{self.code}: {self.code_point} at character {self.position}"


def fold(text: str) -> str:
    """Lower-case, diacritics-free form of Vietnamese text: "Hưng Yên" -> "hung yen"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def clean_input(text: str, *, multiline: bool = True) -> str:
    """The text as the platform stores it; TextRefused for a character nobody types."""
    _refuse(text)
    text = _fold_lines(text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", _ASTRAL.sub(_astral, _REMOVED.sub("", text)))
    return text if multiline else text.replace("\n", " ").replace("\t", " ")


def _refuse(text: str) -> None:
    if text.isascii():
        found = _ASCII_REFUSED.search(text)
    else:
        nonchars = (m for m in _ASTRAL.finditer(text) if _is_noncharacter(m.group()))
        found = min(filter(None, (_REFUSED.search(text), next(nonchars, None))),
                    key=lambda m: m.start(), default=None)  # fmt: skip
    if found is not None:
        code = CONTROL_CHARACTER if _CONTROL.match(found.group()) else INVALID_TEXT
        raise TextRefused(code, found.group(), found.start() + 1)


def _astral(match: re.Match[str]) -> str:
    """A character past U+FFFF as `clean_output` keeps it: a noncharacter (U+1FFFE...) and
    invisible formatting (tags, Egyptian and musical format controls) become ""."""
    char = match.group()
    return "" if _is_noncharacter(char) or ord(char) in _INVISIBLE_ASTRAL else char


def _is_noncharacter(char: str) -> bool:
    return ord(char) & 0xFFFE == 0xFFFE  # the last two code points of a plane


def _fold_lines(text: str) -> str:
    for line_break in _LINE_BREAKS:
        text = text.replace(line_break, "\n")
    return text


def clean_output(text: str) -> str:
    """Stored text with everything `clean_input` would refuse or remove taken out, so that
    XML and JSON written from it always parse, whenever and however it was stored."""
    text = _fold_lines(text)
    if text.isascii():
        return _ASCII_REFUSED.sub("", text)
    return _ASTRAL.sub(_astral, _UNSAFE.sub("", text))


def is_clean(text: str) -> bool:
    """Whether `text` holds nothing `clean_input` refuses, removes or folds."""
    return clean_output(text) == text


def is_number(text: str) -> bool:
    """ASCII digits only: `"²".isdigit()` is true, yet `int("²")` raises."""
    return text.isascii() and text.isdigit()


def parse_id(text: str | None) -> int | None:
    """A row id from a URL or a form, or None: ASCII digits that fit a 64-bit column (a
    longer number overflows SQLite's integers, and past 4300 digits `int()` refuses)."""
    return int(text) if text and is_number(text) and len(text) <= 18 else None
