"""The one way a file leaves the platform: as a download the browser saves, never renders.

Every view that sends a file (a citizen's attachment, an official's evidence, a document
we generated, a person's data export) builds its response here, so each file gets the same
headers: `Content-Disposition: attachment` with a safe RFC 6266 filename (the Vietnamese
name as `filename*=UTF-8''…`, an ASCII fallback beside it), `X-Content-Type-Options:
nosniff`, a sandboxing Content-Security-Policy in case a browser renders it anyway, no
caching, and a content type from our own check of the bytes (as the caller stored it),
never the one a client sent. A type we do not produce goes out as
`application/octet-stream`.
"""

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON = "application/json; charset=utf-8"
# What our checks (core.uploads.TYPES) and our generators produce.
KNOWN_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf", DOCX, XLSX, JSON})
UNKNOWN_TYPE = "application/octet-stream"
FALLBACK_NAME = "tep-tai-ve"
NAME_MAX = 150
# Even if a browser ignored the disposition, the file could run nothing and load nothing.
SANDBOX = "default-src 'none'; sandbox"
# Characters a filename in a header must not carry: separators, quotes, and ; , which
# would end the parameter in a careless parser.
UNSAFE = re.compile(r'[\\/"\';,:*?<>|%]')
DOTLESS = str.maketrans({"đ": "d", "Đ": "D"})  # đ has no decomposition


def file_response(data: bytes, *, name: str, content_type: str) -> HttpResponse:
    """A file to download. `content_type` is the one our own check stored for it."""
    response = HttpResponse(data, content_type=_known(content_type))
    response["Content-Disposition"] = attachment_disposition(name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    response["Cache-Control"] = "private, no-store"
    return response


def attachment_disposition(name: str) -> str:
    """`attachment; filename="Don kien nghi.pdf"; filename*=UTF-8''%C4%90%C6%A1n%20…`."""
    safe = _safe_name(name)
    return f"attachment; filename=\"{_ascii(safe)}\"; filename*=UTF-8''{quote(safe, safe='')}"


def _known(content_type: str) -> str:
    return content_type if content_type in KNOWN_TYPES else UNKNOWN_TYPE


def _safe_name(name: str) -> str:
    """The stored name without controls, bidi overrides, separators or quotes (old rows
    were stored before the upload check cleaned names), at most NAME_MAX characters with
    its extension kept."""
    name = UNSAFE.sub("_", unicodedata.normalize("NFC", name))
    name = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in name)
    name = " ".join(name.split()).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if len(name) > NAME_MAX and dot and len(extension) <= 5:
        name = stem[: NAME_MAX - len(extension) - 1].rstrip(" .") + dot + extension
    return name[:NAME_MAX] or FALLBACK_NAME


def _ascii(name: str) -> str:
    """For browsers that ignore filename*: "Đơn kiến nghị.pdf" -> "Don kien nghi.pdf"."""
    decomposed = unicodedata.normalize("NFD", name.translate(DOTLESS))
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return re.sub(r"[^A-Za-z0-9._ ()-]", "_", plain)
