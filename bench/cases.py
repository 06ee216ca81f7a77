"""Cases at scale: the officer queue, the case page, tracking and intake on N seeded letters.

    python -m bench cases [--count N] [--fresh] [--samples S]

Seeds `var/bench/cases-<N>.sqlite3` once (a rerun reuses it; `--fresh` reseeds) with the
letters, their events, their duplicate fingerprints and their search documents, then times
requests in-process through Django's test client (server time: middleware, view, queries,
template), DEBUG off, signed in as the demo handling officer (password, then the TOTP code
of an authenticator device the benchmark gives them: `bench.signin`), whose commune holds a
third of all letters. Prints one `name=value` a line; exits non-zero on an error, not on a missed target.
"""

import argparse
import html
import random
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench import BENCH_DIR, django_setup
from bench.common import demo_load, percentile, remove_db, seeded_version

DEFAULT_COUNT = 100_000
SAMPLES = 200
WARMUP = 20
DEEP_PAGES = 40
OFFICER = "xuly@demo.danvan.vn"
QUEUE = "/staff/cases/"
TARGETS = {"queue_first_p95_ms": 50.0, "queue_deep_p95_ms": 50.0, "tracking_p95_ms": 20.0}
_NEXT = re.compile(r'href="(\?[^"]*after=[^"]*)"')


class BenchError(Exception):
    """A page answered something else than expected."""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench cases", description=__doc__)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="cases to seed")
    parser.add_argument("--fresh", action="store_true", help="reseed even if a file exists")
    parser.add_argument("--samples", type=int, default=SAMPLES, help="requests per figure")
    args = parser.parse_args(argv)
    if args.count < 1 or args.samples < 1:
        parser.error("--count and --samples must be positive")
    path = BENCH_DIR / f"cases-{args.count}.sqlite3"
    if args.fresh:
        remove_db(path)
    django_setup(path)
    print(f"cases={args.count}", flush=True)
    prepare(path, args.count)
    figures = _measure(args.samples)
    _verdict(figures)
    return 0


def prepare(path: Path, count: int) -> None:
    """Reuse the file when it holds this many cases of this seeding version; else seed it."""
    from django.core.management import call_command
    from django.db import connection

    from bench import cases_seed

    if seeded_version("cases") == f"{count}:{cases_seed.SEED_VERSION}":
        call_command("migrate", verbosity=0, interactive=False)
        print("seeded=reused", flush=True)
        return
    connection.close()
    remove_db(path)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    demo_load()
    print(f"demo_s={time.perf_counter() - started:.1f}", flush=True)
    clock = _seed(count)
    print("seeded=fresh", f"seed_s={clock['total']:.1f}", sep="\n", flush=True)
    for phase in ("make", "insert", "index", "fingerprints", "search"):
        print(f"seed_{phase}_s={clock[phase]:.1f}")
    print(f"db_mb={path.stat().st_size / 2**20:.0f}", flush=True)


def _seed(count: int) -> dict[str, float]:
    """Bulk load on the raw SQLite connection, with the safety of a throwaway file."""
    from django.db import connection

    from bench import cases_seed

    w = cases_seed.world(OFFICER)
    connection.ensure_connection()
    db: Any = connection.connection
    for pragma in ("foreign_keys=OFF", "synchronous=OFF", "journal_mode=OFF",
                   "cache_size=-1000000", "temp_store=MEMORY"):  # fmt: skip
        db.execute(f"PRAGMA {pragma}")
    clock = cases_seed.seed_cases(db, w, count)
    clock.update(_fingerprints_and_index(db))
    db = connection.connection
    db.execute("CREATE TABLE bench_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        "INSERT INTO bench_meta VALUES ('cases', ?)", (f"{count}:{cases_seed.SEED_VERSION}",)
    )
    db.execute("PRAGMA journal_mode=WAL")
    connection.close()  # the benchmark runs on a connection with the real settings
    return clock


def _fingerprints_and_index(db: Any) -> dict[str, float]:
    """What every real letter has beside its row: its duplicate fingerprints (so intake's
    duplicate scan and the case page's related letters meet N letters) and its search
    document (so the queue's search and intake's indexing work at scale). Both are built the
    platform's way (`bench.language_seed`); the raw connection is opened again after."""
    from django.db import connection

    from bench import language_seed

    started = time.perf_counter()
    language_seed.fingerprints(db)
    printed = time.perf_counter()
    connection.close()  # the index is written on a connection with the real settings
    language_seed.search_index()
    connection.close()
    connection.ensure_connection()
    return {"fingerprints": printed - started, "search": time.perf_counter() - printed}


# Measuring -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ids:
    searches: list[str]  # 2 to 3 words of seeded letters, as an officer types them
    communes: list[int]
    topics: list[int]
    visible: list[int]  # cases the officer may open
    codes: list[str]  # tracking codes of any cases


def _ids(samples: int) -> Ids:
    from danvan.accounts.access import agency_ids_of
    from danvan.accounts.models import User
    from danvan.cases.forms import SubmitForm
    from danvan.cases.models import Case, Topic

    officer = User.objects.get(email=OFFICER)
    agencies = agency_ids_of(officer)
    top = int(Case.objects.order_by("-pk").values_list("pk", flat=True)[0])
    rng = random.Random(11)
    picks = [rng.randint(1, top) for _ in range(samples * 3)]
    visible = Case.objects.filter(agency_id__in=agencies, pk__in=picks)
    communes: Any = SubmitForm().fields["unit"].queryset  # type: ignore[attr-defined]
    codes = Case.objects.filter(pk__in=picks[:samples]).values_list("tracking_code", flat=True)
    return Ids(
        searches=_searches(visible, rng),
        communes=list(communes.values_list("pk", flat=True)),
        topics=list(Topic.objects.filter(is_public=True).values_list("pk", flat=True)),
        visible=list(visible.values_list("pk", flat=True)[:samples]),
        codes=list(codes),
    )


def _searches(cases: Any, rng: random.Random) -> list[str]:
    found = []
    for title in cases.values_list("title", flat=True)[:50]:
        words = [w for w in str(title).split()[1:] if w.isalpha()]  # past "Khiếu nại"...
        if len(words) >= 3:
            start = rng.randrange(len(words) - 2)
            found.append(" ".join(words[start : start + rng.randint(2, 3)]).lower())
    return found or ["đất đai"]


def _measure(samples: int) -> dict[str, float]:
    from django.test import Client

    from bench.signin import signed_in
    from danvan.demo.services import demo_password

    ids = _ids(samples)
    officer = signed_in(OFFICER, password=demo_password())
    figures: dict[str, float] = {}
    queue_figures(figures, officer, ids, samples)
    _report(figures, "case_page", _times(officer, [f"{QUEUE}{pk}/" for pk in ids.visible], samples))
    _report(figures, "tracking", _times(Client(), [f"/tra-cuu/{c}/" for c in ids.codes], samples))
    submit_figures(figures, ids, samples)
    return figures


KINDS = ("feedback", "petition", "complaint", "denunciation")
OPEN_STATUSES = ("received", "classified", "accepted", "in_progress", "extended")


def queue_urls(ids: Ids) -> dict[str, list[str]]:
    """The queue as officers use it, each figure over many URLs (one URL alone would time
    the database's cache of one query): filters by kind, status, deadline and assignee,
    every topic, and searches of words taken from seeded letters."""
    filters = [f"?kind={kind}&overdue=1" for kind in KINDS]
    filters += [f"?status={status}" for status in OPEN_STATUSES]
    filters += [f"?due={days}" for days in (3, 7, 30)] + ["?mine=1", "?mine=1&overdue=1"]
    return {
        "queue_first": [QUEUE],
        "queue_filtered": [QUEUE + f for f in filters],
        "queue_topic": [f"{QUEUE}?topic={topic}" for topic in ids.topics],
        "queue_search": [f"{QUEUE}?q={quote(words)}" for words in ids.searches],
    }


def queue_figures(figures: dict[str, float], client: Any, ids: Ids, samples: int) -> None:
    for name, urls in queue_urls(ids).items():
        _report(figures, name, _times(client, urls, samples))
    for name, start in (("queue_deep", QUEUE), ("queue_closed_deep", f"{QUEUE}?status=closed")):
        url, depth = _follow(client, start, DEEP_PAGES)
        figures[f"{name}_page"] = depth
        print(f"{name}_page={depth}", flush=True)
        _report(figures, name, _times(client, [url], samples))


def _follow(client: Any, url: str, pages: int) -> tuple[str, int]:
    """The URL of page `pages` (1 = first), following the queue's next link."""
    depth = 1
    while depth < pages:
        found = _NEXT.search(_get(client, url).content.decode())
        if not found:
            break
        url, depth = QUEUE + html.unescape(found.group(1)), depth + 1
    return url, depth


def _get(client: Any, url: str, expect: int = 200) -> Any:
    response = client.get(url)
    if response.status_code != expect:
        raise BenchError(f"GET {url} answered {response.status_code}, not {expect}")
    return response


def _times(client: Any, urls: list[str], samples: int) -> list[float]:
    """Milliseconds of `samples` GETs cycling over `urls`, after a warm-up."""
    if not urls:
        raise BenchError("nothing to request")
    for n in range(WARMUP):
        _get(client, urls[n % len(urls)])
    times = []
    for n in range(samples):
        started = time.perf_counter()
        _get(client, urls[n % len(urls)])
        times.append((time.perf_counter() - started) * 1000)
    return times


def submit_figures(figures: dict[str, float], ids: Ids, samples: int) -> None:
    """Letters per second through the web form, then the letters are removed again."""
    from django.test import Client

    before = last_case_id()
    citizen, rng = Client(), random.Random(5)
    _get(citizen, "/gui-don/")
    post = _poster(citizen, ids, rng)
    for _ in range(WARMUP // 4):
        post()
    times = []
    for _ in range(samples):
        times.append(post())
    figures["submit_per_s"] = round(len(times) / (sum(times) / 1000), 1)
    print(f"submit_per_s={figures['submit_per_s']}", flush=True)
    _report(figures, "submit", times)
    delete_cases_after(before)


def last_case_id() -> int:
    from danvan.cases.models import Case

    return int(Case.objects.order_by("-pk").values_list("pk", flat=True)[0])


def delete_cases_after(pk: int) -> None:
    """Remove the benchmark's own submissions and whatever points at them, so that a rerun
    finds the file as seeded."""
    from django.db import connection
    from django.db.models import ForeignObjectRel

    from danvan.cases.models import Case

    with connection.cursor() as cursor:
        # Hidden relations too: related_name="+" foreign keys and many-to-many tables.
        relations = [
            f for f in Case._meta.get_fields(include_hidden=True)
            if isinstance(f, ForeignObjectRel) and (f.one_to_many or f.one_to_one)
        ]  # fmt: skip
        for relation in relations:
            if relation.related_model is not Case and relation.field.concrete:
                table = relation.related_model._meta.db_table
                column = relation.field.column
                cursor.execute(f'DELETE FROM "{table}" WHERE "{column}" > %s', [pk])  # noqa: S608
        cursor.execute("DELETE FROM cases_case WHERE id > %s", [pk])


def _poster(client: Any, ids: Ids, rng: random.Random) -> Callable[[], float]:
    from bench import texts

    pool = texts.FALLBACK

    def post() -> float:
        kind = rng.choice(["feedback", "petition", "complaint"])
        data = {
            "kind": kind, "unit": rng.choice(ids.communes), "topic": rng.choice(ids.topics),
            "title": texts.title(rng, pool, kind), "content": texts.content(rng, pool),
            "place": "Tổ dân phố 3", "name": "Nguyễn Thị Lan", "phone": "0987 123 456",
            "email": "", "address": "Số 5, tổ 3", "form_token": uuid.uuid4().hex,
        }  # fmt: skip
        started = time.perf_counter()
        response = client.post("/gui-don/", data)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code not in (201, 302):
            raise BenchError(f"POST /gui-don/ answered {response.status_code}")
        return elapsed

    return post


def _report(figures: dict[str, float], name: str, times: list[float]) -> None:
    for label, q in (("p50", 0.50), ("p95", 0.95)):
        figures[f"{name}_{label}_ms"] = value = percentile(times, q)
        print(f"{name}_{label}_ms={value:.1f}", flush=True)


def _verdict(figures: dict[str, float]) -> None:
    missed = [name for name, limit in TARGETS.items() if figures[name] >= limit]
    checks = " ".join(
        f"{name}<{limit:g}:{'missed' if name in missed else 'ok'}"
        for name, limit in TARGETS.items()
    )
    print(f"targets: {checks}")
    print(f"targets_met={0 if missed else 1}")
