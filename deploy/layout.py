"""Start, watch and stop the production layout on one machine (docs/production.md).

    layout = Layout(Options(web=3, workers=2))
    layout.start()          # PostgreSQL + replica, Redis, migrate/demo, web, workers, nginx
    while ...: layout.tick()  # restarts (and reports) any child that died; runs the sweeps
    layout.stop()

Every process is a child in its own session (Ctrl-C at the terminal reaches only the
runner, which stops them in order), logging to `<root>/logs/<name>.log`; all data lives
under `<root>` (default `var/prod/`).
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deploy import REPO, nginx, postgres

RESTARTS_PER_MINUTE = 5
STOP_TIMEOUT = 25.0
READY_TIMEOUT = 120.0
# The layout sets these itself; values from the caller's shell would point elsewhere.
OWN_VARIABLES = ("DATABASE_URL", "REDIS_URL", "DANVAN_REDIS_URL", "DANVAN_CACHE_URL",
                 "TASKS_BACKEND", "DANVAN_MEDIA_ROOT", "PROMETHEUS_MULTIPROC_DIR",
                 "DJANGO_DEBUG", "DANVAN_VAR_DIR")  # fmt: skip


class LayoutFailed(RuntimeError):
    """A child could not be started or kept running (the message says which)."""


@dataclass
class Options:
    root: Path = REPO / "var" / "prod"
    web: int = 3  # web processes: one gunicorn master each, on its own port
    web_workers: int = 1  # gunicorn workers per web process
    threads: int = 4  # threads per gunicorn worker
    workers: int = 2  # `manage.py rqworker` processes
    listen: int = 8000  # nginx, the only public port
    web_port: int = 8101  # the first web process; the others follow
    pg_port: int = 5440  # the primary; the replica listens on the next port
    redis_port: int = 6390
    replica: bool = True
    sweep_minutes: float = 15.0
    demo: bool = True  # load the demo province on the first start
    proxy_access_log: bool = True
    env: dict[str, str] = field(default_factory=dict)  # more variables for the application


class Child:
    """One supervised process; `held` while someone stops it on purpose (a restart)."""

    def __init__(
        self,
        name: str,
        argv: Callable[[], list[str]],
        log: Path,
        *,
        env: dict[str, str] | None = None,
        options: dict[str, Any] | None = None,
        stop_signal: int = signal.SIGTERM,
    ) -> None:
        self.name, self.argv, self.log, self.env = name, argv, log, env
        self.options = options or {}
        self.stop_signal = stop_signal
        self.process: subprocess.Popen[bytes] | None = None
        self.held = False
        self.restarts: list[float] = []

    @property
    def pid(self) -> int:
        return self.process.pid if self.process else 0

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own commands
                self.argv(), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                cwd=REPO, env=self.env, start_new_session=True, **self.options,
            )  # fmt: skip

    def signal(self, signum: int) -> None:
        if self.alive() and self.process is not None:
            os.kill(self.process.pid, signum)

    def wait(self, timeout: float) -> bool:
        if self.process is None:
            return True
        try:
            self.process.wait(timeout=max(0.01, timeout))
        except subprocess.TimeoutExpired:
            return False
        return True


class Layout:
    def __init__(self, options: Options, report: Callable[[str], None] | None = None) -> None:
        self.o = options
        self.root = options.root.resolve()
        self.logs = self.root / "logs"
        self.report = report or _stderr
        self.lock = threading.RLock()
        self.children: dict[str, Child] = {}
        self.sweepers: list[Any] = []
        self.stopping = False
        self.primary = postgres.Cluster(self.root / "pg" / "primary", options.pg_port)
        self.replica = postgres.Cluster(self.root / "pg" / "replica", options.pg_port + 1)
        self.env: dict[str, str] = {}

    # -- secrets and environment -----------------------------------------------------------

    def secret(self, name: str, make: Callable[[], str] = lambda: secrets.token_hex(24)) -> Path:
        path = self.root / "secrets" / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            old = os.umask(0o077)
            try:
                path.write_text(make() + "\n")
            finally:
                os.umask(old)
        return path

    def read_secret(self, name: str) -> str:
        return self.secret(name).read_text().strip()

    def web_ports(self) -> list[int]:
        return [self.o.web_port + n for n in range(self.o.web)]

    def app_env(self) -> dict[str, str]:
        """What every application process gets: secrets through *_FILE variables."""
        var = REPO / "var"
        env = {k: v for k, v in os.environ.items() if k not in OWN_VARIABLES}
        for name in OWN_VARIABLES:
            env.pop(f"{name}_FILE", None)
        database = postgres.app_url(self.primary, self.read_secret("pg_app_password"))
        redis = f"redis://:{self.read_secret('redis_password')}@127.0.0.1:{self.o.redis_port}/0"
        self.secret("database_url", lambda: database).write_text(database + "\n")
        self.secret("redis_url", lambda: redis).write_text(redis + "\n")
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            DATABASE_URL_FILE=str(self.root / "secrets" / "database_url"),
            REDIS_URL_FILE=str(self.root / "secrets" / "redis_url"),
            TASKS_BACKEND="danvan.core.tasks_redis.RedisBackend",
            DANVAN_MEDIA_ROOT=str(self.root / "media"),
            DJANGO_DEBUG="false",
            PROMETHEUS_MULTIPROC_DIR=str(self.root / "prometheus"),
            DANVAN_SITE_URL=f"http://127.0.0.1:{self.o.listen}",
            PYTHONDONTWRITEBYTECODE="1",
            DANVAN_PROXY_COUNT="1",  # nginx: clients are told apart by X-Forwarded-For
        )
        env.setdefault("DJANGO_SECRET_KEY_FILE", str(var / "secret_key"))
        env.setdefault("DANVAN_IDENTITY_KEYS_FILE", str(var / "identity_key"))
        env.update(self.o.env)
        return env

    # -- starting --------------------------------------------------------------------------

    def start(self, before_web: Callable[["Layout"], None] | None = None) -> None:
        self.start_data()
        self.prepare_app()
        if before_web is not None:
            before_web(self)
        self.start_app()

    def start_data(self) -> None:
        """Redis, the PostgreSQL primary and its replica (made on the first start)."""
        for directory in (self.root, self.logs, self.root / "media", self.root / "redis"):
            directory.mkdir(parents=True, exist_ok=True)
        _local_keys()
        self._start_redis()
        superuser = self.read_secret("pg_superuser_password")
        fresh = not self.primary.exists()
        if fresh:
            self.report(f"PostgreSQL: new cluster in {self.primary.data}")
            self.primary.init_primary(superuser)
        self._start_cluster("postgres", self.primary)
        if fresh:
            postgres.create_app_database(
                self.primary, superuser, self.read_secret("pg_app_password")
            )
        if self.o.replica:
            if not self.replica.exists():
                self.report(f"PostgreSQL: replica made by pg_basebackup in {self.replica.data}")
                self.replica.init_replica(self.primary, superuser)
            self._start_cluster("replica", self.replica)
        self.env = self.app_env()

    def prepare_app(self) -> None:
        """migrate, the demo on the first start, collectstatic."""
        self.manage("migrate", "--no-input", "-v", "0")
        stamp = self.root / "demo.stamp"
        if self.o.demo and not stamp.exists():
            self.report("Loading the demo province (first start only)")
            self.manage("load_demo")
            stamp.touch()
        self.manage("collectstatic", "--no-input", "-v", "0")

    def start_app(self) -> None:
        """The web processes, the task workers, the proxy, the periodic sweeps."""
        metrics = self.root / "prometheus"
        metrics.mkdir(exist_ok=True)
        for stale in metrics.glob("*.db"):
            stale.unlink()
        for n, port in enumerate(self.web_ports(), start=1):
            self._add(Child(f"web-{n}", lambda port=port: self._gunicorn(port),  # type: ignore[misc]
                            self.logs / f"web-{n}.log", env=self.env))  # fmt: skip
        for n in range(1, self.o.workers + 1):
            self._add(Child(f"worker-{n}", lambda n=n: self._rqworker(n),  # type: ignore[misc]
                            self.logs / f"worker-{n}.log", env=self.env))  # fmt: skip
        for port in self.web_ports():
            _wait_http(f"http://127.0.0.1:{port}/healthz", self.children)
        self._start_proxy()
        self._start_sweepers()

    def manage(self, *args: str) -> None:
        command = [sys.executable, "manage.py", *args]
        done = subprocess.run(command, cwd=REPO, env=self.env, capture_output=True, check=False)  # noqa: S603
        if done.returncode != 0:
            output = (done.stdout + done.stderr).decode(errors="replace")[-4000:]
            raise LayoutFailed(f"manage.py {' '.join(args)} failed:\n{output}")

    def _add(self, child: Child) -> None:
        with self.lock:
            self.children[child.name] = child
            child.start()

    def _start_redis(self) -> None:
        from deploy.binaries import redis_binary

        password = self.read_secret("redis_password")
        conf = self.root / "redis" / "redis.conf"
        old = os.umask(0o077)
        try:
            conf.write_text(
                f"bind 127.0.0.1\nport {self.o.redis_port}\nprotected-mode yes\n"
                f"requirepass {password}\ndir {self.root / 'redis'}\n"
                'appendonly yes\nappendfsync everysec\nsave ""\n'
                "maxmemory-policy noeviction\ndaemonize no\n"
            )
        finally:
            os.umask(old)
        binary = redis_binary()
        self._add(Child("redis", lambda: [binary, str(conf)], self.logs / "redis.log"))
        self.wait_redis()

    def wait_redis(self, timeout: float = READY_TIMEOUT) -> None:
        from redis import Redis
        from redis.exceptions import RedisError

        client = Redis(
            host="127.0.0.1", port=self.o.redis_port, password=self.read_secret("redis_password")
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.children["redis"].alive():
                raise LayoutFailed(f"redis exited; see {self.logs / 'redis.log'}")
            try:
                if client.ping():
                    return
            except (OSError, RedisError):
                time.sleep(0.1)
        raise LayoutFailed("redis did not answer")

    def _start_cluster(self, name: str, cluster: postgres.Cluster) -> None:
        cluster.prepare_dirs()
        cluster.write_settings()
        child = Child(name, cluster.argv, self.logs / f"{name}.log",
                      options=cluster.popen_options(), stop_signal=signal.SIGINT)  # fmt: skip
        if cluster.user is not None and not child.log.exists():
            child.log.touch()
        self._add(child)
        self.wait_cluster(name)

    def wait_cluster(self, name: str) -> None:
        cluster = self.primary if name == "postgres" else self.replica
        process = self.children[name].process
        if process is not None:
            cluster.wait_ready(process)

    def _gunicorn(self, port: int) -> list[str]:
        return [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(self.o.web_workers),
            "--threads", str(self.o.threads), "--worker-class", "gthread",
            "--timeout", "60", "--graceful-timeout", "20", "--keep-alive", "75",
            "--forwarded-allow-ips", "127.0.0.1", "--no-control-socket",
        ]  # fmt: skip

    def _rqworker(self, n: int) -> list[str]:
        # A new name at every start: a worker killed with -9 stays registered a while.
        name = f"{socket.gethostname()}-prod-{n}-{int(time.time() * 1000) % 10**8}"
        return [sys.executable, "manage.py", "rqworker", "--name", name]

    def _start_proxy(self) -> None:
        from django.conf import settings

        django_setup(self.env)
        total = int(getattr(settings, "DANVAN_UPLOAD_MAX_TOTAL_BYTES", 25 * nginx.MIB))
        config = nginx.write_config(
            self.root / "nginx",
            listen=f"127.0.0.1:{self.o.listen}",
            upstreams=[f"127.0.0.1:{port}" for port in self.web_ports()],
            static_root=Path(settings.STATIC_ROOT),
            body_limit_bytes=total,
            access_log=self.o.proxy_access_log,
        )
        binary = nginx.nginx_binary()
        test = [*nginx.argv(binary, config), "-t"]
        check = subprocess.run(test, capture_output=True, check=False)  # noqa: S603
        if check.returncode != 0:
            raise LayoutFailed(f"nginx -t: {check.stderr.decode(errors='replace')}")
        self._add(Child("proxy", lambda: nginx.argv(binary, config), self.logs / "proxy.log",
                        stop_signal=signal.SIGQUIT))  # fmt: skip
        _wait_http(f"http://127.0.0.1:{self.o.listen}/healthz", self.children)

    def _start_sweepers(self) -> None:
        """serve's periodic commands, each safe on every machine at once."""
        from danvan.core.management.commands.serve import Sweeper

        minutes = self.o.sweep_minutes
        if minutes <= 0:
            return
        os.environ.update(self.env)  # Sweeper starts `manage.py` with our environment
        os.chdir(REPO)
        self.sweepers = [
            Sweeper("sweep_deadlines", minutes * 60),
            Sweeper("remind_commitments", minutes * 60),
            Sweeper("detect_hot_issues", 3600),
            Sweeper("train_suggesters", 24 * 3600),
            Sweeper("plan_reception_sessions", 24 * 3600),
        ]

    # -- running ---------------------------------------------------------------------------

    def tick(self) -> None:
        """Report and restart any child that died (LayoutFailed if one keeps dying)."""
        with self.lock:
            if self.stopping:
                return
            for child in self.children.values():
                if child.held or child.alive() or child.process is None:
                    continue
                code = child.process.returncode
                now = time.monotonic()
                child.restarts = [t for t in child.restarts if now - t < 60] + [now]
                if len(child.restarts) > RESTARTS_PER_MINUTE:
                    raise LayoutFailed(f"{child.name} died {len(child.restarts)} times in a minute")
                self.report(f"{child.name} (pid {child.pid}) exited with {_code(code)}; restarting")
                child.start()
            for sweeper in self.sweepers:
                sweeper.tick()

    def kill(self, name: str, signum: int = signal.SIGKILL) -> int:
        """Send `signum` to a child (a fault); tick() restarts it. Returns the pid."""
        child = self.children[name]
        pid = child.pid
        child.signal(signum)
        return pid

    def restart(self, name: str, signum: int | None = None) -> float:
        """Stop a child (its own stop signal: fast shutdown for PostgreSQL) and start it again;
        returns the seconds it was down."""
        child = self.children[name]
        with self.lock:
            child.held = True
        started = time.monotonic()
        try:
            child.signal(signum or child.stop_signal)
            if not child.wait(STOP_TIMEOUT):
                child.signal(signal.SIGKILL)
                child.wait(STOP_TIMEOUT)
            child.start()
            if name in ("postgres", "replica"):
                self.wait_cluster(name)
            elif name == "redis":
                self.wait_redis()
        finally:
            with self.lock:
                child.held = False
        return time.monotonic() - started

    def stop(self) -> None:
        """The proxy first, then the application, then the data services."""
        with self.lock:
            self.stopping = True
        groups = [
            ["proxy"],
            [n for n in self.children if n.startswith(("web-", "worker-"))],
            ["redis"],
            ["replica"],
            ["postgres"],
        ]
        sweeping = [s.child for s in self.sweepers if s.child is not None]
        for sweep in sweeping:
            if sweep.poll() is None:
                sweep.terminate()
        for group in groups:
            children = [self.children[n] for n in group if n in self.children]
            for child in children:
                child.signal(child.stop_signal)
            deadline = time.monotonic() + STOP_TIMEOUT
            for child in children:
                if not child.wait(deadline - time.monotonic()):
                    self.report(f"{child.name} did not stop in {STOP_TIMEOUT:.0f}s; killed")
                    child.signal(signal.SIGKILL)
                    child.wait(5)
        for sweep in sweeping:
            try:
                sweep.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                sweep.kill()


def _stderr(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _code(code: int | None) -> str:
    if code is not None and code < 0:
        return f"signal {signal.Signals(-code).name}"
    return f"code {code}"


def _wait_http(url: str, children: dict[str, Child], timeout: float = READY_TIMEOUT) -> None:
    request = urllib.request.Request(url, headers={"Host": "127.0.0.1"})  # noqa: S310 - loopback
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        dead = [c.name for c in children.values() if c.process is not None and not c.alive()]
        if dead:
            raise LayoutFailed(f"{', '.join(dead)} exited while starting; see its log")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise LayoutFailed(f"{url} did not answer within {timeout:.0f}s")


def _local_keys() -> None:
    """The signing key and the identity key, made under var/ as `make` makes them."""
    import base64

    var = REPO / "var"
    var.mkdir(exist_ok=True)
    keys: dict[str, Callable[[], str]] = {
        "secret_key": lambda: secrets.token_urlsafe(50),
        "identity_key": lambda: base64.urlsafe_b64encode(os.urandom(32)).decode(),
    }
    for name, make in keys.items():
        path = var / name
        if not path.exists():
            old = os.umask(0o077)
            try:
                path.write_text(make() + "\n")
            finally:
                os.umask(old)


_django_ready = False


def django_setup(env: dict[str, str]) -> None:
    """Django in this process too (for settings), with the application's environment."""
    global _django_ready
    if _django_ready:
        return
    import django

    os.environ.update(env)
    django.setup()
    _django_ready = True
