"""Commitments: created from answers, followed with evidence, shown publicly, reminded."""

import contextlib
import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from PIL import Image

from danvan.accounts.roles import Role
from danvan.cases.models import Topic
from danvan.cases.notifications import MAX_ATTEMPTS
from danvan.cases.tests.letters import submit_letter
from danvan.dialogues import services as s
from danvan.dialogues.models import (
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Evidence,
    Question,
    Reminder,
    Status,
)
from danvan.dialogues.queries import PAGE_SIZE
from danvan.dialogues.reminders import commitments_remind, deliver_reminder, requeue_stuck
from danvan.dialogues.services import MESSAGES, DialogueError, Promised
from danvan.places.models import Unit

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def jpeg(name="bien-ban.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def promise(dialogue, demo_user, owner_agency):
    def make(due_on=TODAY + timedelta(days=30), **overrides):
        data = {"text": "Sửa xong đoạn đường ngõ 5", "owner": owner_agency, "due_on": due_on}
        data.update(overrides)
        return s.commitment_create(
            dialogue=dialogue, promised=Promised(**data), by=demo_user(Role.RECEPTION_OFFICER)
        )

    return make


def test_an_answer_that_promises_becomes_a_commitment_linked_to_a_complaint(
    dialogue, client_as, demo_user, organiser, owner_agency
):
    complaint = submit_letter(
        kind="complaint", title="Khiếu nại giá bồi thường", content="Giá bồi thường thấp.",
        unit=Unit.objects.get(level="commune", code="11953", valid_until=None),
        topic=Topic.objects.get(code="ha-tang"), name="Lê Văn Cảnh", phone="+84978221045",
    )  # fmt: skip
    question = s.question_submit(dialogue=dialogue, text="Giá bồi thường có được xem lại?")
    response = client_as(Role.RECEPTION_OFFICER).post(
        f"/staff/dialogues/{dialogue.pk}/minutes/",
        {"question": question.pk, "answer": "Sở Xây dựng sẽ thẩm định lại đơn giá.",
         "answered_by": demo_user(Role.HEAD).pk, "agency": organiser.pk, "promises": "on",
         "commitment": "Thẩm định lại đơn giá bồi thường", "owner": owner_agency.pk,
         "due_on": "2026-12-31", "case_code": complaint.tracking_code},
    )  # fmt: skip
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert (commitment.question, commitment.owner, commitment.due_on, commitment.case) == (
        question, owner_agency, date(2026, 12, 31), complaint,
    )  # fmt: skip
    assert commitment.status == CommitmentStatus.OPEN


def test_a_past_due_date_gets_a_message_and_nothing_is_stored(
    dialogue, client_as, demo_user, organiser, owner_agency
):
    question = s.question_submit(dialogue=dialogue, text="Khi nào sửa đường?")
    response = client_as(Role.RECEPTION_OFFICER).post(
        f"/staff/dialogues/{dialogue.pk}/minutes/",
        {"question": question.pk, "answer": "Sẽ sửa.", "answered_by": demo_user(Role.HEAD).pk,
         "agency": organiser.pk, "promises": "on", "commitment": "Sửa đường",
         "owner": owner_agency.pk, "due_on": "2026-11-22"},
    )  # fmt: skip
    assert response.status_code == 422
    assert str(MESSAGES["past_due"]) in response.content.decode()
    assert not Commitment.objects.exists()
    question.refresh_from_db()
    assert question.answer == ""
    with pytest.raises(DialogueError):
        s.question_answer(dialogue=dialogue, by=demo_user(Role.HEAD), answer="Sẽ sửa.",
                          answered_by=demo_user(Role.HEAD), agency=organiser, question=question,
                          promised=Promised("Sửa", owner_agency, date(2026, 11, 1)))  # fmt: skip
    assert not Commitment.objects.exists()


def test_a_commitment_is_not_closed_without_evidence(promise, owner_officer):
    commitment = promise()
    with pytest.raises(DialogueError) as refused:
        s.commitment_progress(commitment=commitment, by=owner_officer, text="Xong", close=True)
    assert refused.value.code == "no_evidence"
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.OPEN
    assert not CommitmentUpdate.objects.exists()


def test_a_commitment_is_closed_with_a_link_to_a_document(promise, owner_officer):
    commitment = promise()
    s.commitment_progress(commitment=commitment, by=owner_officer, text="Đã ban hành quyết định",
                          document_link="https://hungyen.gov.vn/qd-123", close=True)  # fmt: skip
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.DONE
    assert commitment.done_at is not None
    with pytest.raises(DialogueError):  # done is final
        s.commitment_progress(commitment=commitment, by=owner_officer, text="Thêm")


def test_the_owner_posts_progress_then_closes_with_a_file(promise, owner_officer):
    commitment = promise()
    client = Client()
    client.force_login(owner_officer, backend="danvan.accounts.backends.EmailOrPhoneBackend")
    url = f"/staff/commitments/{commitment.pk}/"
    assert client.post(url, {"text": "Đang thi công"}).status_code == 302
    assert Commitment.objects.get().status == CommitmentStatus.IN_PROGRESS
    refused = client.post(url, {"text": "Xong", "close": "on"})
    assert refused.status_code == 422
    assert str(MESSAGES["no_evidence"]) in refused.content.decode()
    assert Commitment.objects.get().status == CommitmentStatus.IN_PROGRESS
    done = client.post(url, {"text": "Đã nghiệm thu", "close": "on", "evidence": jpeg()})
    assert done.status_code == 302
    assert Commitment.objects.get().status == CommitmentStatus.DONE
    evidence = Evidence.objects.get()
    assert (evidence.name, evidence.content_type) == ("bien-ban.jpg", "image/jpeg")


def test_a_bad_evidence_file_is_refused_and_nothing_changes(promise, owner_officer):
    commitment = promise()
    client = Client()
    client.force_login(owner_officer, backend="danvan.accounts.backends.EmailOrPhoneBackend")
    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = client.post(
        f"/staff/commitments/{commitment.pk}/", {"text": "Xong", "close": "on", "evidence": fake}
    )
    assert response.status_code == 422
    assert Commitment.objects.get().status == CommitmentStatus.OPEN
    assert not CommitmentUpdate.objects.exists()


def test_evidence_on_a_full_disk_keeps_the_text_and_changes_nothing(
    promise, owner_officer, full_disk
):
    commitment = promise()
    client = Client()
    client.force_login(owner_officer, backend="danvan.accounts.backends.EmailOrPhoneBackend")
    full_disk(True)
    response = client.post(
        f"/staff/commitments/{commitment.pk}/",
        {"text": "Đã nghiệm thu tuyến đường", "close": "on", "evidence": jpeg()},
    )
    assert response.status_code == 503
    assert "Đã nghiệm thu tuyến đường" in response.content.decode()
    assert Commitment.objects.get().status == CommitmentStatus.OPEN
    assert not CommitmentUpdate.objects.exists()


def test_overdue_is_derived_from_the_due_date(promise, owner_officer):
    commitment = promise()
    Commitment.objects.filter(pk=commitment.pk).update(due_on=date(2026, 11, 20))
    commitment.refresh_from_db()
    assert commitment.is_overdue
    assert not commitment.is_overdue_on(date(2026, 11, 20))
    Commitment.objects.filter(pk=commitment.pk).update(due_on=TODAY)
    commitment.refresh_from_db()
    assert not commitment.is_overdue  # due today is not late yet


def test_the_accountability_pages_show_overdue_in_words_and_done_ones(
    dialogue, promise, owner_officer
):
    late, kept = promise(text="Lắp đèn ngõ 5"), promise(text="Nạo vét mương")
    Commitment.objects.filter(pk=late.pk).update(due_on=date(2026, 11, 1))
    s.commitment_progress(commitment=kept, by=owner_officer, text="Đã nạo vét",
                          document_link="https://example.vn/bien-ban", close=True)  # fmt: skip
    for url in (f"/doi-thoai/{dialogue.pk}/cam-ket/", "/cam-ket/don-vi/11953/"):
        page = Client().get(url).content.decode()
        row = page.split(f'id="commitment-{late.pk}"')[1].split("</tr>")[0]
        assert 'class="overdue"' in page.split(f'id="commitment-{late.pk}"')[0][-40:]
        assert "<strong>" in row  # the word "overdue", not the colour alone
        kept_row = page.split(f'id="commitment-{kept.pk}"')[1].split("</tr>")[0]
        assert "Đã nạo vét" in kept_row
    assert Client().get("/cam-ket/don-vi/99999/").status_code == 404


def test_the_owner_list_puts_overdue_first_pages_by_key_without_n_plus_1(
    promise, owner_officer, django_assert_max_num_queries
):
    for n in range(PAGE_SIZE + 5):
        promise(text=f"Cam kết {n}", due_on=TODAY + timedelta(days=n % 7))
    late = promise(text="Cam kết quá hạn")
    Commitment.objects.filter(pk=late.pk).update(due_on=date(2026, 10, 1))
    client = Client()
    client.force_login(owner_officer, backend="danvan.accounts.backends.EmailOrPhoneBackend")
    client.get("/staff/commitments/")  # warm the session
    with django_assert_max_num_queries(6):
        first = client.get("/staff/commitments/")
    page = first.context["page"]
    assert page.commitments[0] == late
    assert len(page.commitments) == PAGE_SIZE
    assert page.next_key
    with django_assert_max_num_queries(6):
        second = client.get("/staff/commitments/", {"after": page.next_key})
    rest = second.context["page"].commitments
    assert len(rest) == 6
    assert second.context["page"].next_key is None
    assert not {c.pk for c in rest} & {c.pk for c in page.commitments}


def test_reminders_go_out_once_at_each_lead_time(
    promise, owner_officer, django_capture_on_commit_callbacks, settings
):
    settings.DANVAN_COMMITMENT_REMINDER_DAYS = [7, 1, 0]
    commitment = promise(due_on=TODAY + timedelta(days=7))
    promise(due_on=TODAY + timedelta(days=3))  # no lead time today
    with django_capture_on_commit_callbacks(execute=True):
        assert commitments_remind(TODAY) == 1
    assert commitments_remind(TODAY) == 0
    call_command("remind_commitments", "--date", TODAY.isoformat())
    row = Reminder.objects.get()
    assert (row.to_user, row.days_before, row.commitment) == (owner_officer, 7, commitment)
    assert row.state == Reminder.State.SENT
    assert len(mail.outbox) == 1
    assert owner_officer.email in mail.outbox[0].to
    assert commitments_remind(TODAY + timedelta(days=6)) == 1  # the day before
    assert Reminder.objects.count() == 2


def test_a_reminder_left_half_sent_by_a_dead_worker_is_sent_again_once(
    promise, owner_officer, django_capture_on_commit_callbacks, settings, frozen_time
):
    settings.DANVAN_COMMITMENT_REMINDER_DAYS = [1]
    promise(due_on=TODAY + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=False):  # the worker never ran
        assert commitments_remind(TODAY) == 1
    Reminder.objects.update(state=Reminder.State.SENDING, attempts=1)  # killed mid-send
    assert requeue_stuck() == 0  # too fresh: the worker may still be sending
    frozen_time.shift(timedelta(minutes=16))
    assert requeue_stuck() == 1
    row = Reminder.objects.get()
    assert (row.state, row.attempts) == (Reminder.State.SENT, 2)
    assert len(mail.outbox) == 1
    assert requeue_stuck() == 0  # sent rows stay sent
    assert deliver_reminder.call(row.pk) == "already handled"
    assert len(mail.outbox) == 1


def test_a_failing_reminder_is_retried_a_bounded_number_of_times(
    promise, owner_officer, settings, frozen_time, monkeypatch, django_capture_on_commit_callbacks
):
    settings.DANVAN_COMMITMENT_REMINDER_DAYS = [1]
    promise(due_on=TODAY + timedelta(days=1))

    def broken(*args, **kwargs):
        raise ConnectionError("mail server down")

    monkeypatch.setattr("danvan.dialogues.reminders.send_email", broken)
    with django_capture_on_commit_callbacks(execute=False):
        commitments_remind(TODAY)
    for _attempt in range(MAX_ATTEMPTS + 2):
        frozen_time.shift(timedelta(minutes=16))
        with contextlib.suppress(ConnectionError):
            requeue_stuck()
    row = Reminder.objects.get()
    assert (row.state, row.attempts) == (Reminder.State.FAILED, MAX_ATTEMPTS)
    assert "mail server down" in row.error


def test_no_reminder_for_a_done_commitment(promise, owner_officer):
    commitment = promise(due_on=TODAY + timedelta(days=1))
    s.commitment_progress(commitment=commitment, by=owner_officer, text="Xong",
                          document_link="https://example.vn/x", close=True)  # fmt: skip
    assert commitments_remind(TODAY) == 0


def test_question_model_keeps_the_answering_official_with_the_answer(dialogue):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Question.objects.create(dialogue=dialogue, text="Hỏi", answer="Không ai trả lời")


def test_status_enum_has_the_four_conference_states():
    assert Status.values == ["planned", "open", "held", "closed"]


def test_the_commitments_table_reflows_on_a_phone_each_cell_named(promise):
    promise(text="Lắp đèn ngõ 5")
    page = Client().get("/cam-ket/don-vi/11953/").content.decode()
    assert '<table class="reflow">' in page
    row = page.split('id="commitment-')[1].split("</tr>")[0]
    labels = [part.split('"')[0] for part in row.split('data-label="')[1:]]
    assert labels == ["Trạng thái", "Cam kết", "Cơ quan thực hiện", "Thời hạn", "Tiến độ"]
