"""Serve the platform on one machine: the web server and the background task worker together.

Both run as child processes; if either stops, the other is stopped too and the command
exits with an error, so a supervisor (or the person at the terminal) sees it at once.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

POLL_SECONDS = 0.5
FIRST_RUN_AFTER, STAGGER = 10.0, 15.0  # seconds: the first periodic command, then the next


class Command(BaseCommand):
    help = "Run the web server (gunicorn) and the task worker until interrupted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("DANVAN_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--web-workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2"))
        )
        parser.add_argument(
            "--task-workers", type=int, default=int(os.environ.get("TASK_WORKERS", "1"))
        )
        parser.add_argument(
            "--sweep-minutes",
            type=float,
            default=float(os.environ.get("DANVAN_SWEEP_MINUTES", "15")),
            help="run `sweep_deadlines` this often, hot issues hourly and model training daily "
            "(0: none of them); safe on every machine at once",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        _fresh_metrics_dir()
        commands = [_web_command(options["bind"], options["web_workers"])]
        commands += [_worker_command(n) for n in range(options["task_workers"])]
        children = [subprocess.Popen(cmd) for cmd in commands]  # noqa: S603
        self.stdout.write(f"Serving http://{options['bind']}/  (Ctrl+C to stop)")
        stopping = False
        minutes = options["sweep_minutes"]
        # Periodic commands, each safe to run on every machine and to repeat.
        periodic = [
            ("sweep_deadlines", minutes * 60),
            ("remind_commitments", minutes * 60),
            ("remind_evaluation", minutes * 60),
            ("detect_hot_issues", 3600 if minutes > 0 else 0),
            ("refresh_insights", minutes * 60),
            ("train_suggesters", 24 * 3600 if minutes > 0 else 0),
            ("plan_reception_sessions", 24 * 3600 if minutes > 0 else 0),
            ("sweep_retention", 24 * 3600 if minutes > 0 else 0),
        ]
        # Started one after another, not all at once: eight Python processes starting
        # beside the web server kept an old office PC (or a loaded test machine) from
        # answering the first page for minutes.
        sweepers = [
            Sweeper(command, every, first_after=FIRST_RUN_AFTER + STAGGER * n)
            for n, (command, every) in enumerate(periodic)
        ]

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping and all(child.poll() is None for child in children):
            for sweeper in sweepers:
                sweeper.tick()
            time.sleep(POLL_SECONDS)
        _stop_all(children + [child for sweeper in sweepers for child in sweeper.running()])
        if not stopping:
            sys.exit(1)


class Sweeper:
    """Starts a management command now and then; never two of it at once from this machine."""

    def __init__(self, command: str, every_seconds: float, *, first_after: float = 0) -> None:
        self.command = command
        self.every = every_seconds
        self.next_at = time.monotonic() + first_after
        self.child: subprocess.Popen[bytes] | None = None

    def tick(self) -> None:
        if self.every <= 0 or time.monotonic() < self.next_at:
            return
        if self.child is None or self.child.poll() is not None:
            self.child = subprocess.Popen([sys.executable, "manage.py", self.command])  # noqa: S603
        self.next_at = time.monotonic() + self.every

    def running(self) -> list[subprocess.Popen[bytes]]:
        return [self.child] if self.child is not None else []


def _fresh_metrics_dir() -> None:
    """Every gunicorn worker writes its Prometheus samples here and /metrics adds them up
    (prometheus_client's multiprocess mode); samples of an earlier run are removed."""
    from django.conf import settings

    default = str(Path(settings.VAR_DIR) / "prometheus")
    directory = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", default))
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def _web_command(bind: str, workers: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--bind", bind, "--workers", str(workers), "--threads", "4",
        "--worker-class", "gthread", "--timeout", "60", "--graceful-timeout", "20",
        "--forwarded-allow-ips", "127.0.0.1", "--no-control-socket",
    ]  # fmt: skip


def _worker_command(number: int) -> list[str]:
    from danvan.core.tasks_redis import backend

    if backend() is not None:  # TASKS_BACKEND=danvan.core.tasks_redis.RedisBackend
        name = f"{os.uname().nodename}-{os.getpid()}-{number}"
        return [sys.executable, "manage.py", "rqworker", "--name", name]
    return [
        sys.executable, "manage.py", "db_worker", "--queue-name", "*",
        "--interval", "1", "--no-reload", "--worker-id", f"{os.uname().nodename}-{os.getpid()}-{number}",
    ]  # fmt: skip


def _stop_all(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + 25
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
