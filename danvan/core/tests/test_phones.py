"""Phones shown as people write them. No database."""

import pytest
from django.template import Context, Template

from danvan.core.phones import national


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+84987654321", "0987 654 321"),  # a mobile, as stored
        ("+84912345678", "0912 345 678"),
        ("+842438251234", "024 3825 1234"),  # a Hà Nội landline
        (" +84351234567 ", "0351 234 567"),
        ("0987 654 321", "0987 654 321"),  # already national: left alone
        ("+12025550143", "+12025550143"),  # a foreign number: as it is
        ("+8498765", "+8498765"),  # too short to be a number: as it is
        ("", ""),
        (None, ""),
    ],
)
def test_a_number_is_shown_in_the_national_format(stored: str | None, shown: str) -> None:
    assert national(stored) == shown


def test_the_template_filter_is_the_same() -> None:
    template = Template("{% load phones %}{{ phone|national_phone }}")
    assert template.render(Context({"phone": "+84987654321"})) == "0987 654 321"
