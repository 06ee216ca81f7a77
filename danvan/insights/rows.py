"""The overview's long tables and selects, written out in Python: 124 agencies and 104
communes with a link behind every count took the template engine over 100 ms a page, and
format_html half of that; plain strings with every text escaped (html.escape, which
escapes what Django's escape does) take a few milliseconds. Templates keep the page's
structure."""

from collections.abc import Iterable
from decimal import Decimal
from html import escape
from typing import Any

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

from .queries import Figures

DASH = "–"


def decimal(value: Decimal | None) -> str:
    return DASH if value is None else str(number_format(value))


def _counts(base: str, key: str, row: Figures) -> str:
    pk = int(row.key or 0)  # type: ignore[arg-type]
    return "".join(
        f'<td><a href="{base}&amp;what={what}&amp;{key}={pk}">{int(getattr(row, what))}</a></td>'
        for what in ("received", "open", "overdue")
    )


def agency_rows(rows: Iterable[Figures], base: str) -> SafeString:
    """base: the letters page with the overview's query; escaped here."""
    base = escape(base)
    lines = [
        f'<tr><th scope="row">{escape(row.name)}</th>{_counts(base, "agency", row)}'
        f"<td>{decimal(row.on_time_pct)}</td><td>{decimal(row.rating_avg)}</td>"
        f"<td>{int(row.reception_held)}/{int(row.reception_required)}</td>"
        f"<td>{int(row.commitments_on_time)}/"
        f"{int(row.commitments_on_time + row.commitments_late)}</td></tr>"
        for row in rows
    ]
    return mark_safe("\n".join(lines))  # noqa: S308 (every text escaped above)


def commune_rows(rows: Iterable[Figures], base: str) -> SafeString:
    base = escape(base)
    lines = [
        f'<tr><th scope="row">{escape(row.name)}</th>{_counts(base, "unit", row)}'
        f"<td>{decimal(row.on_time_pct)}</td><td>{decimal(row.rating_avg)}</td></tr>"
        for row in rows
        if row.key
    ]
    return mark_safe("\n".join(lines))  # noqa: S308 (every text escaped above)


def options(choices: Iterable[tuple[Any, Any]], selected: Any) -> SafeString:
    """<option>s (and <optgroup>s for nested choices), the selected value marked."""
    parts = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            inner = options(label, selected)
            parts.append(f'<optgroup label="{escape(str(value))}">{inner}</optgroup>')
            continue
        mark = " selected" if str(value) == str(selected or "") else ""
        parts.append(f'<option value="{escape(str(value))}"{mark}>{escape(str(label))}</option>')
    return mark_safe("".join(parts))  # noqa: S308 (every text escaped above)
