"""The search contract on PostgreSQL: a throwaway server with the project's migrations.

When the test database is SQLite, the server (Debian's binaries, installed if missing) is
started once for this module, its database is reached through an extra connection alias,
and every test runs in a transaction that is rolled back. When the test database is
already PostgreSQL (`make pytest-postgres`), the tests use it. The tests are
`TestContract`'s, unchanged.
"""

import random
from collections.abc import Iterator

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from danvan.language import search_postgres, search_sqlite
from danvan.language.search import optimize, remove_document, search
from testsupport.postgres_server import postgres_server

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


# Typo tolerance through pg_trgm: the vocabulary table and its trigram index.


def vocabulary(using):
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT word FROM {search_postgres.VOCABULARY}")  # noqa: S608
        return {word for (word,) in cursor.fetchall()}


def test_the_vocabulary_has_a_trigram_index(using):
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchall() == [("pg_trgm",)]
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'searchword_trigram'")
        assert "USING gin (word gin_trgm_ops)" in cursor.fetchone()[0]


def test_indexing_keeps_the_vocabulary_up_to_date(using):
    contract.index_letters(using)
    words = vocabulary(using)
    assert {"giai", "phong", "bang", "facebook", "hoa"} <= words
    contract.index(using, 7, "Tiền", "Số tiền 1.200.000 đồng, mã HS2024")
    words = vocabulary(using)
    assert "tien" in words
    assert not {"1", "200", "hs2024", "x"} & words  # numbers, codes and single letters: no typos
    contract.index(using, 7, "Tiền", "Đã nhận tiền")
    remove_document(source="case", source_id=3, using=using)
    assert {"facebook", "xuong"} <= vocabulary(using)  # left behind until optimize
    assert contract.found("facebok", using) == []  # held by no document: not a variant
    optimize(using=using)
    words = vocabulary(using)
    assert not {"facebook", "xuong"} & words
    assert {"nhan", "giai", "tien"} <= words


def test_the_trigram_index_finds_the_neighbours(using):
    contract.index_letters(using)
    # A vocabulary the size of a real one, so that the planner sees what it would see.
    onsets = "b c ch d g gi h k kh l m n ng nh ph qu s t th tr v x".split()  # noqa: SIM905
    rhymes = "a ai an ang anh ao au ay e en eo i ia ien inh o oi on ong u ui un ung uoi uong"
    syllables = [onset + rhyme for onset in onsets for rhyme in rhymes.split()]
    rng = random.Random(7)
    many = syllables + ["".join(rng.sample(syllables, 2)) for _ in range(30000)]
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {search_postgres.VOCABULARY} SELECT unnest(%s::text[])"
            " ON CONFLICT DO NOTHING",
            [many],
        )
        cursor.execute(f"ANALYZE {search_postgres.VOCABULARY}")
        cursor.execute("SET LOCAL enable_seqscan = off")  # as `neighbours` does
        cursor.execute("SELECT set_config('pg_trgm.similarity_threshold', '0.1', true)")
        sql, params = search_postgres.neighbours_sql(["bnag"])
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on searchword_trigram" in plan, plan
    assert "Index Cond: (word % 'bnag'::text)" in plan  # the similarity operator
    with connections[using].cursor() as cursor:
        assert search_postgres.neighbours(cursor, ["bnag", "fcaeboook", "ba", "1200"]) == {
            "bnag": {"bang": 1},
            "fcaeboook": {"facebook": 2},
        }


def test_typos_come_from_the_trigram_index_not_spelt_out_variants(using, monkeypatch):
    contract.index_letters(using)
    # Two letters changed: not a variant SQLite spells out (two edits are two "slips"),
    # but within two edits of a long word all the same, and near by trigrams.
    assert "facebook" not in search_sqlite.typo_variants("fscebopk")

    def spelt_out(term):
        raise AssertionError("PostgreSQL should not spell out variants")

    monkeypatch.setattr(search_sqlite, "typo_variants", spelt_out)
    assert sorted(contract.found("giai phong mat bnag", using)) == [1, 2]
    assert contract.found("fscebopk", using) == [3]
    assert contract.found("fscebopkk", using) == []  # three edits: too far
