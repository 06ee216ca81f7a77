"""Vietnamese text normalisation: one Unicode form, one tone-mark placement, one folded form.

Three forms of a text matter to the platform:
- `normalize(text)`: what is stored and shown (clean, NFC, one tone placement);
- `search_form(text)`: what is indexed and compared (the normal form, lower-cased, without
  diacritics, "đ" -> "d"), so "giai phong mat bang" meets "giải phóng mặt bằng";
- `tokens(text)`: the words of either form.

Tone placement follows the traditional rule used by administrative documents and by the
platform's own vocabulary ("Ủy ban", "hòa giải"): in an open syllable "oa", "oe" and "uy"
carry the mark on their first vowel ("hòa", "khỏe", "thủy"); a vowel with a hat or a horn
always carries it ("thuở", "người"); otherwise the last vowel before a final consonant
("hoàng", "quyết"). Old-software and textbook variants ("hoà", "khoẻ", "thuỷ", "qúy") are
rewritten to that one placement, so the same word is stored one way.
"""

import re
import unicodedata
from functools import lru_cache

# The five tone marks as combining characters: grave, acute, hook above, tilde, dot below.
_TONES = frozenset("\u0300\u0301\u0309\u0303\u0323")
_VOWELS = frozenset("aăâeêioôơuưy")
_HAT_OR_HORN = frozenset("ăâêôơư")
_ONSETS = frozenset(
    {"b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n"}
    | {"ng", "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"}
)
_CODAS = frozenset(["", "c", "ch", "m", "n", "ng", "nh", "p", "t"])
# Vowel groups by whether a final consonant may follow: "tai" but not "tait", "tiên" but
# not "tiê". A word outside these ("Xêút", a transliteration) is left as written.
_VOWELS_OPEN = frozenset(
    {"ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui"}
    | {"ưa", "ưi", "ưu", "uơ", "iêu", "yêu", "oai", "oay", "oeo", "uây", "uôi", "uya", "uyu"}
    | {"ươi", "ươu"}
)
_VOWELS_CLOSED = frozenset({"ă", "â", "iê", "yê", "oă", "oo", "uâ", "uô", "ươ", "uyê"})
_VOWELS_EITHER = frozenset(
    {"a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uê", "uy"}
)
# Open two-vowel syllables whose mark sits on the second vowel. Empty: "hòa", "khỏe", "thủy".
# The 2018 textbook rule (QĐ 1989/QĐ-BGDĐT) writes "hoà", "khoẻ", "thuỷ"; to follow it
# instead, put "oa", "oe" and "uy" here.
_MARK_SECOND_OF_PAIR: frozenset[str] = frozenset()

_WORD = re.compile(r"(?P<skip>\S*(?:://|www\.|@)\S*)|(?<!\w)(?P<word>[^\W\d_]+)(?!\w)")
_ZWJ = "\u200d"
# Control characters (not newline or tab), zero-width and bidi format characters, soft hyphen.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACE_BEFORE_PUNCT = re.compile(r" +(?=[,.;:!?…)\]])")
_REPEATED_PUNCT = re.compile(r"([!?,;:])\1+")
_LONG_DOTS = re.compile(r"\.{4,}")
_NO_SPACE_AFTER_COMMA = re.compile(r"(?<=[^\W\d_])([,;])(?=[^\W\d_])")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+")


def _fold_table() -> dict[int, str]:
    """Every Latin letter with diacritics mapped to its bare letter; combining marks dropped."""
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for start, end in ((0x00C0, 0x0250), (0x1E00, 0x1F00)):
        for code in range(start, end):
            base = unicodedata.normalize("NFD", chr(code))[0]
            if base != chr(code) and base.isascii():
                table[code] = base
    for code in range(0x0300, 0x0370):
        table[code] = ""
    return table


_FOLD = _fold_table()


def nfc(text: str) -> str:
    """Composed Unicode: phones and macOS often send Vietnamese letters decomposed."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case without diacritics: "Đường Hòa Bình" -> "duong hoa binh".

    For Vietnamese text the result has the same length as `nfc(text)`, so an offset in one
    is an offset in the other (useful to highlight a match in the displayed text).
    """
    return nfc(text).lower().translate(_FOLD)


def clean(text: str) -> str:
    """Remove invisible and control characters, collapse spaces, tidy punctuation runs.

    Paragraphs survive (at most one blank line between them); "!!!" becomes "!", "....."
    becomes "...", no space is left before a comma or a full stop, and a comma squeezed
    between two words gets its space ("chào,bạn" -> "chào, bạn"; "1,5" is a number).
    """
    text = _strip_invisible(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _HORIZONTAL_SPACE.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    text = _REPEATED_PUNCT.sub(r"\1", _LONG_DOTS.sub("...", text))
    text = _SPACE_BEFORE_PUNCT.sub("", text)
    return _NO_SPACE_AFTER_COMMA.sub(r"\1 ", text)


def _strip_invisible(text: str) -> str:
    return _INVISIBLE.sub(_keep_emoji_joiner, text)


def _keep_emoji_joiner(match: re.Match[str]) -> str:
    start = match.start()
    if match.group() == _ZWJ and start and _is_emoji_part(match.string[start - 1]):
        return _ZWJ  # joins an emoji sequence (family, flags): not ours to break
    return ""


def _is_emoji_part(char: str) -> bool:
    return unicodedata.category(char) in ("So", "Sk", "Mn")


def tone_normalize(text: str) -> str:
    """One tone-mark placement for every Vietnamese word; anything else is left alone.

    Words with no mark, more than one mark, or letters that cannot form a Vietnamese
    syllable (foreign words, abbreviations), and chunks that look like a URL or an e-mail
    address, are returned unchanged.
    """
    return _WORD.sub(_replace_word, nfc(text))


def _replace_word(match: re.Match[str]) -> str:
    word = match.group("word")
    return match.group() if word is None else _place_tone(word)


@lru_cache(maxsize=65536)  # Vietnamese has a few thousand syllables: nearly every word is a hit
def _place_tone(word: str) -> str:
    if word.isascii() or len(word) > 7:
        return word
    letters: list[str] = []
    tones: list[str] = []
    for char in word:
        parts = unicodedata.normalize("NFD", char)
        tones.extend(mark for mark in parts[1:] if mark in _TONES)
        letters.append(unicodedata.normalize("NFC", "".join(m for m in parts if m not in _TONES)))
    if len(tones) != 1:
        return word
    position = _tone_position("".join(letters).lower())
    if position is None:
        return word
    letters[position] = unicodedata.normalize("NFC", letters[position] + tones[0])
    return "".join(letters)


def _tone_position(syllable: str) -> int | None:
    """Index of the letter that carries the tone mark in a bare lower-case syllable."""
    onset = _onset(syllable)
    if onset is None:
        return None
    rest = syllable[len(onset) :]
    nucleus = len(rest) - len(rest.lstrip("aăâeêioôơuưy"))
    vowels, coda = rest[:nucleus], rest[nucleus:]
    if coda not in _CODAS or not _is_rhyme(vowels, coda):
        return None
    return len(onset) + _vowel_index(vowels, has_coda=bool(coda))


def _is_rhyme(vowels: str, coda: str) -> bool:
    if vowels in _VOWELS_EITHER:
        return True
    return vowels in (_VOWELS_CLOSED if coda else _VOWELS_OPEN)


def _onset(syllable: str) -> str | None:
    """The initial consonant(s); "qu" and "gi" keep their vowel letter when a vowel follows."""
    for size in (3, 2, 1):
        head = syllable[:size]
        if head in _ONSETS and (head not in ("gi", "qu") or syllable[size : size + 1] in _VOWELS):
            return head
    if syllable[:1] in _VOWELS:
        return ""
    return None


def _vowel_index(vowels: str, *, has_coda: bool) -> int:
    marked = [i for i, vowel in enumerate(vowels) if vowel in _HAT_OR_HORN]
    if marked:
        return marked[-1]  # "ươ" -> ơ, "uô" -> ô, "ưu" -> ư
    if has_coda:
        return len(vowels) - 1  # "hoàng", "thuật", "quýt"
    if len(vowels) == 3:
        return 1  # "ngoài", "khuỷu", "ngoẹo"
    return 1 if vowels in _MARK_SECOND_OF_PAIR else 0  # "mùa", "tài", "hòa", "thủy"


def normalize(text: str) -> str:
    """The form stored and displayed: clean, composed, one tone-mark placement."""
    return tone_normalize(nfc(clean(text)))


def search_form(text: str) -> str:
    """The form indexed and compared: `fold(normalize(text))`.

    Folding drops the tone marks that `tone_normalize` moves, so it is skipped here: the
    result is the same and a classifier or an index saves the time.
    """
    return fold(clean(text))


def tokens(text: str, *, folded: bool = False) -> list[str]:
    """Lower-case words (Vietnamese syllables) and numbers such as "1.200.000"."""
    return words(search_form(text) if folded else normalize(text).lower())


def words(form: str) -> list[str]:
    """The words of a text already in one of the forms above."""
    return _TOKEN.findall(form)
