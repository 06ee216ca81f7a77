from datetime import date

import pytest

from danvan.core.paging import page_key, parse_page_key


def test_a_key_reads_back_as_it_was_written():
    assert parse_page_key(page_key(date(2026, 11, 23), 42)) == (date(2026, 11, 23), 42)
    assert parse_page_key(page_key(None, 7, undated="none"), undated="none") == (None, 7)


@pytest.mark.parametrize("text", [None, "", "x", "none.7", "2026-13-01.5", "2026-11-23.x", "1.2.3"])
def test_an_unreadable_key_is_no_key(text):
    assert parse_page_key(text) is None


def test_a_list_without_an_undated_part_has_no_such_key():
    with pytest.raises(ValueError, match="no part without a date"):
        page_key(None, 1)
