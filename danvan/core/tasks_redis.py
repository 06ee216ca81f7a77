"""Django's tasks API on Redis (RQ): workers on any number of machines, one queue.

    TASKS_BACKEND=danvan.core.tasks_redis.RedisBackend  REDIS_URL=redis://host:6379/0
    manage.py rqworker          # on every machine, against the same Redis and database

`@task` functions are enqueued as RQ jobs of `execute(path, args, kwargs)`, JSON-encoded (no
pickles: whoever can write to Redis cannot run code in the workers). A worker forks a "horse"
per job and keeps the job's entry in RQ's started-job registry alive with a heartbeat. When a
worker dies (SIGKILL, power loss), the heartbeat stops, the entry expires after
`DANVAN_TASK_ABANDONED_AFTER` seconds and the next registry clean-up of any worker puts the
job back on its queue, up to `DANVAN_TASK_RETRIES` times. A task that raises is *not* run
again: only runs that never finished are. Tasks must therefore be safe to run twice (the
notification outbox claims its row before sending). See docs/scale-out.md.
"""

import ctypes
import ctypes.util
import os
import signal
from datetime import UTC, datetime
from traceback import format_exception
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.tasks import Task, TaskContext, TaskResult, TaskResultStatus, task_backends
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import TaskError
from django.tasks.exceptions import TaskResultDoesNotExist
from django.tasks.signals import task_enqueued, task_finished, task_started
from django.utils.crypto import get_random_string
from django.utils.json import normalize_json
from django.utils.module_loading import import_string
from redis import Redis
from rq import Queue, Retry, Worker, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

STATUS = {
    JobStatus.QUEUED: TaskResultStatus.READY,
    JobStatus.SCHEDULED: TaskResultStatus.READY,
    JobStatus.DEFERRED: TaskResultStatus.READY,
    JobStatus.CREATED: TaskResultStatus.READY,
    JobStatus.STARTED: TaskResultStatus.RUNNING,
    JobStatus.FINISHED: TaskResultStatus.SUCCESSFUL,
}  # FAILED, STOPPED, CANCELED: FAILED
PR_SET_PDEATHSIG = 1


class RedisBackend(BaseTaskBackend):
    """OPTIONS (all optional): URL (default DANVAN_REDIS_URL), RETRIES, TIMEOUT, RESULT_TTL."""

    supports_get_result = True

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self.url = str(self.options.get("URL") or getattr(settings, "DANVAN_REDIS_URL", ""))
        if not self.url:
            raise ImproperlyConfigured("RedisBackend needs REDIS_URL (or DANVAN_REDIS_URL)")
        self.retries = int(self.options.get("RETRIES", settings.DANVAN_TASK_RETRIES))
        self.timeout = int(self.options.get("TIMEOUT", settings.DANVAN_TASK_TIMEOUT))
        self.result_ttl = int(self.options.get("RESULT_TTL", 7 * 24 * 3600))
        self.connection = Redis.from_url(self.url)

    def queue(self, name: str) -> Queue:
        return Queue(name, connection=self.connection, serializer=JSONSerializer)

    def enqueue(self, task: Task[Any, Any], args: Any, kwargs: Any) -> TaskResult[Any, Any]:
        self.validate_task(task)
        result: TaskResult[Any, Any] = TaskResult(
            task=task, id=get_random_string(32), status=TaskResultStatus.READY,
            enqueued_at=None, started_at=None, last_attempted_at=None, finished_at=None,
            args=args, kwargs=kwargs, backend=self.alias, errors=[], worker_ids=[],
        )  # fmt: skip
        job = self.queue(task.queue_name).enqueue_call(
            execute,
            args=(task.module_path, result.args, result.kwargs),
            job_id=result.id,
            timeout=self.timeout,
            result_ttl=self.result_ttl,
            failure_ttl=self.result_ttl,
            retry=Retry(max=self.retries) if self.retries > 0 else None,
            meta={"backend": self.alias, "worker_ids": [], "errors": []},
        )
        object.__setattr__(result, "enqueued_at", _aware(job.enqueued_at))
        task_enqueued.send(type(self), task_result=result)
        return result

    def queue_depths(self) -> dict[str, int]:
        """{queue: jobs waiting}, for /metrics."""
        return {name: self.queue(name).count for name in sorted(self.queues)}

    def get_result(self, result_id: str) -> TaskResult[Any, Any]:
        try:
            job = Job.fetch(result_id, connection=self.connection, serializer=JSONSerializer)
        except NoSuchJobError as error:
            raise TaskResultDoesNotExist(result_id) from error
        return _result(job)


def execute(path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """The RQ job function: run the Django task `path` and record the attempt in the job."""
    job = get_current_job()
    if job is None:
        raise RuntimeError("execute() runs inside an RQ worker")
    task = import_string(path)
    if not isinstance(task, Task):
        raise SuspiciousOperation(f"{path} is not a task")
    job.meta.setdefault("worker_ids", []).append(job.worker_name or "")
    job.save_meta()  # type: ignore[no-untyped-call]
    result = _result(job, task=task, status=TaskResultStatus.RUNNING)
    sender = type(task.get_backend())
    task_started.send(sender, task_result=result)
    try:
        if task.takes_context:
            value = task.call(TaskContext(task_result=result), *args, **kwargs)
        else:
            value = task.call(*args, **kwargs)
        value = normalize_json(value)
    except BaseException as error:
        job.retries_left = None  # a task that raised is finished; only dead runs are retried
        kind = type(error)
        job.meta.setdefault("errors", []).append(f"{kind.__module__}.{kind.__qualname__}")
        job.save_meta()  # type: ignore[no-untyped-call]
        result.errors.append(_error(error))
        object.__setattr__(result, "status", TaskResultStatus.FAILED)
        task_finished.send(sender, task_result=result)
        raise
    object.__setattr__(result, "status", TaskResultStatus.SUCCESSFUL)
    object.__setattr__(result, "_return_value", value)
    task_finished.send(sender, task_result=result)
    return value


def _result(
    job: Job, *, task: Task[Any, Any] | None = None, status: str | None = None
) -> TaskResult[Any, Any]:
    path, args, kwargs = job.args
    alias = job.meta.get("backend", "default")
    task = task if task is not None else import_string(path)
    assert isinstance(task, Task)  # noqa: S101 - checked when enqueued and when run
    if status is None:
        status = STATUS.get(job.get_status(), TaskResultStatus.FAILED)
    result: TaskResult[Any, Any] = TaskResult(
        task=task.using(queue_name=job.origin, backend=alias), id=job.id,
        status=TaskResultStatus(status), enqueued_at=_aware(job.enqueued_at),
        started_at=_aware(job.started_at), last_attempted_at=_aware(job.started_at),
        finished_at=_aware(job.ended_at) if status != TaskResultStatus.RUNNING else None,
        args=args, kwargs=kwargs, backend=alias,
        errors=[TaskError(exception_class_path=e, traceback="") for e in job.meta.get("errors", [])],
        worker_ids=list(job.meta.get("worker_ids", [])),
    )  # fmt: skip
    if status == TaskResultStatus.SUCCESSFUL:
        object.__setattr__(result, "_return_value", job.return_value())
    return result


def _error(error: BaseException) -> TaskError:
    kind = type(error)
    return TaskError(
        exception_class_path=f"{kind.__module__}.{kind.__qualname__}",
        traceback="".join(format_exception(error)),
    )


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


class DanvanWorker(Worker):
    """RQ's forking worker, with a short, configurable delay before a dead run is retried.

    RQ adds a fixed minute to every heartbeat; here the started-job entry lives
    `abandoned_after` seconds past the last heartbeat. The horse dies with its worker (Linux
    parent-death signal), so a killed worker never leaves a job running unwatched while the
    same job is retried elsewhere.
    """

    abandoned_after = 30
    watcher_pid = 0

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        interval = int(self.job_monitoring_interval)
        if job.timeout and job.timeout > 0:
            interval = int(min(job.timeout - working_time, interval))
        return max(interval, 1) + self.abandoned_after

    @property
    def dequeue_timeout(self) -> int:
        """Wake up an idle worker every maintenance interval to look for abandoned jobs."""
        return max(1, min(int(self.maintenance_interval), self.worker_ttl - 15))

    def fork_work_horse(self, job: Job, queue: Queue) -> None:
        self.watcher_pid = os.getpid()
        super().fork_work_horse(job, queue)

    def setup_work_horse_signals(self) -> None:
        super().setup_work_horse_signals()  # type: ignore[no-untyped-call]
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != self.watcher_pid:  # the worker died before the signal was armed
            os._exit(1)


def backend() -> RedisBackend | None:
    """The configured default backend when it is this one (`serve` starts `rqworker` then)."""
    found = task_backends["default"]
    return found if isinstance(found, RedisBackend) else None
