"""Where a query matches a text, for display: segments to mark, and a snippet around them.

Matching ignores accents, case and tone placement, like the search: "giai phong" marks
"giải phóng" and "hoà" marks "hòa". The text is folded character by character and every
match is mapped back to the characters it came from, so the text is shown exactly as it was
written, decomposed letters included. A query word found nowhere in the text marks the
text's most frequent typo variant of it instead (the search's rule, `is_typo_of`), so a
letter found through "bnag" shows "bằng" marked.

Results are (text, matched) segments, never HTML: a template escapes each part and wraps
the matched ones in <mark>.

Pure Python: no Django.
"""

import re
from collections import Counter
from functools import lru_cache

from .text import fold, tokens

Segment = tuple[str, bool]
Span = tuple[int, int]

MIN_TYPO_LENGTH = 3  # "ba", "to": one edit away from dozens of other words
LONG_TERM = 8  # no Vietnamese syllable is this long: names, foreign words, joined words
MAX_TYPO_LENGTH = 20  # longer: codes, links, pasted junk; guessing would cost thousands
ELLIPSIS = "…"
_WORD = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+")  # the words of `text.tokens`
_SPACE = re.compile(r"\s+")


def highlight(text: str, query: str) -> list[Segment]:
    """`text` cut into (part, matched) segments; the parts joined give `text` back."""
    return _segments(text, _spans(text, query), 0, len(text))


def snippet(text: str, query: str, width: int = 160) -> list[Segment]:
    """About `width` characters of `text` around its densest run of matches, as segments.

    Cut at spaces, with "…" where text was left out and runs of whitespace made one space.
    Without a match it is the beginning of the text.
    """
    spans = _spans(text, query)
    start, end = _window(text, spans, width)
    inside = [(s, e) for s, e in spans if start <= s and e <= end]
    parts = [(_SPACE.sub(" ", part), hit) for part, hit in _segments(text, inside, start, end)]
    if start > 0:
        parts.insert(0, (ELLIPSIS, False))
    if end < len(text):
        parts.append((ELLIPSIS, False))
    return parts


def typo_limit(term: str) -> int:
    """How many edits a word may be from `term` and still count as a typo of it.

    None for short and very long words and for numbers (a slip of "1200" is another
    amount), one edit, and two from LONG_TERM letters.
    """
    if not MIN_TYPO_LENGTH <= len(term) <= MAX_TYPO_LENGTH:
        return 0
    if not (term.isascii() and term.isalpha()):
        return 0
    return 2 if len(term) >= LONG_TERM else 1


def is_typo_of(word: str, term: str) -> bool:
    """`word` is within `typo_limit(term)` edits of the folded query word `term` and starts
    with the same letter (people rarely miss the first one)."""
    limit = typo_limit(term)
    if not limit or word == term or word[:1] != term[:1]:
        return False
    return edit_distance_within(word, term, limit)


def edit_distance_within(a: str, b: str, limit: int) -> bool:
    """Optimal string alignment distance (a swap of two neighbours is one edit) <= limit."""
    if abs(len(a) - len(b)) > limit:
        return False
    # What the two share at either end costs nothing: only the middle is aligned, so the
    # hundreds of near words PostgreSQL's trigram lookup returns are checked quickly.
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a, b = a[start : len(a) - end], b[start : len(b) - end]
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = int(a[i - 1] != b[j - 1])
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return False
        before, previous = previous, current
    return previous[-1] <= limit


def _spans(text: str, query: str) -> list[Span]:
    """Character ranges of `text` matching a query word, or standing in for a missing one."""
    terms = set(tokens(query, folded=True))
    if not terms:
        return []
    folded, origin = _folded_with_origin(text)
    found = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(folded)]
    seen = Counter(word for _, _, word in found)
    marked = terms | {_stand_in(term, seen) for term in terms - seen.keys()}
    spans = [(origin[start], origin[end]) for start, end, word in found if word in marked]
    return _merged(text, spans)


def _stand_in(term: str, seen: Counter[str]) -> str:
    """The word of the text most likely typed as `term`: its most frequent typo variant
    (like the search, which prefers frequent variants), or "" if there is none."""
    variants = [word for word in seen if is_typo_of(word, term)]
    return min(variants, key=lambda word: (-seen[word], word), default="")


def _folded_with_origin(text: str) -> tuple[str, list[int]]:
    """`text` folded, and for each folded character the index of the one it came from
    (plus the length of `text` at the end: where a match reaching the end stops)."""
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        parts.append(folded)
        origin.extend([index] * len(folded))
    origin.append(len(text))
    return "".join(parts), origin


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return fold(char)  # a combining mark folds to nothing, and is kept with its letter


def _merged(text: str, spans: list[Span]) -> list[Span]:
    """Neighbouring matches separated only by spaces become one: <mark>giải phóng</mark>."""
    merged: list[Span] = []
    for start, end in spans:
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _segments(text: str, spans: list[Span], start: int, end: int) -> list[Segment]:
    parts: list[Segment] = []
    cursor = start
    for span_start, span_end in spans:
        if span_start > cursor:
            parts.append((text[cursor:span_start], False))
        parts.append((text[span_start:span_end], True))
        cursor = span_end
    if cursor < end:
        parts.append((text[cursor:end], False))
    return parts


def _window(text: str, spans: list[Span], width: int) -> Span:
    """Where the snippet starts and ends: a little context before the densest matches."""
    if len(text) <= width:
        return 0, len(text)
    anchor = _densest(spans, width)
    start = 0
    if anchor > width // 5:
        start = _next_word(text, anchor - width // 5, anchor)
    end = min(len(text), start + width)
    if end < len(text):
        end = _previous_space(text, start, end)
    return start, len(text[:end].rstrip())


def _densest(spans: list[Span], width: int) -> int:
    """Start of the match that begins the window of `width` holding the most matches."""
    best, best_count = 0, 0
    for i, (start, _) in enumerate(spans):
        count = sum(1 for _, end in spans[i:] if end <= start + width)
        if count > best_count:
            best, best_count = start, count
    return best


def _next_word(text: str, position: int, limit: int) -> int:
    """The first word start at or after `position` (and not after `limit`)."""
    space = _SPACE.search(text, position, limit)
    return space.end() if space else position


def _previous_space(text: str, start: int, end: int) -> int:
    """The last space before `end` (after `start`), so the snippet ends on a whole word."""
    space = max(text.rfind(" ", start, end), text.rfind("\n", start, end))
    return space if space > start else end
