"""Duplicate pairs that do not grade the scorer's own normaliser, in a dev and a test part.

The scorer compares search forms (`danvan.language.text.search_form`: no diacritics, one
case, one tone placement). A variant made by stripping diacritics or moving tone marks has
the same search form as its original, so it scores 1.0 whatever the scorer does: pairs made
that way measure the normaliser, not the scorer. Here every duplicate is made by edits the
normaliser cannot undo (words dropped, swapped or replaced by a near-synonym, the end cut
off, or two or three of them), and a pair whose edited search form still equals the
original's is made again from another passage. Each pair names its edit, so the figures can
be reported per edit type.

The articles are split in two halves before any pair is made (every other article of each
topic): the dev pairs choose the threshold, the test pairs, from other articles, report it.
"""

import random
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from danvan.language.text import search_form
from evaluate import vntc

Edit = Callable[[str, random.Random], str]
EditPair = tuple[str, str, int, str]  # (a, b, 1 if the same matter else 0, edit or "")
Part = Literal["dev", "test"]
HARD_EDITS: dict[str, Edit] = {
    "drop_words": vntc.drop_words,
    "swap_words": vntc.swap_words,
    "use_synonyms": vntc.use_synonyms,
    "truncate": vntc.truncate,
}
COSMETIC_EDITS: dict[str, Edit] = {
    "strip_diacritics": vntc.strip_diacritics,
    "move_tones": vntc.move_tones,
}
COMBINED = "combined"  # two or three of the hard edits
EDIT_TYPES = [*HARD_EDITS, COMBINED]
TRIES = 20  # passages tried for a pair before giving up on that edit


def hard_variant(text: str, rng: random.Random, edit: str) -> str:
    """`text` rewritten by the named hard edit, or by two or three of them (COMBINED)."""
    names = rng.sample(sorted(HARD_EDITS), rng.randint(2, 3)) if edit == COMBINED else [edit]
    for name in names:
        text = HARD_EDITS[name](text, rng)
    return text


def undone_by_normaliser(original: str, edited: str) -> bool:
    return search_form(original) == search_form(edited)


def make_pairs(path: Path | None, n: int, seed: int, part: Part) -> list[EditPair]:
    """`n` pairs from `part` of the articles: half duplicates, their edit types in turn;
    half not (another article's passage, of the same topic half of the time)."""
    rng = random.Random(f"{seed}:{part}")  # noqa: S311 - reproducible sampling, not a secret
    by_label = _passages(path, part)
    labels = sorted(by_label)
    pairs: list[EditPair] = []
    for index in range(n):
        label = rng.choice(labels)
        article = rng.randrange(len(by_label[label]))
        if index % 2 == 0:
            edit = EDIT_TYPES[(index // 2) % len(EDIT_TYPES)]
            pairs.append(_duplicate(by_label, rng, edit))
            continue
        first = rng.choice(by_label[label][article])
        other_label = label if rng.random() < 0.5 else rng.choice(labels)
        others = by_label[other_label]
        other = rng.randrange(len(others))
        if other_label == label and other == article:
            other = (other + 1) % len(others)  # another article of the same topic
        pairs.append((first, rng.choice(others[other]), 0, ""))
    return pairs


def _duplicate(by_label: dict[str, list[list[str]]], rng: random.Random, edit: str) -> EditPair:
    for _ in range(TRIES):
        articles = by_label[rng.choice(sorted(by_label))]
        first = rng.choice(rng.choice(articles))
        edited = hard_variant(first, rng, edit)
        if not undone_by_normaliser(first, edited):
            return first, edited, 1, edit
    raise ValueError(f"no passage the edit {edit} changes in {TRIES} tries")


def _passages(path: Path | None, part: Part) -> dict[str, list[list[str]]]:
    """Passages of each article of `part`, by topic: dev takes every other article of each
    topic from the first, test the rest."""
    by_label: dict[str, list[list[str]]] = defaultdict(list)
    seen: dict[str, int] = defaultdict(int)
    for text, label in vntc.read(path):
        mine = (seen[label] % 2 == 0) == (part == "dev")
        seen[label] += 1
        found = vntc.passages(text)
        if mine and found:
            by_label[label].append(found)
    if not by_label:
        raise ValueError("no passages to pair")
    return by_label
