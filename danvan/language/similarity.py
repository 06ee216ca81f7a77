"""How alike two letters are, and how to find the likely duplicates among millions quickly.

`score(a, b)` is in [0, 1] and is computed on the search form (no diacritics, one case), so
a letter typed without diacritics, or with the other tone placement, scores as its original:

    score = 0.4 * Jaccard(character 3-, 4- and 5-grams)      # spelling, small edits
          + 0.3 * Jaccard(word sets)                         # word order does not matter
          + 0.3 * containment(word bigrams)                  # a copy cut short still matches

Containment is the shared part of the smaller side, so a letter and its first half score
high, while the two Jaccard terms keep a short phrase from matching every long letter.
On 2,000 test pairs from VNTC (`python -m evaluate duplicates --vntc 2000`: duplicates
made only by edits the normaliser cannot undo, from other articles than the 2,000 dev pairs
that set the threshold), duplicates score 0.60 or more in 99% of cases (median 0.85; 0.73
for two or three edits combined), and unrelated passages (half of them on the same topic)
under 0.14 in 99% and 0.164 at most. `profile` of a text equals `profile` of its search form, so a caller may keep
only search forms of earlier letters.

Finding candidates uses MinHash over word bigrams with banded LSH. A text's signature is
`NUM_PERM` minimum hash values; `band_keys` cuts it into `BANDS` bands of `ROWS` values and
hashes each to a short key. Store the keys of every case in an indexed table: the
candidates of a new case are the cases sharing at least one key (indexed equality), which
are then ranked by `score`. Two texts whose bigram Jaccard similarity is s share a key with
probability 1 - (1 - s**ROWS)**BANDS; with 20 bands of 3 rows (60 permutations):

    s = 0.3 -> 0.42    s = 0.5 -> 0.93    s = 0.7 -> 0.9998    s = 0.9 -> 1.0000

and on the 5,000 variants of the earlier VNTC pairs the index offered 95% (every one above
s = 0.7, 97% between 0.5 and 0.6, 84% between 0.4 and 0.5), and none of the 5,000 unrelated
pairs; on the test pairs above, 97.3% of duplicates (88.5% of combined edits) and none of
the others.

Boilerplate shared by many letters ("Kính gửi Ủy ban nhân dân xã ...") makes some keys
common; a key held by very many cases says nothing about a duplicate and can be skipped.
The keys depend on `SCHEME`, the hash coefficients and the parameters: change any of them
and every stored key must be recomputed.
"""

import hashlib
import itertools
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .text import search_form, words

SCHEME = "w2-v1"  # word bigrams, first version of the coefficients
BANDS = 20
ROWS = 3
NUM_PERM = BANDS * ROWS
_PRIME = (1 << 31) - 1  # a*h + b stays below 2**63 with a, b, h < 2**31
_NO_SHINGLE = ()


@dataclass(frozen=True)
class Profile:
    """What `compare` needs of a text; build it once per text when comparing many pairs."""

    chars: frozenset[str]
    words: frozenset[str]
    bigrams: frozenset[str]


def profile(text: str) -> Profile:
    form = " ".join(search_form(text).split())
    found = words(form)
    return Profile(
        chars=frozenset(form[i : i + n] for n in (3, 4, 5) for i in range(len(form) - n + 1)),
        words=frozenset(found),
        bigrams=frozenset(_bigrams(found)),
    )


def _bigrams(found: list[str]) -> list[str]:
    return [f"{first} {second}" for first, second in itertools.pairwise(found)]


def compare(a: Profile, b: Profile) -> float:
    """The blended similarity of two profiles (see the module note); symmetric."""
    if not a.words or not b.words:
        return 0.0  # an empty letter is nobody's duplicate
    value = (
        0.4 * _jaccard(a.chars, b.chars)
        + 0.3 * _jaccard(a.words, b.words)
        + 0.3 * _containment(a.bigrams, b.bigrams)
    )
    return min(1.0, value)


def score(a: str, b: str) -> float:
    """How alike two texts are, from 0 (nothing shared) to 1 (the same words)."""
    return compare(profile(a), profile(b))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _containment(a: frozenset[str], b: frozenset[str]) -> float:
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def shingles(text: str) -> set[str]:
    """The word bigrams of the search form (the single word of a one-word text)."""
    found = words(search_form(text))
    return set(_bigrams(found)) if len(found) > 1 else set(found)


class MinHasher:
    """MinHash signatures and LSH band keys with fixed, reproducible coefficients."""

    def __init__(self, bands: int = BANDS, rows: int = ROWS, scheme: str = SCHEME) -> None:
        self.bands = bands
        self.rows = rows
        self.scheme = scheme
        coefficients = [_coefficient(scheme, i) for i in range(2 * bands * rows)]
        self._a = np.array([1 + c % (_PRIME - 1) for c in coefficients[0::2]], dtype=np.uint64)
        self._a = self._a.reshape(-1, 1)
        self._b = np.array(coefficients[1::2], dtype=np.uint64).reshape(-1, 1)

    @property
    def num_perm(self) -> int:
        return self.bands * self.rows

    def signature(self, text: str) -> tuple[int, ...]:
        """`num_perm` minimum hashes of the text's shingles; empty for a text without words."""
        return self.signature_of(shingles(text))

    def signature_of(self, items: Iterable[str]) -> tuple[int, ...]:
        hashes = np.fromiter(
            (zlib.crc32(item.encode()) % _PRIME for item in items), dtype=np.uint64
        )
        if not hashes.size:
            return _NO_SHINGLE
        permuted = (self._a * hashes.reshape(1, -1) + self._b) % np.uint64(_PRIME)
        return tuple(int(v) for v in permuted.min(axis=1))

    def band_keys(self, signature: tuple[int, ...]) -> list[str]:
        """One 16-hex-digit key per band; none for an empty signature."""
        if len(signature) != self.num_perm:
            return []
        keys = []
        for band in range(self.bands):
            rows = signature[band * self.rows : (band + 1) * self.rows]
            digest = hashlib.blake2b(digest_size=8, person=self.scheme.encode()[:16])
            digest.update(band.to_bytes(2, "big"))
            for value in rows:
                digest.update(value.to_bytes(4, "big"))
            keys.append(digest.hexdigest())
        return keys

    def candidate_probability(self, similarity: float) -> float:
        """Chance that two texts with this bigram Jaccard similarity share a band key."""
        return float(1 - (1 - similarity**self.rows) ** self.bands)


def _coefficient(scheme: str, index: int) -> int:
    """Hash coefficients from a digest, not a random generator: stable across versions."""
    digest = hashlib.blake2b(f"{scheme}:{index}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % _PRIME


_DEFAULT = MinHasher()


def signature(text: str) -> tuple[int, ...]:
    return _DEFAULT.signature(text)


def band_keys(signature: tuple[int, ...]) -> list[str]:
    return _DEFAULT.band_keys(signature)


def estimated_jaccard(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """The share of equal minimum hashes: an estimate of the bigram Jaccard similarity."""
    if not a or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
