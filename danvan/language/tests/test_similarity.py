"""The duplicate scorer and its LSH candidate index, on letters and on the VNTC sample."""

import json
import random
from pathlib import Path

import pytest

from danvan.language.similarity import (
    BANDS,
    NUM_PERM,
    MinHasher,
    band_keys,
    estimated_jaccard,
    score,
    shingles,
    signature,
)
from danvan.language.text import fold
from evaluate import vntc

LETTER = (
    "Gia đình tôi ở thôn Đông, xã Hòa Bình. Năm 2023 nhà nước thu hồi 360 m² đất nông "
    "nghiệp để làm đường nhưng đến nay gia đình tôi vẫn chưa nhận được tiền bồi thường, "
    "hỗ trợ. Kính đề nghị Ủy ban nhân dân xã xem xét, giải quyết."
)
UNRELATED = (
    "Tiếng ồn từ xưởng cưa gỗ của hộ ông Nguyễn Văn B kéo dài đến đêm khuya, bụi gỗ bay "
    "sang các nhà bên cạnh, ảnh hưởng đến sức khỏe và sinh hoạt của khu dân cư."
)
SAMPLE = Path(__file__).parent / "fixtures" / "vntc_sample.jsonl"


def test_a_text_is_its_own_duplicate():
    assert score(LETTER, LETTER) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "variant",
    [
        fold(LETTER),
        LETTER.replace("Hòa", "Hoà").replace("Ủy", "Uỷ"),
        LETTER.upper(),
        "  ".join(LETTER.split()),
    ],
)
def test_diacritics_case_and_tone_placement_do_not_matter(variant):
    assert score(LETTER, variant) > 0.95


def test_a_reworded_letter_still_scores_high():
    words = LETTER.split()
    reworded = " ".join(words[:10] + words[11:24] + words[25:])  # two words dropped
    swapped = " ".join(words[20:] + words[:20])  # the two halves swapped
    assert score(LETTER, reworded) > 0.7
    assert score(LETTER, swapped) > 0.7
    assert score(LETTER, " ".join(words[: len(words) * 2 // 3])) > 0.6  # cut short


def test_unrelated_letters_score_low():
    assert score(LETTER, UNRELATED) < 0.3


def test_score_is_symmetric_and_bounded():
    texts = [LETTER, UNRELATED, fold(LETTER)[:120], "đất", ""]
    for a in texts:
        for b in texts:
            assert score(a, b) == score(b, a)
            assert 0.0 <= score(a, b) <= 1.0


def test_an_empty_letter_is_nobodys_duplicate():
    assert score("", "") == 0.0
    assert score(LETTER, "  ") == 0.0


def test_signature_ignores_diacritics_and_is_stable():
    assert len(signature(LETTER)) == NUM_PERM
    assert signature(LETTER) == signature(fold(LETTER))
    assert band_keys(signature(LETTER)) == band_keys(signature(LETTER.replace("Hòa", "Hoà")))


def test_band_keys_are_short_and_one_per_band():
    keys = band_keys(signature(LETTER))
    assert len(keys) == BANDS
    assert len(set(keys)) == BANDS
    assert all(len(key) == 16 for key in keys)


def test_a_text_without_words_has_no_keys():
    assert signature("  ... !") == ()
    assert band_keys(signature("")) == []


def test_one_word_texts_are_shingled_by_the_word():
    assert shingles("Đất") == {"dat"}
    assert shingles("đất đai") == {"dat dai"}


def test_estimated_jaccard_follows_the_exact_one():
    words = LETTER.split()
    other = " ".join(words[:30])
    a, b = shingles(LETTER), shingles(other)
    exact = len(a & b) / len(a | b)
    hasher = MinHasher(bands=64, rows=4)
    estimate = estimated_jaccard(hasher.signature(LETTER), hasher.signature(other))
    assert estimate == pytest.approx(exact, abs=0.12)


def test_candidate_probability_matches_the_documented_figures():
    hasher = MinHasher()
    figures = [hasher.candidate_probability(s) for s in (0.3, 0.5, 0.7, 0.9)]
    assert [round(p, 2) for p in figures] == [0.42, 0.93, 1.0, 1.0]


def _passages() -> list[str]:
    lines = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    return [line["text"] for line in lines if "text" in line and len(line["text"]) > 150]


def test_lsh_finds_reworded_copies_among_the_sample():
    passages = _passages()
    rng = random.Random(3)
    index: dict[str, set[int]] = {}
    for number, text in enumerate(passages):
        for key in band_keys(signature(text)):
            index.setdefault(key, set()).add(number)
    found = 0
    candidates = 0
    for number, text in enumerate(passages):
        copy = vntc.variant(text, rng)
        hits = set().union(*(index.get(key, set()) for key in band_keys(signature(copy))))
        found += number in hits
        candidates += len(hits)
    assert found / len(passages) >= 0.9
    assert candidates / len(passages) < 2  # the copy's original, and seldom anything else
