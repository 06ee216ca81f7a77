"""Normalisation of Vietnamese text: one Unicode form, one tone placement, one folded form."""

import unicodedata

import pytest

from danvan.language.text import (
    clean,
    fold,
    nfc,
    normalize,
    search_form,
    tokens,
    tone_normalize,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# (input, expected, why)
TONES = [
    ("hoà", "hòa", "oa: the mark goes on o"),
    ("hòa", "hòa", "already right"),
    ("thuỷ", "thủy", "uy: the mark goes on u"),
    ("khoẻ", "khỏe", "oe: the mark goes on o"),
    ("Uỷ ban", "Ủy ban", "capital first letter"),
    ("HOÀ BÌNH", "HÒA BÌNH", "all capitals"),
    ("hOà", "hÒa", "mixed case keeps each letter's case"),
    ("Hoà Bình", "Hòa Bình", "a place name"),
    ("qúy", "quý", "qu: u belongs to the onset"),
    ("quý", "quý", "already right"),
    ("QUÝ", "QUÝ", "capitals after qu"),
    ("gịa", "giạ", "gi: i belongs to the onset when a vowel follows"),
    ("giữa", "giữa", "gi + ưa: the horned vowel carries it"),
    ("gìn", "gìn", "gi + n: i is the vowel"),
    ("hoàng", "hoàng", "a final consonant: the last vowel"),
    ("quyết", "quyết", "ê carries it"),
    ("thuở", "thuở", "ơ carries it"),
    ("người", "người", "ươ: the second horned vowel"),
    ("rượu", "rượu", "ươu"),
    ("ngoài", "ngoài", "three vowels: the middle one"),
    ("khuỷu", "khuỷu", "uyu"),
    ("của", "của", "ua: the first vowel"),
    ("nghĩa", "nghĩa", "ngh + ia"),
    ("tuỳ tiện", "tùy tiện", "uy after t"),
    (nfd("Thuỷ lợi hoà bình"), "Thủy lợi hòa bình", "decomposed input"),
    ("đựơc", "được", "a typo: ươ carries it on ơ"),
    ("họat động", "hoạt động", "a typo: a final consonant, the last vowel"),
    ("cuả", "của", "a typo: ua carries it on u"),
    ("qủa", "quả", "a typo: after qu, a carries it"),
]


@pytest.mark.parametrize(("text", "expected", "why"), TONES)
def test_tone_marks_are_placed_one_way(text, expected, why):
    assert tone_normalize(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Xin chào 😀👍🏽 cả nhà",
        "https://dichvucong.gov.vn/hoà-bình?q=thuỷ",
        "hoà@thuỷ.vn",
        "www.hoà.vn",
        "Số 0912.345.678, 12/05/2024, 1.200.000 đồng",
        "iPhone Facebook COVID-19",
        "hoà1 x_hoà",  # glued to digits or underscores: an identifier, not a word
        "Xêút",  # a transliteration glued into one word: not one Vietnamese syllable
    ],
)
def test_tone_normalisation_leaves_other_tokens_alone(text):
    kept = tone_normalize(text)
    if "hoà" in text or "thuỷ" in text:
        assert "hoà" in kept or "thuỷ" in kept
    assert kept == nfc(text)


def test_emoji_and_words_around_them():
    assert tone_normalize("Hoà 😀 khoẻ 👨‍👩‍👧") == "Hòa 😀 khỏe 👨‍👩‍👧"


def test_normal_and_search_forms_are_stable():
    for text in (*(t for t, _, _ in TONES), *(t for t, _, _ in CLEANS)):
        assert normalize(normalize(text)) == normalize(text)
        assert search_form(search_form(text)) == search_form(text)


def test_tone_normalisation_returns_composed_text():
    assert unicodedata.is_normalized("NFC", tone_normalize(nfd("Đường Lê Duẩn, Hoà Bình")))


# (input, folded)
FOLDS = [
    ("Đường Hòa Bình", "duong hoa binh"),
    ("ĐẮK LẮK", "dak lak"),
    ("đ Đ", "d d"),
    (nfd("Giải phóng mặt bằng"), "giai phong mat bang"),
    ("Phở 😀", "pho 😀"),
    ("Hoà", "hoa"),
]


@pytest.mark.parametrize(("text", "folded"), FOLDS)
def test_fold_drops_case_and_diacritics(text, folded):
    assert fold(text) == folded


def test_fold_keeps_offsets_of_the_composed_text():
    text = "Ủy ban nhân dân xã Hòa Bình, đường Lê Lợi"
    assert len(fold(text)) == len(nfc(text))
    start = fold(text).index("hoa binh")
    assert text[start : start + 8] == "Hòa Bình"


# (input, cleaned, why)
CLEANS = [
    ("  Xin   chào\tbạn  ", "Xin chào bạn", "spaces and tabs collapse"),
    ("a\u200bb\u200cc\ufeffd", "abcd", "zero-width characters go"),
    ("a\x07b\x1bc", "abc", "control characters go"),
    ("Thật sao!!!", "Thật sao!", "repeated marks become one"),
    ("Vì sao???", "Vì sao?", "repeated question marks"),
    ("Chờ đợi.......", "Chờ đợi...", "long dots become an ellipsis"),
    ("Vâng... được", "Vâng... được", "an ellipsis stays"),
    ("Xin chào , bạn .", "Xin chào, bạn.", "no space before punctuation"),
    ("chào,bạn", "chào, bạn", "a space after a comma between words"),
    ("diện tích 1,5 ha", "diện tích 1,5 ha", "a decimal comma stays"),
    ("Đoạn 1\n\n\n\n\nĐoạn 2", "Đoạn 1\n\nĐoạn 2", "at most one blank line"),
    ("dòng 1  \r\n  dòng 2", "dòng 1\ndòng 2", "Windows line ends, stripped lines"),
    ("a\u00a0b", "a b", "no-break space"),
    ("👨\u200d👩\u200d👧 x\u200dy", "👨\u200d👩\u200d👧 xy", "a joiner inside an emoji stays"),
]


@pytest.mark.parametrize(("text", "cleaned", "why"), CLEANS)
def test_clean(text, cleaned, why):
    assert clean(text) == cleaned


def test_normalize_is_the_stored_form():
    text = nfd("  Đơn  kiến nghị về việc hoà giải ,  thuỷ lợi!!! ")
    assert normalize(text) == "Đơn kiến nghị về việc hòa giải, thủy lợi!"


def test_search_form_is_fold_of_normal_form():
    for text in ("Hoà giải ở cơ sở", "KHOẺ MẠNH", nfd("Thuỷ lợi"), "giai phong mat bang"):
        assert search_form(text) == fold(normalize(text))


def test_accented_and_plain_letters_share_a_search_form():
    assert search_form("Giải phóng mặt bằng") == search_form("giai phong mat bang")


def test_tokens():
    text = "Tiền bồi thường 1.200.000 đồng, HOÀ giải!"
    assert tokens(text) == ["tiền", "bồi", "thường", "1.200.000", "đồng", "hòa", "giải"]
    assert tokens(text, folded=True) == [
        "tien",
        "boi",
        "thuong",
        "1.200.000",
        "dong",
        "hoa",
        "giai",
    ]
