"""The development mail backend: each message printed readably with contact details masked.

Django's console backend prints the MIME text, where a Vietnamese body is base64 that no
one can read or mask. This one prints the headers and the body as text, through
`pii.mask`: a developer watching the console sees that a notice left and what it
said, never the phone or address it went to.
"""

from typing import Any

from django.core.mail.backends.console import EmailBackend

from danvan.language import pii


class ConsoleEmailBackend(EmailBackend):
    def write_message(self, message: Any) -> None:
        self.stream.write(f"{pii.mask(readable(message))}\n")
        self.stream.write("-" * 79)
        self.stream.write("\n")


def readable(message: Any) -> str:
    """The message as a person reads it: who, what, the body, the attachments' names."""
    headers = [("From", [message.from_email]), ("To", message.to), ("Cc", message.cc),
               ("Bcc", message.bcc), ("Reply-To", message.reply_to),
               ("Subject", [message.subject])]  # fmt: skip
    lines = [f"{name}: {', '.join(map(str, values))}" for name, values in headers if values]
    lines += ["", str(message.body)]
    names = [getattr(item, "filename", None) or "" for item in message.attachments]
    lines += [f"[attachment] {name}" for name in names]
    return "\n".join(lines)
