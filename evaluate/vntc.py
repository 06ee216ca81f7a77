"""The VNTC news corpus as evaluation data: topic splits and duplicate pairs.

The corpus is read where it lies (`../shared/data/vntc/` beside the repository, or the file
named by `DANVAN_VNTC`); nothing of it is copied into the repository except the small test
fixture. Lines are `{"label": ..., "text": ...}`, gzipped or not.

The file lists its articles topic by topic, so "the first 80% of the file" leaves two topics
out of training entirely. `split` therefore keeps the file's order within each topic by
default: the first 80% of each topic's articles train, the rest test. Within a topic the
file is grouped by newspaper, so the tested articles come mostly from papers that are rare
in training: a hard, honest test. `mode="interleaved"` spreads the test articles through
the file instead (every fifth), which is the usual, easier random-like split.
"""

import gzip
import json
import os
import random
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, TextIO

from danvan.language.text import fold

Example = tuple[str, str]  # (text, label)
Pair = tuple[str, str, int]  # (a, b, 1 if the same matter else 0)
SplitMode = Literal["topic", "file", "interleaved"]
SPLIT_MODES: tuple[SplitMode, ...] = ("topic", "file", "interleaved")

_REPO = Path(__file__).resolve().parents[1]
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|(?<=[.!?])(?=[A-ZĐÀ-Ỹ])")
_TONE = "[\u0300\u0301\u0309\u0303\u0323]"
_TONE_ON_FIRST = re.compile(rf"(?i)(o)({_TONE})([ae])(?!\w)|(u)({_TONE})(y)(?!\w)")
# Everyday near-synonyms of letters and news: a reworded letter swaps some of them.
_SYNONYMS = {
    "đề nghị": "kiến nghị",
    "kiến nghị": "đề nghị",
    "người dân": "nhân dân",
    "nhân dân": "người dân",
    "rất": "hết sức",
    "những": "các",
    "các": "những",
    "đã": "vừa",
    "nhưng": "song",
    "vì": "do",
    "tuy nhiên": "nhưng",
    "hiện nay": "hiện tại",
    "nhiều": "không ít",
    "cho biết": "nói",
}


def default_path() -> Path:
    """`DANVAN_VNTC`, else the shared corpus beside the repository."""
    configured = os.environ.get("DANVAN_VNTC")
    if configured:
        return Path(configured)
    return _REPO.parent / "shared" / "data" / "vntc" / "vntc10_train.jsonl.gz"


def open_text(path: Path, *, write: bool = False) -> TextIO:
    """A text file, gzipped when its name ends in .gz."""
    if path.suffix == ".gz":
        return gzip.open(path, "wt" if write else "rt", encoding="utf-8")
    return path.open("w" if write else "r", encoding="utf-8")


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with open_text(path) as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not JSON ({error.msg})") from error


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> int:
    """Write one JSON object a line (gzipped for .gz); returns how many."""
    count = 0
    with open_text(path, write=True) as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def read(path: Path | None = None) -> Iterator[Example]:
    """(text, label) for every line that has both."""
    for record in read_jsonl(path or default_path()):
        text, label = record.get("text"), record.get("label")
        if isinstance(text, str) and text.strip() and isinstance(label, str):
            yield text, label


def split(
    path: Path | None = None, train_fraction: float = 0.8, *, mode: SplitMode = "topic"
) -> tuple[list[Example], list[Example]]:
    """Train and test sets, both in file order.

    - "topic": the first `train_fraction` of each topic's articles train, the rest test;
    - "file": the first `train_fraction` of the file trains (on VNTC, whose lines are sorted
      by topic, two topics are then never seen in training);
    - "interleaved": articles spread evenly through the file test (one in five for 0.8).
    """
    examples = list(read(path))
    if mode == "file":
        cut = int(len(examples) * train_fraction)
        return examples[:cut], examples[cut:]
    if mode == "interleaved":
        share = 1 - Fraction(train_fraction).limit_denominator(1000)  # 0.8 -> exactly 1/5
        testing = [_bresenham(i, share) for i in range(len(examples))]
    else:
        testing = _tail_of_each_label(examples, train_fraction)
    train = [e for e, test in zip(examples, testing, strict=True) if not test]
    test = [e for e, test in zip(examples, testing, strict=True) if test]
    return train, test


def _bresenham(index: int, fraction: Fraction) -> bool:
    """True for an evenly spread `fraction` of the indexes (the last of every five for 1/5)."""
    return int((index + 1) * fraction) > int(index * fraction)


def _tail_of_each_label(examples: list[Example], train_fraction: float) -> list[bool]:
    sizes = Counter(label for _, label in examples)
    seen: Counter[str] = Counter()
    testing = []
    for _, label in examples:
        testing.append(seen[label] >= int(sizes[label] * train_fraction))
        seen[label] += 1
    return testing


def sentences(text: str, *, shortest: int = 40, longest: int = 300) -> list[str]:
    parts = (s.strip() for s in _SENTENCE_END.split(text))
    return [s for s in parts if shortest <= len(s) <= longest]


def passages(text: str, *, longest: int = 600) -> list[str]:
    """Runs of whole sentences of up to `longest` characters: the size of a short letter."""
    found: list[str] = []
    current = ""
    for sentence in sentences(text):
        if current and len(current) + len(sentence) + 1 > longest:
            found.append(current)
            current = ""
        current = f"{current} {sentence}".strip()
    if current:
        found.append(current)
    return [p for p in found if len(p) >= 80]


def make_pairs(path: Path | None = None, n: int = 2000, seed: int = 1) -> list[Pair]:
    """`n` pairs, half duplicates (a passage and a variant of it), half not.

    A variant has its diacritics stripped, its tone marks placed the other way, words
    dropped, swapped or replaced by near-synonyms, or its end cut off, alone or combined.
    A non-duplicate is another article's passage, from the same topic half of the time:
    letters about the same kind of matter are exactly what the scorer must tell apart.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible sampling, not a secret
    by_label: dict[str, list[list[str]]] = defaultdict(list)
    for text, label in read(path):
        found = passages(text)
        if found:
            by_label[label].append(found)
    labels = sorted(by_label)
    pairs: list[Pair] = []
    for index in range(n):
        label = rng.choice(labels)
        article = rng.randrange(len(by_label[label]))
        first = rng.choice(by_label[label][article])
        if index % 2 == 0:
            pairs.append((first, variant(first, rng), 1))
            continue
        other_label = label if rng.random() < 0.5 else rng.choice(labels)
        others = by_label[other_label]
        other = rng.randrange(len(others))
        if other_label == label and other == article:
            other = (other + 1) % len(others)  # another article of the same topic
        pairs.append((first, rng.choice(others[other]), 0))
    return pairs


def variant(text: str, rng: random.Random) -> str:
    """The same passage rewritten by one to three of the edits people make."""
    edits: list[Callable[[str, random.Random], str]] = [
        strip_diacritics,
        move_tones,
        drop_words,
        swap_words,
        use_synonyms,
        truncate,
    ]
    edited = text
    for edit in rng.sample(edits, rng.randint(1, 3)):
        edited = edit(edited, rng)
    if edited == text:  # no word to drop or replace: type it without diacritics instead
        edited = strip_diacritics(text, rng)
    return edited


def strip_diacritics(text: str, rng: random.Random) -> str:
    """As typed on a phone without a Vietnamese keyboard, keeping the case."""
    return "".join(fold(c) if c.islower() else fold(c).upper() for c in text)


def move_tones(text: str, rng: random.Random) -> str:
    """The other tone placement: "hòa" -> "hoà", "thủy" -> "thuỷ"."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _TONE_ON_FIRST.sub(_tone_last, decomposed))


def _tone_last(match: re.Match[str]) -> str:
    first, tone, second = (g for g in match.groups() if g is not None)
    return first + second + tone


def drop_words(text: str, rng: random.Random) -> str:
    words = text.split()
    kept = [w for w in words if rng.random() > 0.15]
    return " ".join(kept or words)


def swap_words(text: str, rng: random.Random) -> str:
    words = text.split()
    for _ in range(max(1, len(words) // 10)):
        if len(words) < 2:
            break
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def use_synonyms(text: str, rng: random.Random) -> str:
    for word, other in _SYNONYMS.items():
        if rng.random() < 0.7:
            text = re.sub(rf"(?<!\w){word}(?!\w)", other, text)
    return text


def truncate(text: str, rng: random.Random) -> str:
    words = text.split()
    return " ".join(words[: max(5, int(len(words) * rng.uniform(0.6, 0.9)))])
