"""Run a Redis task worker (TASKS_BACKEND=danvan.core.tasks_redis.RedisBackend).

Start as many as you like, on as many machines as you like, against the same Redis and the
same database. Each job runs in a forked process; if a worker dies mid-job, the job is run
again by a live worker once `--abandoned-after` seconds have passed without a heartbeat.
"""

import os
import socket
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from danvan.core.tasks_redis import DanvanWorker, backend


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


class Command(BaseCommand):
    help = "Run a worker for the Redis task backend until stopped (SIGTERM: after the job)."
    requires_system_checks: list[str] = []  # the web server checks; workers start fast

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue-name", action="append", dest="queues",
            help="a queue to take jobs from (repeatable); default: every queue of the backend",
        )  # fmt: skip
        parser.add_argument("--name", default="", help="worker name, unique (default: host-pid)")
        parser.add_argument(
            "--heartbeat", type=int, default=_env_int("DANVAN_TASK_HEARTBEAT", 5),
            help="seconds between heartbeats of a running job (DANVAN_TASK_HEARTBEAT)",
        )  # fmt: skip
        parser.add_argument(
            "--abandoned-after", type=int, default=_env_int("DANVAN_TASK_ABANDONED_AFTER", 30),
            help="seconds without a heartbeat before a job counts as abandoned and is run "
            "again (DANVAN_TASK_ABANDONED_AFTER)",
        )  # fmt: skip
        parser.add_argument(
            "--maintenance", type=int, default=_env_int("DANVAN_TASK_MAINTENANCE", 15),
            help="seconds between looks for abandoned jobs (DANVAN_TASK_MAINTENANCE)",
        )  # fmt: skip
        parser.add_argument("--burst", action="store_true", help="stop when the queues are empty")

    def handle(self, *args: Any, **options: Any) -> None:
        found = backend()
        if found is None:
            raise CommandError("TASKS_BACKEND is not danvan.core.tasks_redis.RedisBackend")
        names = options["queues"] or sorted(found.queues)
        worker = DanvanWorker(
            [found.queue(name) for name in names],
            name=options["name"] or f"{socket.gethostname()}-{os.getpid()}",
            connection=found.connection,
            serializer=found.queue(names[0]).serializer,
            job_monitoring_interval=options["heartbeat"],
            maintenance_interval=options["maintenance"],
            worker_ttl=options["heartbeat"] + options["abandoned_after"] + 60,
        )
        worker.abandoned_after = options["abandoned_after"]
        worker.work(burst=options["burst"], logging_level="INFO", with_scheduler=False)
