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

_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_INVALID = "\ud800-\udfff" + _NONCHARACTERS
# Unicode 15's category Cf (a test checks it against unicodedata), Hangul fillers, CGJ.
_FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
)
_INVISIBLE = _FORMAT + "\u034f\u115f\u1160\u3164\uffa0"

_REFUSED = re.compile(f"(?P<control>[{_CONTROLS}])|(?P<invalid>[{_INVALID}])")
_REMOVED = re.compile(f"[{_INVISIBLE}]")
_LINE_BREAK = re.compile("\r\n?|[\u2028\u2029]")
_LINE_SPACE = re.compile("[\n\t]")
# Everything `clean_input` refuses or removes, for text already stored.
_UNSAFE = re.compile(f"[{_CONTROLS}{_INVALID}{_INVISIBLE}]")


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
    refused = _REFUSED.search(text)
    if refused is not None:
        code = CONTROL_CHARACTER if refused.group("control") else INVALID_TEXT
        raise TextRefused(code, refused.group(), refused.start() + 1)
    text = _REMOVED.sub("", _LINE_BREAK.sub("\n", text))
    if not multiline:
        text = _LINE_SPACE.sub(" ", text)
    return unicodedata.normalize("NFC", text)


def clean_output(text: str) -> str:
    """Stored text with everything `clean_input` would refuse or remove taken out, so that
    XML and JSON written from it always parse, whenever and however it was stored."""
    return _UNSAFE.sub("", _LINE_BREAK.sub("\n", text))


def is_clean(text: str) -> bool:
    """Whether `text` holds nothing `clean_input` refuses or removes."""
    return _UNSAFE.search(text) is None and _LINE_BREAK.search(text) is None


def is_number(text: str) -> bool:
    """ASCII digits only: `"²".isdigit()` is true, yet `int("²")` raises."""
    return text.isascii() and text.isdigit()


def parse_id(text: str | None) -> int | None:
    """A row id from a URL or a form, or None: ASCII digits that fit a 64-bit column (a
    longer number overflows SQLite's integers, and past 4300 digits `int()` refuses)."""
    return int(text) if text and is_number(text) and len(text) <= 18 else None
