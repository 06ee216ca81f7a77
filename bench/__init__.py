"""Benchmarks, run by `make bench` (`python -m bench`); each prints `name=value` lines."""

import os
from pathlib import Path

# Where the benchmarks keep their seeded files; the smoke run in the tests uses a temporary one.
BENCH_DIR = Path(
    os.environ.get("DANVAN_BENCH_DIR") or Path(__file__).resolve().parent.parent / "var" / "bench"
)


def django_setup(database: Path) -> None:
    """Start Django on the benchmark's own database file (created if missing)."""
    import warnings

    import django

    # WhiteNoise warns that `collectstatic` has not run; the benchmark serves no static file.
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")

    database.parent.mkdir(parents=True, exist_ok=True)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DANVAN_BENCH_DB"] = str(database)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    django.setup()
