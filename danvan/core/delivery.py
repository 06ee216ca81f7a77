"""Sending e-mail and SMS so that a failure never carries the recipient.

A gateway's error often names whom the message was for ("550 <binh@…> unknown", "no route
to +8491…"), and a failure is stored twice: on the notification's row and, with its
traceback, in the task's result (the database task backend keeps both). Each send here
raises DeliveryFailed instead: the gateway's error type and text with the recipient taken
out in any writing of it, and without the original exception chained (its traceback would
repeat the text). Callers that know more ways to write a contact mask the text again.
"""

import re

from django.core.mail import send_mail

TEXT_MAX = 300
RECIPIENT = "[người nhận]"
_SEPARATOR = r"[\s.\-_/()]{0,2}"
NATIONAL_DIGITS = 9  # a Vietnamese mobile number after its 0 or +84


class DeliveryFailed(Exception):
    """A message was not delivered; the text says why, never to whom."""


def failure(error: BaseException, *recipients: str) -> DeliveryFailed:
    """`error` as a DeliveryFailed naming none of `recipients`."""
    text = f"{type(error).__name__}: {error}"
    for recipient in recipients:
        text = without(text, recipient)
    return DeliveryFailed(text[:TEXT_MAX])


def without(text: str, recipient: str) -> str:
    """`text` with `recipient` (an address, or a phone in any spacing and prefix) replaced."""
    if not recipient:
        return text
    pattern = _phone_pattern(recipient) if "@" not in recipient else re.escape(recipient)
    return re.sub(pattern, RECIPIENT, text, flags=re.IGNORECASE)


def _phone_pattern(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    national = digits[-NATIONAL_DIGITS:]
    spaced = _SEPARATOR.join(re.escape(d) for d in national)
    return rf"(?<![\d+])(?:(?:\+|00)?84{_SEPARATOR}|0{_SEPARATOR})?{spaced}(?!\d)"


def send_email(subject: str, text: str, to: str) -> None:
    """One e-mail to one address, or DeliveryFailed without the address."""
    try:
        send_mail(subject, text, None, [to])
    except Exception as error:
        raise failure(error, to) from None
