"""Reminders of a round's deadlines: to whom, on which working days, once each."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from danvan.accounts.roles import Role
from danvan.evaluation import services
from danvan.evaluation.models import Reminder
from danvan.evaluation.reminders import rounds_remind
from danvan.evaluation.services import SelfScore
from danvan.rulebook.store import current_calendar

pytestmark = pytest.mark.django_db


def test_units_not_submitted_are_reminded_on_the_working_days_before(open_round, demo_user, small_set,
                                                                     django_capture_on_commit_callbacks):  # fmt: skip
    round_ = open_round(codes=["ubnd-c11953", "ubnd-c11977"])
    calendar = current_calendar()
    # The working day before the deadline (5, 1 and 0 working days before are reminder days).
    day_before = next(day for day in (date(2026, 11, 23 + n) for n in range(7))
                      if calendar.add_working_days(day, 1) == round_.self_due)  # fmt: skip
    assert rounds_remind(date(2026, 11, 23)) == 0  # not a reminder day
    with django_capture_on_commit_callbacks(execute=True):
        assert rounds_remind(day_before) == 1  # the head of Phố Hiến; Tân Hưng has no account
        assert rounds_remind(day_before) == 0  # once
    [sent] = mail.outbox
    assert sent.to == ["chutich@demo.danvan.vn"]
    assert sent.subject == f"Đánh giá năm 2026: hạn tự đánh giá là ngày {round_.self_due:%d/%m/%Y}"
    assert Reminder.objects.get().state == Reminder.State.SENT


def test_no_reminder_on_other_days_nor_for_a_unit_that_submitted(open_round, demo_user, small_set):
    round_ = open_round(codes=["ubnd-c11953"])
    head = demo_user(Role.HEAD)
    assessment = round_.assessments.get()
    for leaf in ("1.1", "2.1"):
        services.self_score(assessment=assessment, by=head, score=SelfScore(points=Decimal(1)),
                            criterion=small_set.criteria.get(code=leaf))  # fmt: skip
    services.assessment_submit(assessment=assessment, by=head)
    assert rounds_remind(round_.self_due) == 0  # submitted: nothing to remind
    assert rounds_remind(round_.review_due) == 1  # the supervisor, on the review's due day
    assert Reminder.objects.get().to_user == demo_user(Role.SUPERVISOR)
