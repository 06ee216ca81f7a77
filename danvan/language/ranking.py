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
from collections import Counter
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
    # One pass over each text finds every query word (a pass per word, or another for the
    # phrase, costs two to three times as much); each found word counts for its group.
    group_of = {word: i for i, group in enumerate(groups) for word in _parts(group)}
    finder = re.compile(r"\b(" + "|".join(_word(w) for w in group_of) + r")\b")
    as_phrase = len(groups) > 1 and all(len(group) == 1 for group in groups)
    lengths = [folded.count(" ") + folded.count("\n") + 1 for _, _, folded in docs]
    average = max(sum(lengths) / len(lengths), 1.0)
    ranked = []
    for (pk, source_id, folded), length in zip(docs, lengths, strict=True):
        found = [
            (group_of.get(_joined(m[1]), -1), m.start(), m.end()) for m in finder.finditer(folded)
        ]
        counts = Counter(group for group, _, _ in found)
        relevance = sum(_saturated(counts[i], length / average) for i in range(len(groups)))
        tier = PHRASE if as_phrase and _holds_phrase(found, len(groups), folded) else 0.0
        ranked.append((pk, source_id, score(tier, relevance)))
    ranked.sort(key=lambda row: (-row[2], -row[1]))
    return ranked


def _holds_phrase(found: list[tuple[int, int, int]], size: int, text: str) -> bool:
    """Whether the groups 0, 1, ... size-1 were found one after the other with nothing but
    spaces and punctuation between them: the words as a phrase, as the tokenizer sees it."""
    run, end = 0, 0
    for group, start, stop in found:
        if group == run and (run == 0 or not _WORD.search(text, end, start)):
            run += 1
        else:
            run = 1 if group == 0 else 0
        if run == size:
            return True
        end = stop
    return False


def score(tier: float, relevance: float) -> float:
    """`tier` plus the relevance squeezed into [0, 1): a tier never overtakes the one above."""
    relevance = max(relevance, 0.0)
    return tier + relevance / (1.0 + relevance)


def _saturated(count: int, relative_length: float) -> float:
    return count * (K1 + 1) / (count + K1 * (1 - B + B * relative_length)) if count else 0.0


def _parts(group: Sequence[str]) -> list[str]:
    """A group's words as the finder reports them: a number the tokenizer splits
    ("1.200.000") by its parts joined with single spaces."""
    return [" ".join(_WORD.findall(term)) or term for term in group]


def _joined(found: str) -> str:
    return " ".join(_WORD.findall(found)) if " " in found or not found.isalnum() else found


def _word(term: str) -> str:
    # A term the tokenizer reads as several ("1 200 000"): its parts with anything between.
    return r"\W+".join(re.escape(part) for part in _WORD.findall(term)) or re.escape(term)
