"""The search contract on PostgreSQL: a throwaway server with the project's migrations.

When the test database is SQLite, the server (Debian's binaries, installed if missing) is
started once for this module, its database is reached through an extra connection alias,
and every test runs in a transaction that is rolled back. When the test database is
already PostgreSQL (`make pytest-postgres`), the tests use it. The tests are
`TestContract`'s, unchanged.
"""

from collections.abc import Iterator

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from danvan.core.testing_postgres import postgres_server
from danvan.language.search import search

from . import test_search as contract

ALIAS = "search_postgres"


@pytest.fixture(scope="module")
def postgres(django_db_blocker) -> Iterator[str]:
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        yield DEFAULT_DB_ALIAS  # the test database itself
        return
    with postgres_server() as server:
        entry = server.migrated_database("danvan_search")
        configured = connections.configure_settings(
            {DEFAULT_DB_ALIAS: connections.settings[DEFAULT_DB_ALIAS], ALIAS: entry}
        )
        connections.settings[ALIAS] = configured[ALIAS]
        try:
            yield ALIAS
        finally:
            with django_db_blocker.unblock():
                connections[ALIAS].close()
            del connections[ALIAS]
            del connections.settings[ALIAS]


@pytest.fixture
def using(postgres, django_db_blocker, request) -> Iterator[str]:
    if postgres == DEFAULT_DB_ALIAS:
        request.getfixturevalue("db")
        yield postgres
        return
    with django_db_blocker.unblock(), transaction.atomic(using=postgres):
        yield postgres
        transaction.set_rollback(True, using=postgres)


class TestContractOnPostgres(contract.TestContract):
    pass


def test_the_index_is_a_stored_vector_with_a_gin_index(using):
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT is_generated, data_type FROM information_schema.columns"
            " WHERE table_name = 'language_searchdoc' AND column_name = 'search_vector'"
        )
        assert cursor.fetchall() == [("ALWAYS", "tsvector")]
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'searchdoc_vector'")
        assert "USING gin (search_vector)" in cursor.fetchone()[0]


def test_the_gin_index_answers_the_query(using):
    contract.index_letters(using)
    with connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # five rows: force the plan we rely on
        cursor.execute(
            "EXPLAIN SELECT id FROM language_searchdoc"
            " WHERE search_vector @@ phraseto_tsquery('simple', 'bang')"
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
    assert "searchdoc_vector" in plan
    assert [hit.source_id for hit in search("bằng", source="case", scope_ids=None, using=using)]
