"""Issue 16: a failed notice stores and logs why, never to whom: the row's error, the task's
result (its traceback is what the database task backend keeps) and the log lines."""

import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings

from danvan.cases.models import Notification
from danvan.cases.notifications import deliver
from danvan.core.delivery import RECIPIENT, failure

pytestmark = pytest.mark.django_db

PHONE, EMAIL = "+84913000111", "Binh.Tran@example.vn"
WRITTEN = ("+84913000111", "84913000111", "0913000111", "913000111", "0913 000 111",
           "0913.000.111", "binh.tran@example.vn", "Binh.Tran@example.vn")  # fmt: skip


class RefusingGateway:
    """An SMS gateway whose errors repeat the number, as carriers' do."""

    def send(self, to, text, reference=""):
        raise ConnectionError(f"no route to {to} (0913 000 111, 84913000111)")


class RefusingMail(BaseEmailBackend):
    """An SMTP server refusing the recipient, as smtplib reports it."""

    def send_messages(self, email_messages):
        to = email_messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({to: (550, f"5.1.1 <{to.lower()}> unknown".encode())})


def _assert_hidden(*texts: str) -> None:
    for text in texts:
        for written in WRITTEN:
            assert written not in text, (written, text)


@pytest.mark.parametrize("written", WRITTEN)
def test_a_failure_names_no_writing_of_the_recipient(written):
    error = ConnectionError(f"550 {written} unknown")
    text = str(failure(error, PHONE if "@" not in written else EMAIL))
    assert text == f"ConnectionError: 550 {RECIPIENT} unknown"


def _one_notice(submit, **sender) -> Notification:
    submit(kind="denunciation", topic=None, **sender)
    return Notification.objects.get(purpose="submitted")


@override_settings(DANVAN_SMS_BACKEND=f"{__name__}.RefusingGateway")
def test_a_refused_sms_leaves_no_number_in_the_row_the_task_result_or_the_log(submit, caplog):
    row = _one_notice(submit, phone=PHONE, email="")
    with caplog.at_level(logging.DEBUG):
        result = deliver.enqueue(row.pk)
    assert result.status == "FAILED"
    [error] = result.errors
    assert error.exception_class_path == "danvan.core.delivery.DeliveryFailed"
    row.refresh_from_db()
    assert row.state == "failed"
    assert RECIPIENT in row.error
    _assert_hidden(row.error, error.traceback, caplog.text)


@override_settings(MAILERS={"default": {"BACKEND": f"{__name__}.RefusingMail"}})
def test_a_refused_email_leaves_no_address_in_the_row_the_task_result_or_the_log(submit, caplog):
    row = _one_notice(submit, phone="", email=EMAIL)
    with caplog.at_level(logging.DEBUG):
        result = deliver.enqueue(row.pk)
    assert result.status == "FAILED"
    row.refresh_from_db()
    assert "SMTPRecipientsRefused" in row.error
    _assert_hidden(row.error, result.errors[0].traceback, caplog.text)
    assert mail.outbox == []


@override_settings(DANVAN_SMS_BACKEND=f"{__name__}.RefusingGateway")
def test_a_refused_sign_up_code_leaves_no_number_in_the_task_result_or_the_log(db, caplog):
    from django.utils import timezone

    from danvan.accounts.contact import deliver_contact_code
    from danvan.accounts.models import ContactCode

    row = ContactCode.objects.create(destination=PHONE, channel="phone", purpose="signup",
                                     message="code", client_address="203.0.113.5",
                                     expires_at=timezone.now())  # fmt: skip
    with caplog.at_level(logging.DEBUG):
        result = deliver_contact_code.enqueue(row.pk)
    assert result.status == "FAILED"
    _assert_hidden(result.errors[0].traceback, caplog.text)
