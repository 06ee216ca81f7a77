"""How search results are ranked: here, in Python, the same on SQLite and PostgreSQL.

The database finds the newest WINDOW documents holding every query word (or one of its typo
variants); that read comes straight off the index in its own order, a few milliseconds at a
million letters. Asking the database to rank every match instead (bm25, ts_rank) reads the
whole posting list of each common word: 60 to 150 ms for "đây là một việc".

The window is then ranked in two tiers: documents holding the query's words as a phrase
("giai phong mat bang" in that order, punctuation aside) before documents holding them
apart; within a tier, by BM25 term frequency with length normalisation. Every document of
the window holds every word, so the words' rarity (BM25's IDF) would not tell them apart
and is left out. An officer looking for a matter wants its recent letters: a match older
than the newest WINDOW is found by adding a word, a filter, or a date.
"""

import re
from collections.abc import Sequence

WINDOW = 500  # newest matches ranked
PHRASE = 1.0  # the tier of documents holding the words as a phrase
K1 = 1.2  # BM25's usual constants
B = 0.75
_WORD = re.compile(r"\w+")

Candidate = tuple[int, int, str]  # SearchDoc id, source_id, folded text
Ranked = tuple[int, int, float]  # SearchDoc id, source_id, score (higher is better)


def window(limit: int) -> int:
    return max(limit, WINDOW)


def rank(groups: Sequence[Sequence[str]], docs: Sequence[Candidate]) -> list[Ranked]:
    """`docs` best first: phrase tier, then relevance, then the newer document."""
    if not docs:
        return []
    counters = [_counter(group) for group in groups]
    phrase = _phrase(groups)
    lengths = [len(_WORD.findall(folded)) for _, _, folded in docs]
    average = max(sum(lengths) / len(lengths), 1.0)
    ranked = []
    for (pk, source_id, folded), length in zip(docs, lengths, strict=True):
        relevance = sum(_saturated(len(c.findall(folded)), length / average) for c in counters)
        tier = PHRASE if phrase and phrase.search(folded) else 0.0
        ranked.append((pk, source_id, score(tier, relevance)))
    ranked.sort(key=lambda row: (-row[2], -row[1]))
    return ranked


def score(tier: float, relevance: float) -> float:
    """`tier` plus the relevance squeezed into [0, 1): a tier never overtakes the one above."""
    relevance = max(relevance, 0.0)
    return tier + relevance / (1.0 + relevance)


def _saturated(count: int, relative_length: float) -> float:
    return count * (K1 + 1) / (count + K1 * (1 - B + B * relative_length)) if count else 0.0


def _counter(group: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(_word(term) for term in group) + r")\b")


def _phrase(groups: Sequence[Sequence[str]]) -> re.Pattern[str] | None:
    """The query as one phrase, when it has several words and none took typo variants
    (those were typed wrong, so their order proves little)."""
    if len(groups) < 2 or any(len(group) != 1 for group in groups):
        return None
    return re.compile(r"\b" + r"\W+".join(_word(group[0]) for group in groups) + r"\b")


def _word(term: str) -> str:
    # A term the tokenizer reads as several ("1.200.000"): its parts with anything between.
    return r"\W+".join(re.escape(part) for part in _WORD.findall(term)) or re.escape(term)
