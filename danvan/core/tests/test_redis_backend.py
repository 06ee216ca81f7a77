"""The Redis task backend and shared cache against Debian's redis-server and real workers.

Workers are separate processes (`manage.py rqworker`) with their own SQLite file database;
jobs are enqueued through `django.tasks` from here or from `manage.py shell`.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.utils.module_loading import import_string
from redis import Redis
from rq.registry import FinishedJobRegistry

from danvan.core.tests import redis_jobs
from deploy.binaries import RedisUnavailable
from testsupport.redis_server import redis_server

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
BACKEND = "danvan.core.tasks_redis.RedisBackend"
# Fast failure detection for the tests: a heartbeat every second, abandoned 2 s after the
# last one, idle workers look for abandoned jobs every second.
WORKER = ["rqworker", "--heartbeat", "1", "--abandoned-after", "2", "--maintenance", "1"]


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    try:
        with redis_server() as url:
            yield url
    except RedisUnavailable as error:
        pytest.skip(str(error))


@pytest.fixture
def env(redis_url, tmp_path) -> dict[str, str]:
    Redis.from_url(redis_url).flushall()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DANVAN_VAR_DIR": str(tmp_path),
        "DJANGO_SECRET_KEY": "redis-test-only-secret-key",
        "DANVAN_IDENTITY_KEYS": "cmVkaXMtdGVzdC1vbmx5LWlkZW50aXR5LWtleS0zMmI=",
        "TASKS_BACKEND": BACKEND,
        "REDIS_URL": redis_url,
        "DANVAN_SMS_BACKEND": "danvan.core.tests.redis_jobs.FileSmsBackend",
        "DANVAN_TEST_SMS_LOG": str(tmp_path / "sms.log"),
        "DANVAN_TEST_SMS_HANG": str(tmp_path / "sms.hang"),
        "LOG_LEVEL": "WARNING",
    }
    for name in ("DATABASE_URL", "DJANGO_SECRET_KEY_FILE", "DANVAN_IDENTITY_KEYS_FILE"):
        environment.pop(name, None)
    return environment


@pytest.fixture
def workers(env, tmp_path) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        log = (tmp_path / f"worker-{len(started)}.log").open("wb")
        worker = subprocess.Popen(
            [sys.executable, MANAGE, *WORKER], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)


@pytest.fixture
def redis_tasks(redis_url) -> Iterator[None]:
    with override_settings(TASKS={"default": {"BACKEND": BACKEND, "OPTIONS": {"URL": redis_url}}}):
        yield


def wait_until(condition: Callable[[], object], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {condition}")
        time.sleep(0.1)


def finished(result) -> bool:
    result.refresh()
    return bool(result.is_finished)


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, MANAGE, *args], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _python(env: dict[str, str], code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False,
        cwd=settings.BASE_DIR,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_tasks_are_enqueued_run_by_a_worker_and_their_results_read_back(redis_tasks, workers):
    result = redis_jobs.add.enqueue(2, 3)
    failing = redis_jobs.fail.enqueue()
    assert redis_jobs.add.get_result(result.id).status == TaskResultStatus.READY
    assert redis_jobs.add.get_backend().queue_depths() == {"default": 2}  # for /metrics
    workers()
    wait_until(lambda: finished(result) and finished(failing))
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5
    assert result.attempts == 1
    assert redis_jobs.add.get_result(result.id).return_value == 5
    # A task that raises has failed for good: it is not run again.
    assert failing.status == TaskResultStatus.FAILED
    assert [e.exception_class_path for e in failing.errors] == ["builtins.ValueError"]
    assert failing.attempts == 1


def test_a_task_whose_worker_is_killed_completes_after_a_restart(redis_tasks, workers, tmp_path):
    log = tmp_path / "slow.log"
    result = redis_jobs.slow.enqueue(str(log))
    worker = workers()
    wait_until(lambda: log.exists() and "start 1" in log.read_text())
    horse = int(log.read_text().split("pid=")[1].split()[0])
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    killed_at = time.monotonic()
    wait_until(lambda: not _alive(horse), timeout=5)  # the job's process died with its worker
    workers()
    wait_until(lambda: finished(result))
    elapsed = time.monotonic() - killed_at
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 2  # the second attempt
    assert log.read_text().splitlines()[1:] == ["start 2 pid=" + _pid_of(log, 2), "done 2"]
    print(f"kill_to_completed_seconds={elapsed:.1f}")  # noqa: T201
    assert elapsed < 20


def test_a_notification_killed_mid_send_is_sent_once(
    env, redis_url, redis_tasks, workers, tmp_path
):
    sms_log, hang = Path(env["DANVAN_TEST_SMS_LOG"]), Path(env["DANVAN_TEST_SMS_HANG"])
    hang.touch()
    worker = workers()  # starts while the database is migrated
    manage(env, "migrate", "--no-input", "-v", "0")
    pk = int(_python(env, SEED % 1).split()[-1])  # its commit kicks the batch task
    wait_until(lambda: Path(f"{hang}.sending").exists())
    worker.send_signal(signal.SIGKILL)  # claimed, the gateway not answered yet
    worker.wait()
    hang.unlink()
    workers()
    finished_jobs = FinishedJobRegistry("default", connection=Redis.from_url(redis_url))
    wait_until(lambda: finished_jobs.count == 1)  # the re-run finds the row claimed: no send
    assert _returns(finished_jobs) == [NOTHING]
    assert not sms_log.exists()
    assert _state(tmp_path, pk) == "sending"
    # The sweep queues a half-sent row again (here: as if STUCK_AFTER had passed) and kicks.
    assert _python(env, SWEEP).split()[-1] == "1"
    wait_until(lambda: sms_log.exists() and _state(tmp_path, pk) == "sent")
    # A duplicate delivery (a retried job, a second kick) sends nothing more.
    duplicate = import_string(DELIVER_QUEUED).enqueue()
    wait_until(lambda: finished(duplicate))
    assert duplicate.return_value == NOTHING
    [line] = sms_log.read_text().splitlines()
    assert line.startswith("+84912345678 ")


def test_a_burst_of_notifications_is_one_job_and_each_is_sent_once(
    env, redis_url, redis_tasks, workers
):
    sms_log, letters = Path(env["DANVAN_TEST_SMS_LOG"]), 40
    manage(env, "migrate", "--no-input", "-v", "0")
    _python(env, SEED % letters)  # each letter commits on its own: as many kicks
    backend = import_string(DELIVER_QUEUED).get_backend()
    assert backend.queue_depths() == {"default": 1}  # one job: the kick key is in Redis
    # Two more runs race the first for the same rows (a retried job, a kick after the key
    # lapsed), on two workers.
    for _ in range(2):
        import_string(DELIVER_QUEUED).enqueue()
    workers()
    workers()
    finished_jobs = FinishedJobRegistry("default", connection=Redis.from_url(redis_url))
    wait_until(lambda: finished_jobs.count == 3)
    phones = [line.split()[0] for line in sms_log.read_text().splitlines()]
    assert len(phones) == len(set(phones)) == letters  # each sent, none twice
    sent = [int(r.split()[0].removeprefix("sent=")) for r in _returns(finished_jobs)]
    assert sum(sent) == letters


def test_the_api_rate_limit_is_counted_across_processes(env):
    env = {**env, "DANVAN_CACHE_URL": env["REDIS_URL"]}
    first = _python(env, LIMITED % 3).split()
    second = _python(env, LIMITED % 2).split()
    assert first[-3:] == ["ok", "ok", "ok"]
    assert second[-2:] == ["limited", "limited"]  # the limit of 3 was used up by the first


SETUP = "import django; django.setup()\n"
# The platform's layers are driven from other processes: core does not import the apps above it.
DELIVER_QUEUED = "danvan.cases.notifications.deliver_queued"
NOTHING = "sent=0 failed=0 skipped=0"
# `SEED % n`: n letters, each with its notice, each committed on its own; prints the last
# notice's id.
SEED = (
    SETUP
    + """
from datetime import date
from django.db import transaction
from danvan.cases.models import Case
from danvan.cases.notifications import notify_submitted
from danvan.places.models import Agency, Unit
unit = Unit.objects.create(
    level="commune", code="99999", name="Phường Thử", short_name="Thử", kind="phường"
)
agency = Agency.objects.create(
    code="ubnd-thu", name="UBND Phường Thử", type="peoples_committee", home_unit=unit
)
for number in range(%d):
    with transaction.atomic():  # the notice is kicked when this commits
        case = Case.objects.create(
            tracking_code=f"TEST-{number:04d}", kind="feedback", title="Đèn đường hỏng",
            content="Hỏng.", unit=unit, agency=agency,
            submitter_phone=f"+849{12345678 + number}", rulebook_edition=date(2026, 1, 1),
        )
        notify_submitted(case)
print(case.notifications.get().pk)
"""
)
SWEEP = SETUP + (
    "from datetime import timedelta; from django.utils import timezone; "
    "from danvan.cases.notifications import STUCK_AFTER, requeue_stuck; "
    "print(requeue_stuck(timezone.now() + STUCK_AFTER + timedelta(minutes=1)))"
)
LIMITED = SETUP + (
    "from danvan.api.errors import ApiError\n"
    "from danvan.api.ratelimit import Limit, check\n"
    "for _ in range(%d):\n"
    "    try:\n"
    "        check('address', '203.0.113.9', Limit(3, 3600)); print('ok')\n"
    "    except ApiError:\n"
    "        print('limited')\n"
)


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def _pid_of(log: Path, attempt: int) -> str:
    for line in log.read_text().splitlines():
        if line.startswith(f"start {attempt} pid="):
            return line.split("pid=")[1]
    return ""


def _returns(registry: FinishedJobRegistry) -> list[str]:
    task = import_string(DELIVER_QUEUED)
    return [task.get_result(job_id).return_value for job_id in registry.get_job_ids()]


def _state(var_dir: Path, pk: int) -> str:
    with sqlite3.connect(var_dir / "danvan.sqlite3") as db:
        [state] = db.execute("SELECT state FROM cases_notification WHERE id = ?", [pk]).fetchone()
    return str(state)
