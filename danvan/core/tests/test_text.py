"""The edge's text normaliser: what is refused, removed, folded and composed. No database."""

import json
import sys
import unicodedata
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from danvan.core.text import (
    CONTROL_CHARACTER,
    INVALID_TEXT,
    TextRefused,
    clean_input,
    clean_output,
    is_clean,
    is_number,
    parse_id,
)

DECOMPOSED = unicodedata.normalize("NFD", "Nguyễn Thị Hồng")

# (typed, stored, why)
KEPT_OR_CLEANED = [
    ("Đèn đường hỏng", "Đèn đường hỏng", "plain Vietnamese is kept"),
    (DECOMPOSED, "Nguyễn Thị Hồng", "decomposed letters (macOS, some phones) are composed"),
    ("dòng 1\r\ndòng 2\rdòng 3", "dòng 1\ndòng 2\ndòng 3", "CR LF and CR become LF"),
    ("a\u2028b\u2029c", "a\nb\nc", "line and paragraph separators become LF"),
    ("cột\tcột", "cột\tcột", "a tab is kept"),
    ("Nguyễn\u202eAn", "NguyễnAn", "a right-to-left override is removed"),
    ("\u202dAn\u202c", "An", "left-to-right override and pop are removed"),
    ("\u2066An\u2069 \u2067B\u2069 \u2068C\u2069", "An B C", "the four isolates are removed"),
    ("a\u200bb\u200cc\u200dd", "abcd", "zero-width space, non-joiner and joiner are removed"),
    ("\ufeffĐơn", "Đơn", "a byte order mark pasted from a file is removed"),
    ("a\u200e\u200f\u061cb", "ab", "direction marks are removed"),
    ("đồng\u00adý", "đồngý", "a soft hyphen is removed"),
    ("a\u2060\u2061b", "ab", "word joiner and invisible operators are removed"),
    ("a\U000e0041\U000e007fb", "ab", "tag characters are removed"),
    ("a\u3164b\u115fc", "abc", "Hangul fillers, which show as nothing, are removed"),
    ("a\u034fb", "ab", "the combining grapheme joiner is removed"),
    ("e\u200b\u0301", "é", "removal happens before composition"),
    ("\ufffd", "\ufffd", "the replacement character is a real character: kept"),
    ("\u00a0\u3000", "\u00a0\u3000", "visible spaces are left to each field's strip"),
    ("😀", "😀", "emoji are kept"),
]


@pytest.mark.parametrize(("typed", "stored", "why"), KEPT_OR_CLEANED)
def test_clean_input_keeps_text_and_removes_invisible_formatting(typed, stored, why):
    assert clean_input(typed) == stored, why


# (typed, code, code point, position, why)
REFUSED = [
    ("a\x00b", CONTROL_CHARACTER, "U+0000", 2, "NUL"),
    ("\x01", CONTROL_CHARACTER, "U+0001", 1, "the C0 control of the Open311 incident"),
    ("ab\x08", CONTROL_CHARACTER, "U+0008", 3, "backspace"),
    ("a\x0bb", CONTROL_CHARACTER, "U+000B", 2, "vertical tab"),
    ("a\x0cb", CONTROL_CHARACTER, "U+000C", 2, "form feed"),
    ("\x1b[31m", CONTROL_CHARACTER, "U+001B", 1, "a terminal escape"),
    ("a\x1fb", CONTROL_CHARACTER, "U+001F", 2, "unit separator (str.split takes it for space)"),
    ("a\x7f", CONTROL_CHARACTER, "U+007F", 2, "DEL"),
    ("a\x85b", CONTROL_CHARACTER, "U+0085", 2, "NEL, a C1 control"),
    ("\x9f", CONTROL_CHARACTER, "U+009F", 1, "the last C1 control"),
    ("a\ud800b", INVALID_TEXT, "U+D800", 2, "a lone high surrogate (JSON \\ud800)"),
    ("\udfff", INVALID_TEXT, "U+DFFF", 1, "a lone low surrogate"),
    ("a\ufffe", INVALID_TEXT, "U+FFFE", 2, "a noncharacter XML cannot carry"),
    ("\uffff", INVALID_TEXT, "U+FFFF", 1, "a noncharacter"),
    ("\ufdd0", INVALID_TEXT, "U+FDD0", 1, "the noncharacter block"),
    ("\U0010ffff", INVALID_TEXT, "U+10FFFF", 1, "the last noncharacter"),
    ("ok\u202e\x01", CONTROL_CHARACTER, "U+0001", 4, "the position counts what was typed"),
]


@pytest.mark.parametrize(("typed", "code", "code_point", "position", "why"), REFUSED)
def test_clean_input_refuses_what_nobody_types(typed, code, code_point, position, why):
    with pytest.raises(TextRefused) as refused:
        clean_input(typed)
    assert (refused.value.code, refused.value.code_point, refused.value.position) == (
        code,
        code_point,
        position,
    ), why


def test_single_line_fields_fold_line_breaks_and_tabs_into_spaces():
    assert clean_input("Nguyễn\r\nVăn\tAn", multiline=False) == "Nguyễn Văn An"
    assert clean_input("Nguyễn\r\nVăn\tAn") == "Nguyễn\nVăn\tAn"


def test_every_format_character_of_unicode_is_removed():
    """The removed set is written out (fast at import); it must hold all of category Cf."""
    format_chars = [
        chr(code) for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Cf"
    ]
    assert len(format_chars) == 170  # Unicode 15.0, Python 3.12
    assert clean_input("".join(format_chars)) == ""


def test_clean_output_takes_out_everything_clean_input_refuses_or_removes():
    stored = "A\x00B\x01C\x0bD\x1bE\x7fF\x85G\ud800H\ufffeI\u202eJ\u200bK\r\nL"
    assert clean_output(stored) == "ABCDEFGHIJK\nL"
    assert clean_output("Đèn\tđường\nhỏng") == "Đèn\tđường\nhỏng"


@settings(derandomize=True, database=None, max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=[]), max_size=60))
@example("\x00\x01\ud800\u202e\ufffe\r\n")
def test_whatever_is_stored_is_clean_and_survives_xml_and_json(text):
    stored, refusal = _stored(text)
    assert refusal in (None, CONTROL_CHARACTER, INVALID_TEXT)
    if refusal is None:
        assert clean_input(stored) == stored  # cleaning twice changes nothing
    assert is_clean(stored)
    element = ET.Element("description")
    element.text = stored
    parsed = ET.fromstring(ET.tostring(element, encoding="unicode"))  # noqa: S314 (our own)
    assert (parsed.text or "") == stored
    assert json.loads(json.dumps(stored, ensure_ascii=False).encode()) == stored


def _stored(text: str) -> tuple[str, str | None]:
    """What the edge stores (a refused text: what an old row would hold), and the refusal."""
    try:
        return clean_input(text), None
    except TextRefused as refused:
        return clean_output(text), refused.code


@pytest.mark.parametrize(
    ("text", "number", "id_"),
    [
        ("12", True, 12),
        ("0012", True, 12),
        ("²", False, None),  # "²".isdigit() is True; int("²") raises
        ("１２", False, None),  # full-width digits
        ("١٢", False, None),  # Arabic-Indic digits
        ("", False, None),
        ("-1", False, None),
        ("9" * 18, True, 999_999_999_999_999_999),
        ("9" * 19, True, None),  # past a 64-bit column
        ("9" * 5000, True, None),  # int() would refuse it
    ],
)
def test_numbers_and_ids_are_ascii_digits(text, number, id_):
    assert is_number(text) is number
    assert parse_id(text) == id_
