"""Every letter writes each index of its rows: no index may duplicate another's leading
column, nor (on PostgreSQL) add a LIKE copy of a key only ever looked up whole."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

SERVED_BY_COMPOSITES = {
    "cases_case": [["agency_id"], ["assignee_id"], ["citizen_id"], ["unit_id"]],
    "cases_caseevent": [["case_id"]],
    "cases_attachment": [["case_id"]],
    "cases_identitylook": [["case_id"]],
}


@pytest.mark.parametrize("table", sorted(SERVED_BY_COMPOSITES))
def test_no_single_column_index_where_a_composite_leads_with_that_column(table):
    indexes = _index_columns(table)
    for columns in SERVED_BY_COMPOSITES[table]:
        assert columns not in indexes  # its own index would only repeat the composite
        assert any(len(other) > 1 and other[:1] == columns for other in indexes)


def test_keys_looked_up_whole_have_no_like_index_on_postgresql():
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"  # Django makes LIKE copies only on PostgreSQL
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename IN"
            " ('cases_case', 'cases_notification') AND indexdef LIKE '%%varchar_pattern_ops%%'"
        )
        assert cursor.fetchall() == []


def _index_columns(table):
    """The columns of each index of `table`, in order (the primary key's left out)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            found = connection.introspection.get_constraints(cursor, table)
            return [c["columns"] for c in found.values() if c["index"] and not c["primary_key"]]
        # Django's SQLite introspection trips over this table's CHECK constraints: ask SQLite.
        names = [row[1] for row in cursor.execute(f"PRAGMA index_list({table})").fetchall()]
        return [
            [row[2] for row in cursor.execute(f"PRAGMA index_info({name})").fetchall()]
            for name in names
        ]
