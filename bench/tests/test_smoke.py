"""Every benchmark runs once at a small count, as `make bench` would run it: a smoke run.

Nothing here judges a figure; a benchmark passes when it reaches its last line and exits 0.
That is what keeps them from rotting unnoticed (the cases benchmark once stopped at its
first queue request for months, after officials began to need two-step verification).
Each runs in its own process on its own SQLite files, in a temporary directory; the soak
test runs its dry phase (`bench/soak_dry.py`): the full one needs the production layout.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from bench.__main__ import BENCHMARKS, ON_REQUEST

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "danvan" / "language" / "tests" / "fixtures" / "vntc_sample.jsonl"
# name -> (arguments, the start of the last line it prints)
SMOKE = {
    "cases": (["--count", "200", "--samples", "5"], "targets_met="),
    "language": (["--count", "200", "--samples", "5", "--train", "200"], "targets_met="),
    "evaluation": (["--count", "200", "--repeat", "1"], "round_metrics_target="),
    "insights": (["--count", "200", "--requests", "5"], "report_xlsx_s_target="),
    "soak": (["--dry", "--cases", "200"], "dry=ok"),
}
TIMEOUT = 300


@pytest.fixture(scope="module")
def bench_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the benchmarks use their own SQLite files: covered by the SQLite run")
    return tmp_path_factory.mktemp("bench")


def test_every_benchmark_has_a_smoke_run():
    assert set(SMOKE) == {*BENCHMARKS, *ON_REQUEST}


@pytest.mark.parametrize("name", list(SMOKE))
def test_benchmark_reaches_its_last_line(name: str, bench_dir: Path) -> None:
    args, last = SMOKE[name]
    env = {**os.environ, "DANVAN_BENCH_DIR": str(bench_dir), "DANVAN_VNTC": str(FIXTURE)}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if not env.get("DANVAN_IDENTITY_KEYS_FILE"):
        env["DANVAN_IDENTITY_KEYS"] = settings.DANVAN_IDENTITY_KEYS[0]
    done = subprocess.run(
        [sys.executable, "-m", "bench", name, *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )  # fmt: skip
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert lines, done.stderr[-4000:]
    assert lines[-1].startswith(last), done.stdout[-2000:]
