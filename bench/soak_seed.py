"""Seeding PostgreSQL for the soak test: the demo province, then N cases by COPY.

The rows are those of the cases benchmark (bench/cases_seed.py: the same mix of kinds,
statuses, communes and deadlines). They go in through COPY on a superuser connection with
the foreign-key triggers off (`session_replication_role = replica`) and the secondary
indexes of the two tables dropped, rebuilt afterwards; then the id sequence is moved past
the seeded ids and the tables are vacuumed and analysed.
"""

import time
from typing import Any

from bench import cases_seed, texts

SEED_VERSION = "1"
OFFICER = "xuly@demo.danvan.vn"
TABLES = ("cases_case", "cases_caseevent")


def seeded(url: str) -> str | None:
    """What an earlier seeding wrote (`count:version`), None when nothing was seeded."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        found = db.execute("SELECT to_regclass('bench_meta') IS NOT NULL").fetchone()
        if not found or not found[0]:
            return None
        row = db.execute("SELECT value FROM bench_meta WHERE key = 'soak'").fetchone()
    return str(row[0]) if row else None


def seed(url: str, count: int) -> dict[str, float]:
    """Insert `count` cases and their events; returns the seconds of each phase."""
    import psycopg

    from danvan.cases.models import Case, CaseEvent

    clock = {"make": 0.0, "copy": 0.0, "index": 0.0}
    started = time.perf_counter()
    maker = cases_seed.CaseMaker(cases_seed.world(OFFICER), texts.sentences())
    case_columns, case_extra = with_defaults(Case, cases_seed.CASE_COLUMNS)
    event_columns, event_extra = with_defaults(CaseEvent, cases_seed.EVENT_COLUMNS)
    with psycopg.connect(url) as db:
        db.execute("SET session_replication_role = replica")  # no FK triggers during COPY
        db.execute("SET TIME ZONE 'UTC'")  # the seeder's timestamps are UTC
        db.execute("SET maintenance_work_mem = '1GB'")
        row = db.execute("SELECT coalesce(max(id), 0) + 1 FROM cases_case").fetchone()
        first = int(row[0]) if row else 1
        indexes = _drop_indexes(db)
        for start in range(0, count, cases_seed.BATCH):
            made = time.perf_counter()
            cases, events = maker.batch(first + start, min(cases_seed.BATCH, count - start))
            copied = time.perf_counter()
            _copy(db, "cases_case", case_columns, [r + case_extra for r in cases])
            _copy(db, "cases_caseevent", event_columns, [r + event_extra for r in events])
            clock["make"] += copied - made
            clock["copy"] += time.perf_counter() - copied
        indexed = time.perf_counter()
        for sql in indexes:
            db.execute(sql)
        db.execute(
            "SELECT setval(pg_get_serial_sequence('cases_case', 'id'),"
            " (SELECT max(id) FROM cases_case))"
        )
        db.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
        db.execute(
            "INSERT INTO bench_meta VALUES ('soak', %s)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [f"{count}:{SEED_VERSION}"],
        )
        db.commit()
        clock["index"] = time.perf_counter() - indexed
    vacuumed = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("VACUUM (ANALYZE) cases_case, cases_caseevent")
    clock["vacuum"] = time.perf_counter() - vacuumed
    clock["total"] = time.perf_counter() - started
    return clock


def with_defaults(model: Any, columns: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """The seeder's columns plus the model's others with their defaults; not an id the
    database numbers itself (the events')."""
    from django.db import connection

    extra = [
        f for f in model._meta.concrete_fields
        if f.column not in columns and not (f.primary_key and f.column not in columns)
    ]  # fmt: skip
    values = tuple(f.get_db_prep_save(f.get_default(), connection) for f in extra)
    return (*columns, *(str(f.column) for f in extra)), values


def _copy(db: Any, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    with db.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def _drop_indexes(db: Any) -> list[str]:
    """Drop the two tables' indexes that back no constraint; returns the SQL rebuilding them."""
    rows = db.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
        " FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid"
        " WHERE t.relname = ANY(%s)"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
        [list(TABLES)],
    ).fetchall()
    for name, _sql in rows:
        db.execute(f"DROP INDEX {name}")
    return [str(sql) for _name, sql in rows]
