"""Request ids and log records: a context variable, logging filters, a JSON formatter.

Standard library only (and the pure-Python `danvan.language.pii`), so `LOGGING` can name
these classes before Django's apps are ready.
The request id is set by `danvan.ops.middleware.RequestMiddleware` for the length of one
request; anywhere else (task workers, management commands) records carry "-".
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from danvan.language import pii

NO_REQUEST = "-"
SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

request_id: ContextVar[str] = ContextVar("danvan_request_id", default=NO_REQUEST)

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = frozenset(
    frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None)))
    | {"message", "asctime", "request_id"}
)


def accepted_or_new(incoming: str | None) -> str:
    """The caller's X-Request-ID when it is a sane token, else a fresh uuid4 hex."""
    if incoming and SANE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (a handler filter, so it sees every logger's)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class ContactMaskFilter(logging.Filter):
    """Masks phones, e-mail addresses and ID numbers in every record (a handler filter on
    every handler of LOGGING, so no logger's line escapes it): the message with its args,
    the `extra=` text fields and the traceback. A denouncer's contact never reaches a log.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = pii.mask(message), None
        for key, value in list(vars(record).items()):
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, pii.mask(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = pii.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = pii.mask(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601, UTC), level, logger, message, request_id,
    the `extra=` fields of the call, and `exc_info` as the formatted traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        for key, value in list(vars(record).items()):
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_text:  # formatted (and masked) by ContactMaskFilter
            entry["exc_info"] = record.exc_text
        elif record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
