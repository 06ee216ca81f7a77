"""Keys of keyset pagination over lists ordered by a date then an id: `<yyyy-mm-dd>.<id>`,
or `<word>.<id>` in a list's second part that has no date (letters without a running
deadline, commitments done). A key that does not read is no key: the first page."""

from datetime import date


def page_key(day: date | None, pk: int, *, undated: str | None = None) -> str:
    if day is None:
        if undated is None:
            raise ValueError("this list has no part without a date")
        return f"{undated}.{pk}"
    return f"{day.isoformat()}.{pk}"


def parse_page_key(
    text: str | None, *, undated: str | None = None
) -> tuple[date | None, int] | None:
    """(date or None in the undated part, id), or None for no key or an unreadable one."""
    try:
        day, pk = (text or "").split(".")
        if undated is not None and day == undated:
            return None, int(pk)
        return date.fromisoformat(day), int(pk)
    except ValueError:
        return None
