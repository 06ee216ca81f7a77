"""What every benchmark shares: its own SQLite file, the demo province, the seed's version."""

import math
from pathlib import Path


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def demo_load() -> None:
    from danvan.demo.services import demo_load as load
    from danvan.demo.services import demo_password

    load(password=demo_password())


def seeded_version(key: str) -> str | None:
    """The version a benchmark wrote into its file when seeding it (None: not seeded)."""
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT value FROM bench_meta WHERE key = %s", [key])
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return str(row[0]) if row else None


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def cases_file(count: int, *, fresh: bool) -> Path:
    """The cases benchmark's seeded file of `count` letters (seeded when missing or `fresh`),
    with Django set up on it: what the benches that read letters start from."""
    from bench import BENCH_DIR, django_setup

    path = BENCH_DIR / f"cases-{count}.sqlite3"
    if fresh:
        remove_db(path)
    django_setup(path)
    print(f"cases={count}", flush=True)
    from bench import cases

    cases.prepare(path, count)
    return path
