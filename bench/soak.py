"""Load and faults against the production layout: `python -m bench soak` (`make soak`).

    python -m bench soak [--cases 1000000] [--minutes 10] [--fault-seconds 60] [--rate 300]

Starts the layout of `deploy.run_prod` (nginx, N gunicorn web processes, M rqworkers,
PostgreSQL and a streaming replica, Redis with its AOF) under `var/soak/` on its own
loopback ports, seeds N cases into PostgreSQL by COPY (once; a rerun with the same N reuses
them), then runs a mixed load from one asyncio process:

- citizens filing letters through `POST /api/v1/cases` (the mobile app's key, an
  `Idempotency-Key`, retried twice with the same key on an error) at up to `--rate` per
  second, each then tracking a letter through `GET /api/v1/cases/track/<code>`;
- citizens filing through the web form with a PDF attached (one every two seconds);
- officers (the demo commune's agency key) reading the queue of new letters, classifying
  and accepting one (which notifies its citizen by SMS), reading it again.

First `--minutes` of load alone, then each fault during `--fault-seconds` of the same load:
`kill_web` (kill -9 one web process, master and worker), `kill_worker` (kill -9 an rqworker
while its job runs), `restart_postgres` (fast shutdown, start), `restart_redis`, `disk_full`
(the attachment directory on a small tmpfs that fills up). The layout restarts what died,
as a supervisor would. Afterwards every acknowledged submission (a tracking code was
returned) is looked up in the database (with its attachment, for the form), and every
notification is checked against the SMS gateway's log: sent exactly once, or retried.

Figures, one `name=value` a line: `load_submit_per_s`, `load_p99_ms`, `load_errors`, then
per scenario `<scenario>_requests`, `_errors`, `_error_rate`, `_p50_ms`, `_p95_ms`,
`_p99_ms` and `lost_<scenario>`. Errors are 5xx answers, unexpected 4xx and requests
without an answer; a 409 (an officer's case changed meanwhile) is not an error.
"""

import argparse
import asyncio
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from bench.common import percentile
from bench.soak_http import Connection, HttpFailed, Response, multipart
from deploy import REPO
from deploy.layout import Layout, LayoutFailed, Options

FAULTS = ["kill_web", "kill_worker", "restart_postgres", "restart_redis", "disk_full"]
WARMUP_SECONDS = 15.0
THINK_OFFICER = 0.5
FORM_EVERY = 2.0  # seconds between web-form letters with a file (disk_full: far more)
FORM_EVERY_DISK_FULL = 0.1
PDF_BYTES = 256 * 1024
FREE_KB = 600  # left on the disk_full tmpfs when it is mounted: two attachments' worth
FILLER = "soak-filler.bin"
DRAIN_TIMEOUT = 300.0
HOST, PORT = "127.0.0.1", 8800
_CODE = re.compile(r"/tra-cuu/([0-9A-Z-]+)/")
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def main(argv: list[str]) -> int:
    args = _parse(argv)
    if args.dry:
        from bench import soak_dry

        return soak_dry.run(args)
    env = {
        "DANVAN_SMS_BACKEND": "bench.soak_sms.FileSmsBackend",
        "DANVAN_SOAK_SMS_LOG": str(args.root / "sms.log"),
        "DANVAN_SOAK_SMS_DELAY_MS": "20",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    options = Options(
        root=args.root, web=args.web, threads=args.threads, workers=args.workers,
        listen=PORT, web_port=8811, pg_port=5450, redis_port=6391, sweep_minutes=0, env=env,
    )  # fmt: skip
    layout = Layout(options, report=_report)
    print(f"cases={args.cases}", f"web={args.web}", f"workers={args.workers}",
          f"threads={args.threads}", "proxy=nginx", sep="\n", flush=True)  # fmt: skip
    supervisor = _Supervisor(layout)
    disk = _Disk(layout.root / "media" / "cases", args.disk_mb)
    try:
        layout.start(before_web=lambda lay: prepare(lay, args))
        world = soak_world()
        supervisor.start()
        (args.root / "sms.log").unlink(missing_ok=True)
        load = Load(args, world, layout, disk)
        started = time.time()
        asyncio.run(load.run())
        supervisor.check()
        from django.db import connections

        connections.close_all()  # ours was cut by restart_postgres
        _drain()
        _figures(load, args, started)
    except LayoutFailed as error:
        print(f"soak: {error}", file=sys.stderr, flush=True)
        return 1
    finally:
        supervisor.stop()
        disk.release()
        layout.stop()
    return 0


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench soak", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases seeded")
    parser.add_argument("--minutes", type=float, default=10.0, help="minutes of load alone")
    parser.add_argument("--fault-seconds", type=float, default=60.0, help="seconds per fault")
    parser.add_argument("--faults", default=",".join(FAULTS), help="comma-separated, in order")
    parser.add_argument("--rate", type=float, default=300.0, help="API submissions/s at most")
    parser.add_argument("--citizens", type=int, default=64, help="concurrent API citizens")
    parser.add_argument("--officers", type=int, default=4, help="concurrent officers")
    parser.add_argument("--web", type=int, default=3, help="web processes (N)")
    parser.add_argument("--threads", type=int, default=4, help="threads per web process")
    parser.add_argument("--workers", type=int, default=2, help="task workers (M)")
    parser.add_argument("--disk-mb", type=int, default=8, help="size of the disk_full tmpfs")
    parser.add_argument("--fresh", action="store_true", help="reseed even if seeded")
    parser.add_argument("--dry", action="store_true", help="the users' requests in-process, "
                        "on a SQLite file, without the layout or faults (bench/soak_dry.py)")  # fmt: skip
    parser.add_argument("--root", type=Path, default=REPO / "var" / "soak")
    args = parser.parse_args(argv)
    args.faults = [f for f in args.faults.split(",") if f]
    unknown = set(args.faults) - set(FAULTS)
    if unknown:
        parser.error(f"unknown faults {sorted(unknown)}; choose from {FAULTS}")
    if args.cases < 1 or args.minutes < 0 or args.fault_seconds <= 0:
        parser.error("--cases and --fault-seconds must be positive")
    return args


def _report(line: str) -> None:
    print(f"# {time.strftime('%H:%M:%S')} {line}", file=sys.stderr, flush=True)


# Preparing: the seed, the keys, the ids the load needs ---------------------------------------


def prepare(layout: Layout, args: argparse.Namespace) -> None:
    from bench import soak_seed
    from deploy import postgres
    from deploy.layout import django_setup

    django_setup(layout.env)
    superuser = layout.read_secret("pg_superuser_password")
    url = postgres.superuser_url(layout.primary, superuser)
    wanted = f"{args.cases}:{soak_seed.SEED_VERSION}"
    found = soak_seed.seeded(url)
    if found == wanted and not args.fresh:
        print("seeded=reused", flush=True)
        return
    if found is not None or args.fresh:
        _recreate_database(layout, superuser)
    clock = soak_seed.seed(url, args.cases)
    print("seeded=fresh", f"seed_s={clock['total']:.1f}", sep="\n", flush=True)
    for phase in ("make", "copy", "index", "vacuum"):
        print(f"seed_{phase}_s={clock[phase]:.1f}", flush=True)


def _recreate_database(layout: Layout, superuser: str) -> None:
    from django.db import connections

    from deploy import postgres

    _report("dropping the database seeded with another count; migrate and demo again")
    connections.close_all()
    layout.primary.psql(f"DROP DATABASE IF EXISTS {postgres.APP_DATABASE} WITH (FORCE)", superuser)
    layout.primary.psql(
        f"CREATE DATABASE {postgres.APP_DATABASE} OWNER {postgres.APP_ROLE}", superuser
    )
    layout.manage("migrate", "--no-input", "-v", "0")
    layout.manage("load_demo")


@dataclass
class World:
    submit_key: str
    officer_key: str
    unit_codes: list[str]
    demo_unit_code: str
    topic_codes: list[str]
    unit_pks: list[int]
    topic_pks: list[int]
    media_root: Path = field(default_factory=Path)


def soak_world() -> World:
    from django.conf import settings

    from danvan.api.keys import key_issue
    from danvan.api.models import Scope
    from danvan.cases.models import Topic
    from danvan.demo.services import DEMO_COMMUNE_CODE
    from danvan.places.models import Agency
    from danvan.places.queries import served_communes

    agency = Agency.objects.get(code=f"ubnd-c{DEMO_COMMUNE_CODE}")
    submit, submit_text = key_issue(name="soak: mobile app", agency=None, scopes=[Scope.SUBMIT])
    officer, officer_text = key_issue(
        name="soak: officers", agency=agency, scopes=[Scope.READ, Scope.ACT]
    )
    for key in (submit, officer):
        key.rate_per_minute = 10**8
        key.save(update_fields=["rate_per_minute"])
    units = list(served_communes().order_by("code"))
    topics = list(Topic.objects.filter(is_public=True, is_active=True).order_by("pk"))
    return World(
        submit_key=submit_text,
        officer_key=officer_text,
        unit_codes=[u.code for u in units],
        demo_unit_code=DEMO_COMMUNE_CODE,
        topic_codes=[t.code for t in topics],
        unit_pks=[u.pk for u in units],
        topic_pks=[t.pk for t in topics],
        media_root=Path(settings.MEDIA_ROOT),
    )


# The load -----------------------------------------------------------------------------------


@dataclass
class Ack:
    phase: str
    code: str
    channel: str  # api or form


class _Limiter:
    """At most `rate` starts a second, evenly spaced; never a burst to catch up."""

    def __init__(self, rate: float) -> None:
        self.gap = 1 / rate
        self.next = time.monotonic()

    async def wait(self) -> None:
        now = time.monotonic()
        slot = max(now, self.next)
        self.next = slot + self.gap
        if slot > now:
            await asyncio.sleep(slot - now)


class Load:
    def __init__(
        self, args: argparse.Namespace, world: World, layout: Layout, disk: "_Disk"
    ) -> None:
        self.args, self.world, self.layout, self.disk = args, world, layout, disk
        self.phase = "warmup"
        self.running = True
        self.records: dict[str, list[tuple[str, float, int, bool]]] = defaultdict(list)
        self.acks: list[Ack] = []
        self.codes: list[str] = []
        self.phase_seconds: dict[str, float] = {}
        self.limiter = _Limiter(args.rate)
        self.form_every = FORM_EVERY
        self.form_paused = False
        self.form_busy = False
        self.cpu: dict[str, float] = {}
        self.events: list[str] = []
        rng = random.Random(3)
        from bench import texts

        pool = texts.FALLBACK
        self.letters = [
            (texts.title(rng, pool, "feedback"), texts.content(rng, pool)) for _ in range(200)
        ]
        self.pdf = _pdf(PDF_BYTES)

    # -- bookkeeping -------------------------------------------------------------------------

    def connect(self) -> Connection:
        return Connection(HOST, PORT)

    def record(self, kind: str, started: float, status: int, ok: bool) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        self.records[self.phase].append((kind, elapsed, status, ok))

    async def call(
        self, conn: Connection, kind: str, method: str, path: str,
        headers: dict[str, str], body: bytes = b"", ok: tuple[int, ...] = (200,),
    ) -> Response | None:  # fmt: skip
        started = time.perf_counter()
        try:
            response = await conn.request(method, path, headers, body)
        except HttpFailed:
            self.record(kind, started, -1, False)
            return None
        good = response.status in ok or response.status == 409
        self.record(kind, started, response.status, good)
        return response

    # -- the phases --------------------------------------------------------------------------

    async def run(self) -> None:
        users = [asyncio.create_task(self.citizen(n)) for n in range(self.args.citizens)]
        users += [asyncio.create_task(self.officer(n)) for n in range(self.args.officers)]
        users.append(asyncio.create_task(self.form_citizen()))
        await self.during("warmup", WARMUP_SECONDS)
        before = _cpu(self.layout)
        await self.during("load", self.args.minutes * 60)
        after = _cpu(self.layout)
        self.cpu = {name: after.get(name, 0) - before.get(name, 0) for name in after}
        for fault in self.args.faults:
            await self.fault(fault)
        self.running = False
        await asyncio.gather(*users, return_exceptions=True)

    async def during(self, phase: str, seconds: float) -> None:
        self.phase = phase
        _report(f"phase {phase} for {seconds:.0f}s")
        started = time.monotonic()
        await asyncio.sleep(seconds)
        self.phase_seconds[phase] = self.phase_seconds.get(phase, 0) + time.monotonic() - started

    async def fault(self, name: str) -> None:
        self.phase = name
        seconds = self.args.fault_seconds
        _report(f"phase {name} for {seconds:.0f}s")
        started = time.monotonic()
        await asyncio.sleep(seconds / 4)
        try:
            note = await asyncio.to_thread(getattr(self, f"_{name}"))
        except (OSError, subprocess.SubprocessError, LayoutFailed) as error:
            note = f"could not inject: {error}"
        self.events.append(f"{name}: {note}")
        _report(f"{name}: {note}")
        await asyncio.sleep(max(0.0, seconds - (time.monotonic() - started)))
        if name == "disk_full":
            self.form_every = FORM_EVERY
            self.form_paused = True  # no letter may be written while the files are moved
            while self.form_busy:
                await asyncio.sleep(0.05)
            await asyncio.to_thread(self.disk.keep_files)
            self.form_paused = False
        self.phase_seconds[name] = time.monotonic() - started

    # -- the faults (in a thread) -------------------------------------------------------------

    def _kill_web(self) -> str:
        child = self.layout.children["web-2"]
        pids = [child.pid, *_children(child.pid)]
        for pid in pids:
            os.kill(pid, 9)
        return f"kill -9 web-2 master and worker (pids {pids})"

    def _kill_worker(self) -> str:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            for name, child in self.layout.children.items():
                horses = _children(child.pid) if name.startswith("worker-") else []
                if horses:
                    self.layout.kill(name)
                    time.sleep(1)
                    alive = [h for h in horses if _running(h)]
                    return (f"kill -9 {name} (pid {child.pid}) while its job ran in pid "
                            f"{horses}; job process alive after 1s: {bool(alive)}")  # fmt: skip
            time.sleep(0.005)
        self.layout.kill("worker-1")
        return "kill -9 worker-1 (no job was running within 20s)"

    def _restart_postgres(self) -> str:
        down = self.layout.restart("postgres")
        return f"fast shutdown and start of the primary: {down:.1f}s until it accepted again"

    def _restart_redis(self) -> str:
        down = self.layout.restart("redis")
        return f"redis stopped (SIGTERM) and started: {down:.1f}s until it answered again"

    def _disk_full(self) -> str:
        note = self.disk.mount()
        self.form_every = FORM_EVERY_DISK_FULL
        return note

    # -- the users ---------------------------------------------------------------------------

    async def citizen(self, n: int) -> None:
        rng = random.Random(100 + n)
        conn = self.connect()
        auth = {"Authorization": f"Bearer {self.world.submit_key}"}
        while self.running:
            await self.limiter.wait()
            code = await self.submit(conn, rng, auth)
            if code:
                self.codes.append(code)
            if self.codes:
                pick = self.codes[-rng.randint(1, min(len(self.codes), 5000))]
                await self.call(conn, "track", "GET", f"/api/v1/cases/track/{pick}", auth)
        conn.close()

    async def submit(self, conn: Connection, rng: random.Random, auth: dict[str, str]) -> str:
        w = self.world
        title, content = rng.choice(self.letters)
        unit = w.demo_unit_code if rng.random() < 0.3 else rng.choice(w.unit_codes)
        kind = rng.choice(["feedback", "petition", "complaint"])
        letter = {"service_code": rng.choice(w.topic_codes), "kind": kind, "title": title,
                  "description": content, "unit_code": unit, "name": "Nguyễn Văn An",
                  "phone": f"09{rng.randint(10_000_000, 99_999_999)}"}  # fmt: skip
        body = json.dumps(letter).encode()
        headers = {**auth, "Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}
        phase = self.phase
        for attempt in range(3):
            if attempt:
                await asyncio.sleep(attempt)
            response = await self.call(conn, "submit", "POST", "/api/v1/cases", headers, body,
                                       ok=(200, 201))  # fmt: skip
            if response is not None and response.status in (200, 201):
                code = str(json.loads(response.body)["tracking_code"])
                self.acks.append(Ack(phase, code, "api"))
                return code
        return ""

    async def officer(self, n: int) -> None:
        rng = random.Random(500 + n)
        conn = self.connect()
        auth = {"Authorization": f"Bearer {self.world.officer_key}"}
        json_auth = {**auth, "Content-Type": "application/json"}
        while self.running:
            await asyncio.sleep(THINK_OFFICER * rng.uniform(0.5, 1.5))
            page = await self.call(conn, "queue", "GET", "/api/v1/staff/cases?status=received&limit=50", auth)  # fmt: skip
            cases = (
                json.loads(page.body)["cases"] if page is not None and page.status == 200 else []
            )
            if not cases:
                continue
            case = rng.choice(cases)
            base = f"/api/v1/staff/cases/{case['id']}"
            classify = json.dumps({"kind": case["kind"], "topic_code": case["topic_code"] or "",
                                   "note": "soak"}).encode()  # fmt: skip
            done = await self.call(
                conn, "act", "POST", f"{base}/actions/classify", json_auth, classify
            )
            if done is not None and done.status == 200 and case["kind"] != "denunciation":
                accept = json.dumps({"variant": "", "note": "soak"}).encode()
                await self.call(conn, "act", "POST", f"{base}/actions/accept", json_auth, accept)
            await self.call(conn, "case", "GET", base, auth)
        conn.close()

    async def form_citizen(self) -> None:
        rng = random.Random(9)
        conn = self.connect()
        while self.running:
            await asyncio.sleep(self.form_every)
            if self.form_paused:
                continue
            self.form_busy = True
            try:
                await self.form_letter(conn, rng)
            finally:
                self.form_busy = False
        conn.close()

    async def form_letter(self, conn: Connection, rng: random.Random) -> None:
        phase = self.phase
        page = await self.call(conn, "form_get", "GET", "/gui-don/", {})
        if page is None or page.status != 200:
            return
        token = _CSRF.search(page.body.decode())
        cookie = page.cookies.get("csrftoken", "")
        if not token or not cookie:
            self.record("form_post", time.perf_counter(), -2, False)
            return
        title, content = rng.choice(self.letters)
        fields = {"csrfmiddlewaretoken": token.group(1), "kind": "feedback",
                  "unit": str(rng.choice(self.world.unit_pks)),
                  "topic": str(rng.choice(self.world.topic_pks)), "title": title,
                  "content": content, "place": "Tổ dân phố 3", "name": "Trần Thị Bình",
                  "phone": f"09{rng.randint(10_000_000, 99_999_999)}", "email": "",
                  "address": "Số 5, tổ 3", "form_token": uuid.uuid4().hex}  # fmt: skip
        content_type, body = multipart(fields, {"attachments": ("anh.pdf", "application/pdf", self.pdf)})  # fmt: skip
        headers = {"Content-Type": content_type, "Cookie": f"csrftoken={cookie}"}
        response = await self.call(conn, "form_post", "POST", "/gui-don/", headers, body, ok=(302,))  # fmt: skip
        if response is not None and response.status == 302:
            found = _CODE.search(response.headers.get("location", ""))
            if found:
                self.acks.append(Ack(phase, found.group(1), "form"))


def _pdf(size: int) -> bytes:
    """A plain PDF that does not compress (hex text in a stream): it fills a disk honestly.
    Well-formed, cross-reference table included, since the upload check parses it."""
    text = os.urandom(size // 2).hex().encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


# Processes: children, CPU time ---------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(p) for p in path.read_text().split()]
        except OSError:
            continue
    return found


def _running(pid: int) -> bool:
    """Alive and not a zombie (in a container, nobody may reap an orphan's zombie)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _cpu(layout: Layout) -> dict[str, float]:
    """CPU seconds so far of each part of the layout (a process, its live descendants, and
    the children it has reaped), and of this load generator."""
    tick = os.sysconf("SC_CLK_TCK")
    totals: dict[str, float] = defaultdict(float)
    for name, child in layout.children.items():
        part = name.split("-")[0]
        pids = [child.pid]
        seen = 0
        while seen < len(pids):
            pids += _children(pids[seen])
            seen += 1
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            totals[part] += sum(int(v) for v in fields[11:15]) / tick  # utime stime cutime cstime
    usage = resource.getrusage(resource.RUSAGE_SELF)
    totals["loadgen"] = usage.ru_utime + usage.ru_stime
    return dict(totals)


class _Supervisor:
    """layout.tick() every half second in a thread, as systemd would restart a process."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.halt = threading.Event()
        self.error: LayoutFailed | None = None
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def loop(self) -> None:
        while not self.halt.wait(0.5):
            try:
                self.layout.tick()
            except LayoutFailed as error:
                self.error = error
                return

    def check(self) -> None:
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        self.halt.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)


class _Disk:
    """The attachment directory on a small tmpfs during disk_full; its files kept after."""

    def __init__(self, target: Path, size_mb: int) -> None:
        self.target, self.size_mb = target, size_mb
        self.mounted = False

    def mount(self) -> str:
        self.target.mkdir(parents=True, exist_ok=True)
        command = ["mount", "-t", "tmpfs", "-o", f"size={self.size_mb}m,mode=0755", "tmpfs",
                   str(self.target)]  # fmt: skip
        if os.geteuid() != 0:
            command = ["sudo", "-n", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            return f"could not mount a tmpfs ({done.stderr.strip()}); the disk did not fill"
        self.mounted = True
        # Full but for FREE_KB: the next few attachments fill it.
        filler = self.target / FILLER
        filler.write_bytes(b"\0" * (self.size_mb * 1024 - FREE_KB) * 1024)
        return f"{self.target} is now a {self.size_mb} MB tmpfs with {FREE_KB} KB free"

    def keep_files(self) -> None:
        """Copy what was written to the tmpfs onto the real disk, then unmount it."""
        if not self.mounted:
            return
        keep = Path(tempfile.mkdtemp(prefix="soak-disk-"))
        (self.target / FILLER).unlink(missing_ok=True)
        shutil.copytree(self.target, keep / "cases", dirs_exist_ok=True)
        self.release()
        shutil.copytree(keep / "cases", self.target, dirs_exist_ok=True)
        shutil.rmtree(keep, ignore_errors=True)

    def release(self) -> None:
        if self.mounted:
            command = ["umount", "-l", str(self.target)]
            if os.geteuid() != 0:
                command = ["sudo", "-n", *command]
            subprocess.run(command, check=False)  # noqa: S603
            self.mounted = False


# Afterwards: the queue drained, the checks, the figures -------------------------------------------


def _drain() -> None:
    """Wait for the task queue to empty; then queue again what the deadline sweep would in
    15 minutes (rows a dead worker left in `sending`, failed ones to retry), and wait again."""
    from django.utils import timezone

    from danvan.cases.notifications import STUCK_AFTER, requeue_stuck

    _wait_queue_empty()
    later = timezone.now() + STUCK_AFTER + timedelta(minutes=1)
    requeued = requeue_stuck(now=later)
    print(f"notify_requeued_by_sweep={requeued}", flush=True)
    _wait_queue_empty()


def _wait_queue_empty() -> None:
    from danvan.core.tasks_redis import backend

    found = backend()
    if found is None:
        return
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while time.monotonic() < deadline:
        waiting = sum(found.queue_depths().values())
        running = sum(found.queue(name).started_job_registry.count for name in found.queues)
        if waiting == 0 and running == 0:
            return
        time.sleep(1)
    _report(f"the task queue did not drain within {DRAIN_TIMEOUT:.0f}s")


def _figures(load: Load, args: argparse.Namespace, started: float) -> None:
    lost = _lost(load.acks)
    load_records = load.records["load"]
    submits = [a for a in load.acks if a.phase == "load"]
    seconds = load.phase_seconds.get("load", 0) or 1
    print(f"load_seconds={seconds:.0f}")
    print(f"load_submit_per_s={len(submits) / seconds:.1f}")
    _phase_figures("load", load_records, seconds)
    submit_times = [ms for kind, ms, _s, ok in load_records if kind == "submit" and ok]
    if submit_times:
        print(f"load_submit_p50_ms={percentile(submit_times, 0.50):.0f}")
        print(f"load_submit_p99_ms={percentile(submit_times, 0.99):.0f}")
    print(f"lost_load={lost.get('load', 0)}")
    _cpu_figures(load, len(submits), len(load_records))
    for event in load.events:
        print(f"# {event}")
    for fault in args.faults:
        records = load.records.get(fault, [])
        _phase_figures(fault, records, load.phase_seconds.get(fault, 1))
        print(f"{fault}_acknowledged={sum(1 for a in load.acks if a.phase == fault)}")
        print(f"lost_{fault}={lost.get(fault, 0)}")
    _notification_figures(started)


def _phase_figures(name: str, records: list[tuple[str, float, int, bool]], seconds: float) -> None:
    times = [ms for _k, ms, status, _ok in records if status > 0]
    errors = [r for r in records if not r[3]]
    print(f"{name}_requests={len(records)}")
    print(f"{name}_requests_per_s={len(records) / max(seconds, 1):.1f}")
    print(f"{name}_errors={len(errors)}")
    print(f"{name}_error_rate={len(errors) / max(len(records), 1):.4f}")
    for label, q in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99)):
        print(f"{name}_{label}_ms={percentile(times, q) if times else 0:.0f}")
    if errors:
        kinds = Counter(f"{kind}:{'no answer' if status < 0 else status}"
                        for kind, _ms, status, _ok in errors)  # fmt: skip
        print(f"# {name} errors: {dict(kinds.most_common(8))}")
    by_kind = Counter(kind for kind, *_rest in records)
    print(f"# {name} requests by kind: {dict(by_kind)}")


def _cpu_figures(load: Load, submits: int, requests: int) -> None:
    total = sum(load.cpu.values())
    print("# CPU seconds during the load phase: "
          + ", ".join(f"{k}={v:.0f}" for k, v in sorted(load.cpu.items(), key=lambda kv: -kv[1])))  # fmt: skip
    for part, seconds in sorted(load.cpu.items(), key=lambda kv: -kv[1]):
        print(f"cpu_ms_per_submit_{part}={1000 * seconds / max(submits, 1):.1f}")
    print(f"cpu_ms_per_submit_total={1000 * total / max(submits, 1):.1f}")
    print(f"cpu_ms_per_request_total={1000 * total / max(requests, 1):.1f}")


def _lost(acks: list[Ack]) -> Counter[str]:
    """Acknowledged submissions missing from the database (a form's: or its file)."""
    from django.conf import settings

    from danvan.cases.models import Attachment, Case

    codes = [a.code for a in acks]
    present: set[str] = set()
    for start in range(0, len(codes), 5000):
        chunk = codes[start : start + 5000]
        present |= set(Case.objects.filter(tracking_code__in=chunk).values_list("tracking_code", flat=True))  # fmt: skip
    form_codes = [a.code for a in acks if a.channel == "form"]
    files_ok: set[str] = set()
    media = Path(settings.MEDIA_ROOT)
    for attachment in Attachment.objects.filter(case__tracking_code__in=form_codes).select_related("case"):  # fmt: skip
        path = media / str(attachment.file.name)
        if path.exists() and path.stat().st_size == attachment.size:
            files_ok.add(attachment.case.tracking_code)
    lost: Counter[str] = Counter()
    for ack in acks:
        if ack.code not in present or (ack.channel == "form" and ack.code not in files_ok):
            lost[ack.phase] += 1
    missing_files = sum(1 for a in acks if a.channel == "form" and a.code in present and a.code not in files_ok)  # fmt: skip
    print(f"acknowledged={len(acks)}")
    print(f"acknowledged_form_with_file={len(form_codes)}")
    print(f"lost_files={missing_files}")
    return lost


def _notification_figures(started: float) -> None:
    """Every notification of the run against the gateway's log (one line per SMS sent)."""
    from datetime import UTC, datetime

    from django.conf import settings

    from danvan.cases.models import Notification

    since = datetime.fromtimestamp(started, tz=UTC)
    rows = Notification.objects.filter(created_at__gte=since, to_user__isnull=True)
    sms_log = Path(os.environ.get("DANVAN_SOAK_SMS_LOG") or settings.VAR_DIR / "sms.log")
    sent = Counter[str]()
    if sms_log.exists():
        sent = Counter(line.split("\t", 1)[0] for line in sms_log.read_text().splitlines())
    states = Counter[str]()
    once = twice = unsent = retried = 0
    for pk, state, attempts, phone in rows.values_list("pk", "state", "attempts", "case__submitter_phone"):  # fmt: skip
        states[state] += 1
        retried += attempts > 1
        if state == Notification.State.SENT and phone:
            count = sent.get(str(pk), 0)
            once += count == 1
            twice += count > 1
            unsent += count == 0
    print(f"notify_total={sum(states.values())}")
    for state, count in sorted(states.items()):
        print(f"notify_state_{state}={count}")
    print(f"notify_sent_once={once}")
    print(f"notify_sent_more_than_once={twice}")
    print(f"notify_marked_sent_without_sms={unsent}")
    print(f"notify_retried={retried}")
    pending = states.get("queued", 0) + states.get("sending", 0)
    print(f"notify_pending={pending}")
