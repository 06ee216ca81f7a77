"""The soak test's dry phase: `python -m bench soak --dry [--cases N] [--minutes M]`.

The full soak needs the production layout (nginx, gunicorn, PostgreSQL and its replica,
Redis, a tmpfs for `disk_full`): minutes to start and tools a test machine may not have. The
dry phase runs everything of it that does not: the seeded letters (the cases benchmark's
file: the same `CaseMaker` rows the soak copies into PostgreSQL, checked against the
columns its COPY writes), the API keys and ids of `world`, and the soak's own virtual users
(`Load.citizen`, `officer`, `form_citizen`: the same requests, bodies and headers) for
`--minutes` (a few seconds by default), answered in-process by Django's test client instead
of over a socket. Then every acknowledged letter is looked up in the database, and the
letters of the run are removed again. It proves the
load still speaks the platform's current API and forms; it measures nothing.

Prints `dry_<kind>_requests` and `dry_<kind>_errors` per request kind, `dry_lost`, and last
`dry=ok` (exit 0) or `dry=failed` (exit 1).
"""

import argparse
import asyncio
import os
import threading
from collections import Counter
from typing import Any

from bench import BENCH_DIR, django_setup
from bench.soak_http import Connection, Response

SECONDS = 3.0  # of load when --minutes is left at the full soak's default
_ONE_AT_A_TIME = threading.Lock()  # SQLite: concurrent writers would wait on each other's lock
KINDS = ("submit", "track", "queue", "form_get", "form_post")  # each must be requested


class ClientConnection(Connection):
    """A soak connection answered by Django's test client, in a thread of its own (the
    load runs in an event loop, where Django refuses database calls)."""

    def __init__(self) -> None:
        from django.test import Client

        super().__init__("testserver", 80)
        self.client = Client()

    async def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> Response:
        return await asyncio.to_thread(self._answer, method, path, headers or {}, body)

    def _answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Response:
        from django.db import connection

        kept = {
            name: value
            for name, value in headers.items()
            if name.lower() not in ("content-type", "cookie")  # the client keeps its cookies
        }
        content_type = headers.get("Content-Type", "application/octet-stream")
        try:
            with _ONE_AT_A_TIME:
                answer = self.client.generic(
                    method, path, body, content_type=content_type, headers=kept
                )
        finally:
            connection.close()  # this thread's connection; the next call may run in another
        return Response(
            status=answer.status_code,
            headers={name.lower(): value for name, value in answer.items()},
            body=answer.content,
            cookies={name: morsel.value for name, morsel in answer.cookies.items()},
        )


def run(args: argparse.Namespace) -> int:
    os.environ["DANVAN_MEDIA_ROOT"] = str(BENCH_DIR / "soak-dry-media")  # the form's PDFs
    path = BENCH_DIR / f"cases-{args.cases}.sqlite3"
    django_setup(path)
    from bench import cases

    print(f"cases={args.cases}", "dry=1", sep="\n", flush=True)
    cases.prepare(path, args.cases)
    problems = _seed_rows_fit()
    before = cases.last_case_id()
    load = _load(args)
    seconds = SECONDS if args.minutes == 10.0 else args.minutes * 60
    from django.db import connection

    connection.close()  # the users' threads write: this thread must hold no SQLite lock
    try:
        asyncio.run(_users(load, seconds))
        problems += _report(load)
    finally:
        cases.delete_cases_after(before)  # the file stays as seeded for the other benchmarks
    for problem in problems:
        print(f"dry_problem={problem}", flush=True)
    print(f"dry={'failed' if problems else 'ok'}", flush=True)
    return 1 if problems else 0


def _seed_rows_fit() -> list[str]:
    """The rows `soak_seed.seed` would COPY have as many values as the columns it names."""
    from bench import cases_seed, soak_seed, texts
    from danvan.cases.models import Case, CaseEvent

    maker = cases_seed.CaseMaker(cases_seed.world(soak_seed.OFFICER), texts.FALLBACK)
    made, events = maker.batch(10**9, 20)
    problems = []
    for model, columns, rows in ((Case, cases_seed.CASE_COLUMNS, made),
                                 (CaseEvent, cases_seed.EVENT_COLUMNS, events)):  # fmt: skip
        names, extra = soak_seed.with_defaults(model, columns)
        if any(len(row) + len(extra) != len(names) for row in rows):
            problems.append(f"{model.__name__} rows do not fit the COPY columns")
    return problems


def _load(args: argparse.Namespace) -> Any:
    from bench import soak

    class DryLoad(soak.Load):
        def connect(self) -> Connection:
            return ClientConnection()

    load = DryLoad(args, soak.soak_world(), layout=None, disk=None)  # type: ignore[arg-type]
    load.form_every = 0.2
    load.phase = "dry"
    return load


async def _users(load: Any, seconds: float) -> None:
    users = [asyncio.create_task(load.citizen(0)), asyncio.create_task(load.officer(0)),
             asyncio.create_task(load.form_citizen())]  # fmt: skip
    await asyncio.sleep(seconds)
    load.running = False
    await asyncio.gather(*users)


def _report(load: Any) -> list[str]:
    from danvan.cases.models import Case

    records = load.records["dry"]
    counts = Counter(kind for kind, *_ in records)
    errors = Counter(kind for kind, _ms, _status, ok in records if not ok)
    for kind in sorted(set(counts) | set(KINDS)):
        print(f"dry_{kind}_requests={counts[kind]}", f"dry_{kind}_errors={errors[kind]}",
              sep="\n", flush=True)  # fmt: skip
    codes = [ack.code for ack in load.acks]
    found = set(
        Case.objects.filter(tracking_code__in=codes).values_list("tracking_code", flat=True)
    )
    lost = len(set(codes) - found)
    print(f"dry_acknowledged={len(codes)}", f"dry_lost={lost}", sep="\n", flush=True)
    problems = [f"{kind}: {n} errors" for kind, n in sorted(errors.items())]
    problems += [f"{kind}: never requested" for kind in KINDS if not counts[kind]]
    problems += [f"{lost} acknowledged letters not found"] if lost else []
    return problems
