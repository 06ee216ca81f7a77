"""Notifications go out after commit through a task, once; the sweep marks and reminds once."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from danvan.cases import services as s
from danvan.cases.models import Case, CaseEvent, Notification
from danvan.cases.notifications import deliver
from danvan.cases.sweep import sweep
from danvan.core.sms import MemoryBackend

pytestmark = pytest.mark.django_db
D = date.fromisoformat


@pytest.fixture(autouse=True)
def empty_outboxes():
    MemoryBackend.outbox.clear()
    mail.outbox.clear()


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
    assert Notification.objects.get(case=case).state == "sent"


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
    # A second delivery of the same row (a retried task) sends nothing more.
    deliver.call(Notification.objects.get(case=case, purpose="accept").pk)
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
    from danvan.cases.sweep import _mark

    assert _mark(cases[0].pk, D("2026-11-10")) == 1
    assert _mark(cases[0].pk, D("2026-11-10")) == 0  # the loser of the race
    assert sweep(D("2026-11-23")).overdue == 4
    assert CaseEvent.objects.filter(action="mark_overdue").count() == 5


def test_sweep_command_prints_its_counts(submit, capsys):
    case = submit()
    Case.objects.filter(pk=case.pk).update(due_on=D("2026-11-20"))
    call_command("sweep_deadlines", "--date", "2026-11-23")
    assert capsys.readouterr().out.strip().startswith("overdue=1 reminders=")


def test_a_notification_left_half_sent_is_queued_again(submit, frozen_time):
    case = submit()
    Notification.objects.filter(case=case).update(state="sending")
    frozen_time.shift(timedelta(minutes=20))
    assert sweep().requeued == 1
    assert Notification.objects.get(case=case).state == "sent"
