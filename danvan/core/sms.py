"""The SMS channel: one small interface, a backend chosen by DANVAN_SMS_BACKEND.

A province plugs in its carrier's gateway (Viettel, VNPT, ...) as a class with `send`.
Development writes messages to the log, the recipient masked (the log filter
`danvan.ops.logs.ContactMaskFilter` masks the rest); tests keep them in `MemoryBackend.outbox`.
"""

import logging
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from .delivery import failure

logger = logging.getLogger("danvan.sms")


class SmsBackend(Protocol):
    def send(self, to: str, text: str, reference: str = "") -> None:
        """Deliver or raise; the caller's task retries on an exception.

        `reference` names the message for good (the notification's id): gateways that take
        a client message id can drop a resend of the same message.
        """


class LogBackend:
    def send(self, to: str, text: str, reference: str = "") -> None:
        logger.info("SMS %s to %s: %s", reference, masked_number(to), text)


def masked_number(to: str) -> str:
    """A phone number as the development log shows it: not at all (the reference tells
    messages apart; a denouncer's number must not reach a log)."""
    return "[số điện thoại]" if to else ""


class MemoryBackend:
    outbox: ClassVar[list[tuple[str, str]]] = []
    references: ClassVar[list[str]] = []

    def send(self, to: str, text: str, reference: str = "") -> None:
        self.outbox.append((to, text))
        self.references.append(reference)


def send_sms(to: str, text: str, reference: str = "") -> None:
    """Send through the configured gateway, or raise DeliveryFailed without the number (a
    gateway's error is stored and logged; `delivery.py`)."""
    backend: SmsBackend = import_string(settings.DANVAN_SMS_BACKEND)()
    try:
        backend.send(to, text, reference)
    except Exception as error:
        raise failure(error, to) from None
