"""Questions sent ahead, votes, moderation, grouping and the minutes."""

from datetime import datetime

import pytest
from django.test import Client

from danvan.accounts.roles import Role
from danvan.dialogues import services as s
from danvan.dialogues.models import Dialogue, Question, Status
from danvan.dialogues.queries import question_groups_propose
from danvan.dialogues.services import MESSAGES, DialogueError

from .conftest import HANOI

pytestmark = pytest.mark.django_db


def test_a_visitor_asks_without_an_account_or_a_name(dialogue):
    client = Client()
    response = client.post(f"/doi-thoai/{dialogue.pk}/", {"text": "Khi nào trả tiền bồi thường?"})
    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.text, question.name, question.contact, question.asker) == (
        "Khi nào trả tiền bồi thường?", "", "", None,
    )  # fmt: skip
    assert "Khi nào trả tiền bồi thường?" in client.get(response.url).content.decode()


def test_a_signed_in_citizen_is_recorded_as_the_asker(dialogue, client_as, demo_user):
    client_as(Role.CITIZEN).post(
        f"/doi-thoai/{dialogue.pk}/", {"text": "Đơn giá đất?", "name": "An", "contact": "0912"}
    )
    assert Question.objects.get().asker == demo_user(Role.CITIZEN)


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_an_empty_question_gets_a_clear_message_and_nothing_is_stored(dialogue, text):
    response = Client().post(f"/doi-thoai/{dialogue.pk}/", {"text": text, "name": "An"})
    assert response.status_code == 422
    assert str(MESSAGES["empty_question"]) in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.parametrize("status", [Status.PLANNED, Status.HELD, Status.CLOSED])
def test_a_question_is_refused_unless_the_dialogue_is_open(make_dialogue, status):
    dialogue = make_dialogue(status=status)
    with pytest.raises(DialogueError) as refused:
        s.question_submit(dialogue=dialogue, text="Còn kịp hỏi không?")
    assert refused.value.code == "not_open"
    response = Client().post(f"/doi-thoai/{dialogue.pk}/", {"text": "Còn kịp hỏi không?"})
    assert response.status_code == 422
    assert not Question.objects.exists()


def test_a_question_sent_by_a_page_opened_before_the_dialogue_was_held_is_refused(dialogue):
    Dialogue.objects.filter(pk=dialogue.pk).update(status=Status.HELD)  # held meanwhile
    with pytest.raises(DialogueError):
        s.question_submit(dialogue=dialogue, text="Câu hỏi muộn")  # stale object says open
    assert not Question.objects.exists()


def test_a_hidden_question_keeps_its_reason_and_takes_no_votes(dialogue, demo_user):
    question = s.question_submit(dialogue=dialogue, text="Lời lẽ xúc phạm ...")
    s.question_hide(question=question, by=demo_user(Role.HEAD), reason="Xúc phạm cá nhân")
    with pytest.raises(DialogueError):
        s.question_vote(question=question, voter="s:abc")
    page = Client().get(f"/doi-thoai/{dialogue.pk}/").content.decode()
    assert "Xúc phạm cá nhân" in page
    assert "Lời lẽ xúc phạm" not in page


def test_hiding_needs_a_reason(dialogue, demo_user):
    question = s.question_submit(dialogue=dialogue, text="Câu hỏi gay gắt nhưng đúng mực")
    with pytest.raises(DialogueError):
        s.question_hide(question=question, by=demo_user(Role.HEAD), reason="  ")
    question.refresh_from_db()
    assert question.hidden_at is None


def test_similar_questions_are_proposed_as_one_group_and_the_organiser_confirms(
    dialogue, client_as
):
    texts = [
        "Khi nào chi trả tiền bồi thường giải phóng mặt bằng đường vành đai?",
        "Bao giờ chi trả tiền bồi thường giải phóng mặt bằng cho các hộ dân đường vành đai?",
        "Đèn chiếu sáng ngõ 5 bị hỏng đã lâu",
    ]
    first, second, other = (s.question_submit(dialogue=dialogue, text=t) for t in texts)
    proposals = question_groups_propose(questions=list(dialogue.questions.all()))
    assert [sorted(q.pk for q in group) for group in proposals] == [[first.pk, second.pk]]
    response = client_as(Role.RECEPTION_OFFICER).post(
        f"/staff/dialogues/{dialogue.pk}/groups/",
        {"title": "Tiền bồi thường", "questions": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    other.refresh_from_db()
    assert first.group is not None
    assert first.group.title == "Tiền bồi thường"
    assert other.group is None
    assert question_groups_propose(questions=list(dialogue.questions.all())) == []


def minutes(dialogue, demo_user, organiser, **overrides):
    data = {
        "question_text": "", "answer": "Tiền bồi thường sẽ được chi trả trong tháng 12.",
        "answered_by": demo_user(Role.HEAD).pk, "agency": organiser.pk,
    }  # fmt: skip
    data.update(overrides)
    return data


def test_the_secretary_records_an_answer_with_the_answering_official(
    dialogue, client_as, demo_user, organiser
):
    question = s.question_submit(dialogue=dialogue, text="Khi nào trả tiền?")
    response = client_as(Role.RECEPTION_OFFICER).post(
        f"/staff/dialogues/{dialogue.pk}/minutes/",
        minutes(dialogue, demo_user, organiser, question=question.pk),
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "Tiền bồi thường sẽ được chi trả trong tháng 12."
    assert (question.answered_by, question.answered_agency) == (demo_user(Role.HEAD), organiser)
    assert question.recorded_by == demo_user(Role.RECEPTION_OFFICER)
    assert not question.commitments.exists()


def test_a_question_from_the_floor_is_recorded_with_its_answer(
    make_dialogue, client_as, demo_user, organiser
):
    dialogue = make_dialogue(status=Status.HELD)
    client_as(Role.HANDLING_OFFICER).post(
        f"/staff/dialogues/{dialogue.pk}/minutes/",
        minutes(dialogue, demo_user, organiser, question_text="Chợ tạm có được giữ lại?"),
    )
    question = Question.objects.get()
    assert question.from_floor
    assert question.text == "Chợ tạm có được giữ lại?"


def test_minutes_without_a_question_get_a_message_and_store_nothing(
    dialogue, client_as, demo_user, organiser
):
    response = client_as(Role.RECEPTION_OFFICER).post(
        f"/staff/dialogues/{dialogue.pk}/minutes/", minutes(dialogue, demo_user, organiser)
    )
    assert response.status_code == 422
    assert str(MESSAGES["empty_question"]) in response.content.decode()
    assert not Question.objects.exists()


def test_an_official_of_an_agency_not_attending_cannot_be_named_as_answering(
    dialogue, client_as, demo_user, organiser
):
    response = client_as(Role.RECEPTION_OFFICER).post(
        f"/staff/dialogues/{dialogue.pk}/minutes/",
        minutes(dialogue, demo_user, organiser, question_text="Hỏi",
                answered_by=demo_user(Role.AUDITOR).pk),
    )  # fmt: skip
    assert response.status_code == 422
    assert not Question.objects.exists()


def test_minutes_are_refused_once_the_dialogue_is_closed(make_dialogue, demo_user, organiser):
    dialogue = make_dialogue(status=Status.CLOSED)
    with pytest.raises(DialogueError) as refused:
        s.question_answer(dialogue=dialogue, by=demo_user(Role.HEAD), answer="Trả lời",
                          answered_by=demo_user(Role.HEAD), agency=organiser,
                          question_text="Hỏi")  # fmt: skip
    assert refused.value.code == "minutes_closed"
    assert not Question.objects.exists()


def test_status_moves_only_forward(dialogue, demo_user):
    head = demo_user(Role.HEAD)
    s.dialogue_set_status(dialogue=dialogue, to=Status.HELD, by=head)
    with pytest.raises(DialogueError):
        s.dialogue_set_status(dialogue=dialogue, to=Status.OPEN, by=head)
    assert Dialogue.objects.get().status == Status.HELD


def test_a_dialogue_in_the_past_is_refused(make_dialogue):
    with pytest.raises(DialogueError):
        make_dialogue(starts_at=datetime(2026, 11, 1, 8, 0, tzinfo=HANOI))
    assert not Dialogue.objects.exists()
