"""Notifications go out after commit, in batches, once; the sweep marks and reminds once."""

import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.tasks import task_backends
from django.tasks.signals import task_enqueued
from django.test import override_settings

from danvan.cases import notifications
from danvan.cases import services as s
from danvan.cases.models import Case, CaseEvent, Notification
from danvan.cases.notifications import deliver, deliver_queued, queue
from danvan.cases.sweep import sweep
from danvan.core import outbox
from danvan.core.sms import MemoryBackend

pytestmark = pytest.mark.django_db
D = date.fromisoformat
KICK_KEY = f"outbox:kick:{notifications.KICK}"
NOTHING = "sent=0 failed=0 skipped=0"
# A backend that keeps what is enqueued without running it: a worker that has not started.
HELD = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
# Nothing listens there: enqueueing fails as with a Redis restarting.
UNREACHABLE = "unix:///nonexistent/danvan/redis.sock"


@pytest.fixture(autouse=True)
def empty_outboxes() -> Iterator[None]:
    MemoryBackend.outbox.clear()
    MemoryBackend.references.clear()
    mail.outbox.clear()
    # The test cache lives as long as the process and time is frozen: a key a test left
    # would swallow the next tests' kicks.
    cache.delete(KICK_KEY)
    yield
    cache.delete(KICK_KEY)


@pytest.fixture
def enqueued() -> Iterator[list[str]]:
    """The names of the tasks enqueued during the test, in order."""
    names: list[str] = []

    def record(sender, task_result, **kwargs):
        names.append(task_result.task.name)

    task_enqueued.connect(record)
    yield names
    task_enqueued.disconnect(record)


@pytest.fixture
def shared_cache(tmp_path) -> Iterator[None]:
    """A cache every process sees (Redis in production): kicks are counted across them."""
    files = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}
    with override_settings(CACHES={"default": {**files, "LOCATION": str(tmp_path / "cache")}}):
        yield


@pytest.fixture
def held_tasks() -> Iterator[None]:
    with override_settings(TASKS=HELD):
        yield
        task_backends["default"].clear()


@pytest.fixture
def queued(submit):
    """`queued(n)`: n queued notifications of one letter, none sent (no worker ran)."""
    case = submit()
    # Its own notice, also queued (the test transaction never commits), would blur the counts.
    Notification.objects.filter(case=case).delete()

    def make(n: int) -> list[Notification]:
        for number in range(n):
            queue(case, key=f"test:{case.pk}:{number}", purpose="accept")
        return list(Notification.objects.filter(state="queued"))

    return make


def test_the_citizen_gets_the_tracking_code_by_email_and_sms_after_commit(
    submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case = submit()
    assert mail.outbox == []  # nothing leaves before the letter is committed
    assert Notification.objects.get(case=case).state == "queued"
    for callback in callbacks:
        callback()
    [email] = mail.outbox
    assert email.to == ["an@example.vn"]
    assert case.tracking_code in email.subject
    assert case.content not in email.body  # never the content: others may read the mailbox
    [(phone, text)] = MemoryBackend.outbox
    assert phone == "+84912345678"
    assert f"/tra-cuu/{case.tracking_code}/" in text
    row = Notification.objects.get(case=case)
    assert row.state == "sent"
    assert MemoryBackend.references == [str(row.pk)]  # a gateway may drop a resend by it


def test_a_rolled_back_step_sends_nothing(submit, handler, django_capture_on_commit_callbacks):
    case = submit()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(s.TransitionError):
        s.case_resolve(case=case, by=handler, answer="Chưa thụ lý mà đã trả lời")
    assert not Notification.objects.filter(purpose="resolve").exists()


def test_each_public_step_is_notified_once(submit, handler, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(kind="complaint")
        case = s.case_classify(case=case, by=handler, kind="complaint", topic=case.topic)
        case = s.case_accept(case=case, by=handler)
    purposes = list(Notification.objects.filter(case=case).values_list("purpose", flat=True))
    assert sorted(purposes) == ["accept", "submitted"]  # classifying is internal
    assert len(mail.outbox) == 2
    # A second delivery (a retried task, a second kick) sends nothing more.
    assert deliver_queued.call() == NOTHING
    assert deliver.call(Notification.objects.get(case=case, purpose="accept").pk) == (
        "already handled"
    )
    assert len(mail.outbox) == 2


def test_a_denouncer_is_notified_at_their_sealed_address_only(
    submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(kind="denunciation", topic=None, email="kin@example.vn", phone="")
    [email] = mail.outbox
    assert email.to == ["kin@example.vn"]
    assert Case.objects.get(pk=case.pk).submitter_email == ""


def test_anonymous_letters_are_skipped_not_failed(submit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(anonymous=True, name="", phone="", email="")
    assert Notification.objects.get(case=case).state == "skipped"


def test_sweep_marks_overdue_once_and_reminds_once_per_lead_time(submit, handler, frozen_time):
    late = submit(title="Quá hạn")
    soon = submit(title="Sắp đến hạn")
    Case.objects.filter(pk=late.pk).update(due_on=D("2026-11-20"))
    Case.objects.filter(pk=soon.pk).update(due_on=D("2026-11-26"), assignee=handler)
    first = sweep(D("2026-11-23"))
    again = sweep(D("2026-11-23"))
    assert (first.overdue, again.overdue) == (1, 0)
    assert Case.objects.get(pk=late.pk).overdue_since == D("2026-11-21")
    assert CaseEvent.objects.filter(case=late, action="mark_overdue").count() == 1
    assert (first.reminders, again.reminders) == (1, 0)  # 3 days before
    reminder = Notification.objects.get(case=soon, purpose="reminder")
    assert reminder.to_user == handler
    assert sweep(D("2026-11-25")).reminders == 1  # 1 day before: a new reminder
    assert Notification.objects.filter(case=soon, purpose="reminder").count() == 2


def test_paused_and_finished_cases_are_never_overdue(submit, handler):
    case = submit()
    case = s.case_classify(case=case, by=handler, kind="feedback", topic=case.topic)
    case = s.case_accept(case=case, by=handler)
    case = s.case_start(case=case, by=handler)
    case = s.case_request_info(case=case, by=handler, note="Xin ảnh hiện trường")
    Case.objects.filter(pk=case.pk).update(due_on=D("2026-11-01"))
    assert sweep(D("2026-11-23")).overdue == 0


def test_two_sweeps_racing_mark_each_case_once(submit):
    """The second sweep sees the rows the first marked and writes no second event."""
    cases = [submit(title=f"Đơn {n}") for n in range(5)]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(due_on=D("2026-11-10"))
    # Both sweeps read the row before either marked it.
    first, second = Case.objects.get(pk=cases[0].pk), Case.objects.get(pk=cases[0].pk)
    assert s.case_mark_overdue(case=first) is True
    assert s.case_mark_overdue(case=second) is False  # the loser of the race
    assert sweep(D("2026-11-23")).overdue == 4
    assert CaseEvent.objects.filter(action="mark_overdue").count() == 5


def test_sweep_command_prints_its_counts(submit, capsys):
    case = submit()
    Case.objects.filter(pk=case.pk).update(due_on=D("2026-11-20"))
    call_command("sweep_deadlines", "--date", "2026-11-23")
    assert capsys.readouterr().out.strip().startswith("overdue=1 reminders=")


def test_a_notification_left_half_sent_is_queued_again(
    submit, frozen_time, django_capture_on_commit_callbacks
):
    case = submit()
    Notification.objects.filter(case=case).update(state="sending")
    frozen_time.shift(timedelta(minutes=20))
    with django_capture_on_commit_callbacks(execute=True):  # the kick follows the requeue
        assert sweep().requeued == 1
    assert Notification.objects.get(case=case).state == "sent"


def test_one_run_sends_many_queued_rows_exactly_once_each(queued, monkeypatch):
    monkeypatch.setattr(notifications, "BATCH", 7)  # several batches
    rows = queued(30)
    assert deliver_queued.call() == f"sent={len(rows)} failed=0 skipped=0"
    assert len(MemoryBackend.outbox) == len(mail.outbox) == len(rows)
    states = set(Notification.objects.values_list("state", "attempts"))
    assert states == {("sent", 1)}  # each claimed once
    assert deliver_queued.call() == NOTHING  # back to back: nothing left to send


def test_interleaved_runs_never_send_a_row_twice(queued, monkeypatch):
    """A second run starts while the first holds a claimed batch not yet sent."""
    monkeypatch.setattr(notifications, "BATCH", 4)
    rows = queued(11)
    prepare, inner = notifications.prepare_outgoing, list[str]()

    def prepare_then_race(row):
        if not inner:  # once: the second run prepares through here too
            inner.append("running")
            inner[0] = deliver_queued.call()  # takes what the first left queued
        return prepare(row)

    monkeypatch.setattr(notifications, "prepare_outgoing", prepare_then_race)
    outer = deliver_queued.call()
    assert (outer, inner) == ("sent=4 failed=0 skipped=0", ["sent=7 failed=0 skipped=0"])
    assert len(MemoryBackend.outbox) == len(rows)
    assert set(Notification.objects.values_list("state", "attempts")) == {("sent", 1)}


def test_a_row_claimed_elsewhere_is_left_alone(queued):
    [first, *rest] = queued(3)
    assert outbox.claim(Notification, first.pk)  # another worker is sending it
    assert deliver_queued.call() == f"sent={len(rest)} failed=0 skipped=0"
    assert Notification.objects.get(pk=first.pk).state == "sending"


def test_sends_run_on_the_pool_at_most_the_configured_number_at_once(queued, monkeypatch, settings):
    settings.DANVAN_NOTIFY_CONCURRENCY = 4
    rows = queued(12)
    lock, running, peak, threads = threading.Lock(), [0], [0], set()

    def slow_gateway(to, text, reference=""):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
            threads.add(threading.current_thread().name)
        time.sleep(0.05)  # the gateway's latency
        with lock:
            running[0] -= 1

    monkeypatch.setattr(notifications, "send_sms", slow_gateway)
    assert deliver_queued.call() == f"sent={len(rows)} failed=0 skipped=0"
    assert peak[0] == 4
    assert all(name.startswith("notify") for name in threads)  # never the task's own thread


def test_each_row_is_marked_as_its_send_returns_not_at_the_end(queued, monkeypatch):
    """A worker killed mid-batch then leaves few rows sent but not marked."""
    rows = queued(5)
    mark, marked = notifications.mark_sent, []
    others_marked = threading.Event()

    def mark_and_note(ids):
        yield from mark(ids)
        marked.extend(ids)
        if len(marked) == len(rows) - 1:
            others_marked.set()

    first = threading.Lock()

    def gateway(to, text, reference=""):
        # The first send waits for the others to be marked: it would wait in vain if rows
        # were marked only when the whole batch was done.
        if first.acquire(blocking=False) and not others_marked.wait(timeout=10):
            raise TimeoutError("the other rows were not marked meanwhile")

    monkeypatch.setattr(notifications, "mark_sent", mark_and_note)
    monkeypatch.setattr(notifications, "send_sms", gateway)
    assert deliver_queued.call() == f"sent={len(rows)} failed=0 skipped=0"


def test_a_failing_send_marks_only_that_row_failed(submit, monkeypatch):
    for number in range(3):
        submit(phone=f"+8491000000{number}", email="")

    def gateway(to, text, reference=""):
        if to == "+84910000001":
            raise ConnectionError("gateway refused")
        MemoryBackend.outbox.append((to, text))

    monkeypatch.setattr(notifications, "send_sms", gateway)
    assert deliver_queued.call() == "sent=2 failed=1 skipped=0"
    failed = Notification.objects.get(state="failed")
    assert failed.case.submitter_phone == "+84910000001"
    assert failed.error == "ConnectionError('gateway refused')"
    assert sorted(to for to, _text in MemoryBackend.outbox) == ["+84910000000", "+84910000002"]
    assert Notification.objects.filter(state="sent").count() == 2


def test_a_gateways_error_naming_the_recipient_is_stored_masked(submit, monkeypatch):
    submit(kind="denunciation", topic=None, phone="+84913000111", email="")

    def gateway(to, text, reference=""):
        raise ConnectionError(f"550 no route to {to} (0913 000 111)")

    monkeypatch.setattr(notifications, "send_sms", gateway)
    assert deliver_queued.call() == "sent=0 failed=1 skipped=0"
    failed = Notification.objects.get(state="failed")
    assert failed.error == "ConnectionError('550 no route to [số điện thoại] ([số điện thoại])')"


def test_a_message_that_cannot_be_built_fails_alone(queued, monkeypatch):
    [broken, *rest] = queued(3)
    prepare = notifications.prepare_outgoing

    def prepare_or_fail(row):
        if row.pk == broken.pk:
            raise ValueError("sealed identity unreadable")
        return prepare(row)

    monkeypatch.setattr(notifications, "prepare_outgoing", prepare_or_fail)
    assert deliver_queued.call() == f"sent={len(rest)} failed=1 skipped=0"
    assert "sealed identity unreadable" in Notification.objects.get(pk=broken.pk).error


def test_a_burst_of_commits_kicks_one_task_and_the_next_after_it_finished(
    submit, enqueued, shared_cache, held_tasks, frozen_time, django_capture_on_commit_callbacks
):
    for number in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            submit(title=f"Đơn {number}")
    assert enqueued == ["deliver_queued"]  # one job for three letters
    assert deliver_queued.call() == "sent=3 failed=0 skipped=0"
    assert cache.get(KICK_KEY) is None  # the run let the next commit kick again
    with django_capture_on_commit_callbacks(execute=True):
        submit(title="Đơn sau")
    assert enqueued == ["deliver_queued"] * 2
    # A kicked task that never ran (its worker died) does not block kicks for good.
    frozen_time.shift(timedelta(seconds=outbox.KICK_SECONDS + 1))
    with django_capture_on_commit_callbacks(execute=True):
        submit(title="Đơn muộn")
    assert enqueued == ["deliver_queued"] * 3


def test_with_a_per_process_cache_every_commit_kicks(
    submit, enqueued, held_tasks, django_capture_on_commit_callbacks
):
    """One machine without Redis: the worker process could not delete this process's key,
    and a letter committed within KICK_SECONDS would wait for the sweep."""
    for number in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            submit(title=f"Đơn {number}")
    assert enqueued == ["deliver_queued"] * 2


def test_a_row_committed_while_the_key_still_existed_is_sent_by_the_second_look(
    submit, enqueued, shared_cache, monkeypatch, django_capture_on_commit_callbacks
):
    case = submit()
    unkick, late = outbox.unkick, list[bool]()

    def commit_then_unkick(name):
        # The run found nothing and is about to delete the key: a letter commits now, and
        # its kick sees the key, so it enqueues nothing and counts on this run.
        if not late:
            with django_capture_on_commit_callbacks(execute=True):
                late.append(queue(case, key="late", purpose="accept"))
        unkick(name)

    monkeypatch.setattr(outbox, "unkick", commit_then_unkick)
    assert deliver_queued.call() == "sent=2 failed=0 skipped=0"
    assert late == [True]
    assert enqueued == []  # the late commit's kick was swallowed
    assert Notification.objects.get(key="late").state == "sent"


def test_a_long_run_hands_over_to_a_fresh_job(
    queued, enqueued, shared_cache, held_tasks, monkeypatch
):
    """A steady stream never empties the queue: the run must end before the job timeout."""
    monkeypatch.setattr(notifications, "BATCH", 2)
    monkeypatch.setattr(notifications, "RUN_SECONDS", 0)
    rows = queued(5)
    assert deliver_queued.call() == "sent=2 failed=0 skipped=0"
    assert enqueued == ["deliver_queued"]  # the successor takes the rest
    assert Notification.objects.filter(state="queued").count() == len(rows) - 2


def test_an_unreachable_cache_fails_the_kick_not_the_request(
    submit, caplog, django_capture_on_commit_callbacks
):
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": UNREACHABLE}
    with (
        override_settings(CACHES={"default": redis}),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case = submit()  # no exception after the commit
    assert Notification.objects.get(case=case).state == "queued"  # for the next kick or sweep
    assert mail.outbox == []
    assert "not kicked, the cache is unreachable" in caplog.text


def test_an_unreachable_queue_fails_the_kick_and_the_sweep_sends_later(
    submit, caplog, shared_cache, frozen_time, django_capture_on_commit_callbacks
):
    redis = {"BACKEND": "danvan.core.tasks_redis.RedisBackend", "OPTIONS": {"URL": UNREACHABLE}}
    with (
        override_settings(TASKS={"default": redis}),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case = submit()  # no exception after the commit
    assert "not kicked, the task queue is unreachable" in caplog.text
    assert Notification.objects.get(case=case).state == "queued"
    assert cache.get(KICK_KEY) is None  # the next commit tries again: no job to wait for
    frozen_time.shift(timedelta(minutes=20))
    with django_capture_on_commit_callbacks(execute=True):  # the kick follows the requeue
        assert sweep().requeued == 1
    assert Notification.objects.get(case=case).state == "sent"


def test_the_sweep_requeues_what_was_left_and_kicks_once(
    queued, enqueued, held_tasks, frozen_time, django_capture_on_commit_callbacks
):
    rows = queued(5)
    half_sent, failed = [r.pk for r in rows[:3]], rows[3].pk  # the fifth was never picked up
    Notification.objects.filter(pk__in=half_sent).update(state="sending", attempts=1)
    Notification.objects.filter(pk=failed).update(state="failed", attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep().requeued == 0  # too fresh: a worker may still be sending
    assert enqueued == []
    frozen_time.shift(timedelta(minutes=20))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep().requeued == len(rows)
    assert enqueued == ["deliver_queued"]  # one job, not one per row
    assert set(Notification.objects.values_list("state", flat=True)) == {"queued"}
    assert deliver_queued.call() == f"sent={len(rows)} failed=0 skipped=0"


def test_a_backlog_row_claimed_just_now_is_not_queued_again_while_it_is_sent(
    queued, held_tasks, frozen_time, django_capture_on_commit_callbacks
):
    [row] = queued(1)
    frozen_time.shift(timedelta(minutes=40))  # an outage: nothing was sent meanwhile
    assert outbox.claim_batch(Notification, 10) == [row.pk]  # a worker takes it now
    frozen_time.shift(timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep().requeued == 0  # created 41 minutes ago, but claimed 1 minute ago
    assert Notification.objects.get(pk=row.pk).state == "sending"
    frozen_time.shift(timedelta(minutes=15))  # that worker died: 16 minutes since its claim
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep().requeued == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("queued", 1)


def test_a_failed_row_is_retried_fifteen_minutes_after_its_last_attempt(
    queued, held_tasks, frozen_time, django_capture_on_commit_callbacks
):
    [row] = queued(1)
    frozen_time.shift(timedelta(hours=2))
    assert outbox.claim(Notification, row.pk)
    Notification.objects.filter(pk=row.pk).update(state="failed")  # the gateway refused it
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep().requeued == 0
    frozen_time.shift(timedelta(minutes=16))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep().requeued == 1
    assert Notification.objects.get(pk=row.pk).state == "queued"


def test_retries_stop_after_the_last_attempt(
    queued, frozen_time, monkeypatch, django_capture_on_commit_callbacks
):
    [row] = queued(1)

    def gateway(to, text, reference=""):
        raise ConnectionError("gateway down")

    monkeypatch.setattr(notifications, "send_sms", gateway)
    for _attempt in range(outbox.MAX_ATTEMPTS + 2):
        frozen_time.shift(timedelta(minutes=20))
        with django_capture_on_commit_callbacks(execute=True):
            sweep()  # requeues and kicks: the immediate backend runs the task at once
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("failed", outbox.MAX_ATTEMPTS)
    assert row.error == "ConnectionError('gateway down')"
