"""Seeding for the language benchmark: N letters of VNTC sentences, their search index and
their duplicate fingerprints, each built the platform's own way.

Letters come from `cases_seed.CaseMaker` (same mix of agencies, kinds and statuses as the
cases benchmark; the demo handling officer's agency holds a third), inserted by raw
`executemany` with the table's indexes dropped during the load. Their text is drawn from
every sentence of the corpus, not the cases benchmark's 40,000: at a million letters a
sentence then recurs about six times instead of ninety, closer to real letters, which
share topics rather than whole sentences. Events are left out: nothing here reads them.

The search index is built by `search.reindex` over the source the cases app registers (what
`manage.py reindex_search` runs), on a connection with the real settings. Fingerprints are
`similarity.signature` and `band_keys` of each letter's text, as `fingerprint_store` keeps
them, computed in WORKERS processes (pure Python: about 4,000 letters a second on one
core) and bulk-inserted with the key index rebuilt after.
"""

import multiprocessing
import sqlite3
import time
from collections.abc import Iterator
from typing import Any

from bench import cases_seed, texts

BATCH = 50_000
FINGERPRINT_CHUNK = 2_000  # letters per task sent to a worker
WORKERS = 2
Row = tuple[Any, ...]


def sentences() -> list[str]:
    """Every sentence of 40 to 300 characters of the corpus (the built-in few without it)."""
    from evaluate import vntc

    if not texts.VNTC.exists():
        return list(texts.FALLBACK)
    pool: list[str] = []
    for text, _label in vntc.read(texts.VNTC):
        pool.extend(vntc.sentences(text))
    return pool or list(texts.FALLBACK)


def seed_cases(db: sqlite3.Connection, w: cases_seed.World, count: int) -> dict[str, float]:
    """Insert `count` letters (no events); returns the seconds of each phase."""
    from danvan.cases.models import Case

    clock = {"make": 0.0, "insert": 0.0, "index": 0.0}
    started = time.perf_counter()
    maker = cases_seed.CaseMaker(w, sentences())
    clock["pool"] = time.perf_counter() - started
    first = int(db.execute("SELECT coalesce(max(id), 0) + 1 FROM cases_case").fetchone()[0])
    indexes = _drop_indexes(db, "cases_case")
    columns, extra = cases_seed.with_defaults(Case, cases_seed.CASE_COLUMNS)
    sql = cases_seed.insert_sql("cases_case", columns)
    db.execute("BEGIN")
    for start in range(0, count, BATCH):
        made = time.perf_counter()
        cases, _events = maker.batch(first + start, min(BATCH, count - start))
        inserted = time.perf_counter()
        db.executemany(sql, [row + extra for row in cases])
        clock["make"] += inserted - made
        clock["insert"] += time.perf_counter() - inserted
    db.execute("COMMIT")
    indexed = time.perf_counter()
    for statement in indexes:
        db.execute(statement)
    clock["index"] = time.perf_counter() - indexed
    clock["total"] = time.perf_counter() - started
    return clock


def search_index() -> dict[str, float]:
    """`reindex_search --source case`: the registered rows through `reindex`, then `optimize`."""
    from danvan.language import search

    started = time.perf_counter()
    indexed = search.reindex("case", search.registered_sources()["case"]())
    built = time.perf_counter()
    search.optimize()
    return {
        "docs": indexed,
        "build": built - started,
        "optimize": time.perf_counter() - built,
    }


def fingerprint_rate(db: sqlite3.Connection, sample: int = 2_000) -> float:
    """Letters fingerprinted per second by one process, on the first `sample` letters."""
    rows = db.execute(
        "SELECT id, title, content FROM cases_case ORDER BY id LIMIT ?", (sample,)
    ).fetchall()
    started = time.perf_counter()
    _keys(rows)
    return len(rows) / (time.perf_counter() - started)


def fingerprints(db: sqlite3.Connection, workers: int = WORKERS) -> int:
    """Store the band keys of every letter that has none; returns how many keys."""
    indexes = _drop_indexes(db, "cases_casefingerprint")
    done = {int(r[0]) for r in db.execute("SELECT DISTINCT case_id FROM cases_casefingerprint")}
    sql = "INSERT INTO cases_casefingerprint (case_id, key) VALUES (?, ?)"
    stored = 0
    db.execute("BEGIN")
    # fork: the workers run pure functions on the rows they are sent, never the database.
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for keys in pool.imap(_keys, _unprinted(db, done)):
            db.executemany(sql, keys)
            stored += len(keys)
    db.execute("COMMIT")
    for statement in indexes:
        db.execute(statement)
    return stored


def _unprinted(db: sqlite3.Connection, done: set[int]) -> Iterator[list[Row]]:
    # A cursor of its own: the inserts into the other table do not disturb its reads.
    cursor = db.execute("SELECT id, title, content FROM cases_case ORDER BY id")
    while rows := cursor.fetchmany(FINGERPRINT_CHUNK):
        todo = [row for row in rows if row[0] not in done]
        if todo:
            yield todo


def _keys(rows: list[Row]) -> list[tuple[int, int]]:
    """(case_id, key) for each band key, as `duplicates.fingerprint_store` computes and
    stores them: the text is `case_text`, a key the signed BIGINT of its 64-bit hex."""
    from danvan.language import similarity

    found: list[tuple[int, int]] = []
    for pk, title, content in rows:
        keys = similarity.band_keys(similarity.signature(f"{title}\n{content}"))
        found.extend((pk, int(key, 16) - (1 << 63)) for key in keys)
    return found


def _drop_indexes(db: sqlite3.Connection, table: str) -> list[str]:
    """Drop the secondary indexes of `table`; returns the SQL that rebuilds them."""
    rows = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        " AND tbl_name = ?",
        (table,),
    ).fetchall()
    for name, _sql in rows:
        db.execute(f'DROP INDEX "{name}"')
    return [str(sql) for _name, sql in rows]
