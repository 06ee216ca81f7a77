"""Reading the codes the sign-up and password-reset tests were sent."""

import re

from django.core import mail

from danvan.core.sms import MemoryBackend

SIX_DIGITS = re.compile(r"\b(\d{6})\b")


def sms_to(phone: str) -> list[str]:
    return [text for to, text in MemoryBackend.outbox if to == phone]


def code_in(text: str) -> str:
    [code] = SIX_DIGITS.findall(text)
    return str(code)


def last_sms_code(phone: str) -> str:
    return code_in(sms_to(phone)[-1])


def last_mail_code(address: str) -> str:
    [message] = [m for m in mail.outbox if m.to == [address]][-1:]
    return code_in(str(message.body))
