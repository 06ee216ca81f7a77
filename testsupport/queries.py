"""Query counts that compare two sizes: a page costs the same with few rows as with many."""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_of(call: Callable[[], object]) -> int:
    """How many SQL statements `call` runs on the default database."""
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)
