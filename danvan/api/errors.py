"""One error vocabulary for Open311 and the REST API: a stable code, an HTTP status and a
message in the user's language (Vietnamese first). Codes never change once published."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ErrorKind:
    status: int
    message: str | Promise


KINDS: dict[str, ErrorKind] = {
    "invalid_input": ErrorKind(400, _("Some fields are missing or wrong.")),
    "sender_details_required": ErrorKind(
        400, _("The law requires the sender's details for this kind of letter; nothing was stored.")
    ),
    "invalid_json": ErrorKind(400, _("The request body is not valid JSON.")),
    "control_character": ErrorKind(
        400, _("A text contains an invisible control character, so nothing was stored.")
    ),
    "invalid_text": ErrorKind(
        400, _("A text contains characters that are not valid Unicode, so nothing was stored.")
    ),
    "unknown_format": ErrorKind(404, _("Only the .xml and .json formats exist.")),
    "unknown_service": ErrorKind(404, _("There is no such service (topic).")),
    "jurisdiction_unknown": ErrorKind(404, _("This server does not serve that jurisdiction.")),
    "api_key_missing": ErrorKind(401, _("An API key is required.")),
    "api_key_invalid": ErrorKind(403, _("The API key is not valid.")),
    "api_key_revoked": ErrorKind(403, _("The API key has been revoked.")),
    "scope_missing": ErrorKind(403, _("The API key may not do this.")),
    "not_found": ErrorKind(404, _("Nothing was found.")),
    "transition_not_allowed": ErrorKind(409, _("This action is not allowed in the case's status.")),
    "conflict": ErrorKind(409, _("The case changed meanwhile; read it again and retry.")),
    "idempotency_key_reused": ErrorKind(
        422,
        _(
            "This Idempotency-Key was already used for a different letter, so nothing was"
            " stored. Send a new letter with a new key."
        ),
    ),
    "rate_limited": ErrorKind(429, _("Too many requests; wait and try again.")),
    "payload_too_large": ErrorKind(413, _("The request is too large.")),
    "method_not_allowed": ErrorKind(405, _("This method is not allowed here.")),
    "service_unavailable": ErrorKind(
        503, _("The service is briefly unavailable, so nothing was changed. Try again shortly.")
    ),
    "storage_unavailable": ErrorKind(
        503, _("Files cannot be stored right now, so nothing was changed. Try again later.")
    ),
}


# A text refused by `danvan.core.text.clean_input` names the error, the first of these
# found: broken text before a control character, both before any other wrong field.
TEXT_CODES = ("invalid_text", "control_character")
SENDER = "sender_details_required"  # a validation code that is also the API's error code


def input_code(codes: Iterable[str]) -> str:
    """The error code of a request whose fields failed with these validation codes."""
    found = set(codes)
    return next((code for code in (*TEXT_CODES, SENDER) if code in found), "invalid_input")


@dataclass
class ApiError(Exception):
    """Raised by the API's services and turned into the caller's error format by each API."""

    code: str
    message: str | Promise | None = None
    fields: dict[str, str] = field(default_factory=dict)  # field name -> message
    retry_after: int | None = None

    def __post_init__(self) -> None:
        if self.code not in KINDS:
            raise ValueError(f"unknown error code {self.code}")

    @property
    def status(self) -> int:
        return KINDS[self.code].status

    @property
    def text(self) -> str:
        """The message, with the first field's message when there is one."""
        base = str(self.message or KINDS[self.code].message)
        if self.fields:
            name, problem = next(iter(self.fields.items()))
            return f"{base} {name}: {problem}"
        return base
