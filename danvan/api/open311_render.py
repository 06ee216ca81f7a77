"""GeoReport v2 documents in the two formats the spec defines, chosen by the URL's suffix.

A document is a root name and a body (a list of records or one record); the same body
becomes JSON as it is, or XML where each list item takes its list's singular tag
(`<services><service>…`). Errors are the spec's error document, with the HTTP status
equal to the code.
"""

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from danvan.core.text import clean_output

from .errors import ApiError

FORMATS = ("xml", "json")
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# A list's tag -> the tag of each of its items.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


@dataclass
class Doc:
    root: str
    body: list[dict[str, Any]] | dict[str, Any]
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


def render(doc: Doc, fmt: str) -> HttpResponse:
    fmt = fmt if fmt in FORMATS else "xml"
    body = printable(doc.body)
    text = to_json(body) if fmt == "json" else to_xml(doc.root, body)
    response = HttpResponse(text, status=doc.status, content_type=CONTENT_TYPES[fmt])
    for name, value in doc.headers.items():
        response[name] = value
    return response


def printable(value: Any) -> Any:
    """Every string of a body through `clean_output`: a letter stored before the edge cleaned
    its text (a control character, a lone surrogate) cannot break the XML or the JSON."""
    if isinstance(value, str):
        return clean_output(value)
    if isinstance(value, dict):
        return {key: printable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [printable(item) for item in value]
    return value


def error_doc(error: ApiError, status: int | None = None) -> Doc:
    code = status or error.status
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after else {}
    return Doc("errors", [{"code": code, "description": error.text}], code, headers)


def stamp(moment: datetime | None) -> str:
    """ISO 8601 with the local offset: `2026-11-23T09:00:00+07:00`."""
    if moment is None:
        return ""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def to_json(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False, default=str)


def to_xml(root: str, body: Any) -> str:
    element = ET.Element(root)
    _fill(element, body)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode")


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for tag, child in value.items():
            _fill(ET.SubElement(element, tag), child)
    elif isinstance(value, list):
        item_tag = ITEM_TAGS.get(element.tag, "item")
        for child in value:
            _fill(ET.SubElement(element, item_tag), child)
    else:
        element.text = _scalar(value)


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
