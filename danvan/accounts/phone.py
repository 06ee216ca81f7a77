"""Vietnamese mobile phone numbers, stored in E.164 form (+84 and nine digits)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from danvan.core.phones import national

# Mobile numbers since the 2018 renumbering: 03x, 05x, 07x, 08x and 09x, ten digits.
_MOBILE = re.compile(r"^0([35789]\d{8})$")
_SEPARATORS = re.compile(r"[\s.\-()]")


def looks_like_phone(text: str) -> bool:
    """True when the text is meant as a phone number rather than an e-mail address."""
    cleaned = _SEPARATORS.sub("", text.strip())
    return bool(cleaned) and "@" not in cleaned and cleaned.lstrip("+").isdigit()


def normalize_phone(raw: str) -> str:
    """'0912 345 678', '+84912345678' or '84912345678' -> '+84912345678'."""
    digits = _SEPARATORS.sub("", raw.strip())
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    match = _MOBILE.match(digits)
    if not match:
        raise ValidationError(
            _("Enter a Vietnamese mobile number of 10 digits, for example 0912 345 678."),
            code="invalid_phone",
        )
    return "+84" + match.group(1)


def display_phone(e164: str) -> str:
    """'+84912345678' -> '0912 345 678'."""
    return national(e164)
