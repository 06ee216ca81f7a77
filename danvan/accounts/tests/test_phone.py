import pytest
from django.core.exceptions import ValidationError

from danvan.accounts.phone import display_phone, looks_like_phone, normalize_phone


@pytest.mark.parametrize(
    "raw",
    ["0912345678", "0912 345 678", "0912.345.678", "+84912345678", "84912345678", "(091) 234-5678"],
)
def test_the_written_forms_of_one_number_normalize_alike(raw):
    assert normalize_phone(raw) == "+84912345678"


@pytest.mark.parametrize(
    "raw", ["091234567", "09123456789", "0212345678", "0112345678", "+1 202 555 0100", "abc", ""]
)
def test_wrong_numbers_are_refused_with_a_vietnamese_message(raw):
    with pytest.raises(ValidationError) as error:
        normalize_phone(raw)
    assert error.value.code == "invalid_phone"


def test_phone_or_email():
    assert looks_like_phone("0912 345 678")
    assert not looks_like_phone("an@example.vn")
    assert not looks_like_phone("")


def test_display_form():
    assert display_phone("+84912345678") == "0912 345 678"
