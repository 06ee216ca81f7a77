"""The officer's case page: its steps as verbs with their own field ids, deadlines with
their rule in words, and feedback answered in one step."""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.contrib.messages import get_messages

from danvan.accounts.roles import Role
from danvan.cases import services as s
from danvan.cases.models import Case
from danvan.cases.workflow import Status


class Fields(HTMLParser):
    """Every id of the page, and each label's target with the form it sits in."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.form_of: dict[str, int] = {}
        self.labels: list[tuple[str, int]] = []
        self.form = -1
        self.forms = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self.form, self.forms = self.forms, self.forms + 1
        if found.get("id"):
            self.ids.append(str(found["id"]))
            self.form_of[str(found["id"])] = self.form
        if tag == "label" and found.get("for"):
            self.labels.append((str(found["for"]), self.form))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = -1


def parsed(html: str) -> Fields:
    fields = Fields()
    fields.feed(html)
    return fields


def test_each_form_of_the_case_page_has_its_own_field_ids(submit, client_as):
    case = submit()  # received feedback: classify, answer, decline, forward, guide, split
    page = client_as(Role.HEAD).get(f"/staff/cases/{case.pk}/").content.decode()
    fields = parsed(page)
    assert [i for i, n in Counter(fields.ids).items() if n > 1] == []
    assert {"id_classify_note", "id_guide_note", "id_forward_note", "id_decline_note",
            "id_answer_answer", "id_split_kind", "id_assign_assignee"} <= set(fields.ids)  # fmt: skip
    assert len(fields.labels) >= 10
    for target, form in fields.labels:  # a label focuses a box of its own form
        assert fields.form_of.get(target) == form, target


def test_a_refused_form_keeps_its_own_ids_and_shows_its_error_there(submit, client_as):
    case = submit()
    response = client_as(Role.HANDLING_OFFICER).post(f"/staff/cases/{case.pk}/guide/", {"note": ""})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_guide_note_error"' in page
    assert [i for i, n in Counter(parsed(page).ids).items() if n > 1] == []


def test_the_steps_are_verbs_and_the_deadlines_name_their_article_not_a_code(
    submit, client_as, handler
):
    case = s.case_classify(case=submit(kind="complaint"), by=handler, kind="complaint", topic=None)
    client = client_as(Role.HANDLING_OFFICER)
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "<summary>Thụ lý</summary>" in page
    assert "Đã thụ lý" not in page  # the status word is not the button
    assert "Thời hạn thụ lý khiếu nại lần đầu (Điều 27 Luật Khiếu nại 2011)" in page
    response = client.post(f"/staff/cases/{case.pk}/accept/", {"variant": "remote", "note": ""})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Đã thụ lý đơn."]
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "Vùng sâu, vùng xa, đi lại khó khăn" in page
    assert "Thời hạn giải quyết khiếu nại lần đầu (Điều 28 Luật Khiếu nại 2011)" in page
    for code in ("KN-1", "KN-2", "(remote)", ">remote<"):
        assert code not in page


def test_feedback_is_answered_in_one_step_with_each_step_in_its_history(submit, client_as):
    case = submit()
    client = client_as(Role.HANDLING_OFFICER)
    response = client.post(f"/staff/cases/{case.pk}/answer/", {"answer": "Đã thay bóng đèn."})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Đã gửi trả lời cho người dân."
    ]
    case.refresh_from_db()
    assert (case.status, case.answer, case.topic.code) == (
        Status.RESOLVED, "Đã thay bóng đèn.", "ha-tang"
    )  # fmt: skip
    actions = list(case.events.order_by("pk").values_list("action", flat=True))
    assert actions == ["submit", "classify", "accept", "start", "resolve"]
    assert case.attachments.filter(document_kind="answer").count() == 1


@pytest.mark.parametrize("kind", ["complaint", "denunciation", "petition"])
def test_other_kinds_are_not_answered_in_one_step(submit, client_as, kind, settings):
    settings.DANVAN_ONE_STEP_ANSWER_KINDS = ["feedback", "complaint", "denunciation"]
    case = submit(kind=kind)
    client = client_as(Role.HANDLING_OFFICER)
    assert 'id="action-answer"' not in client.get(f"/staff/cases/{case.pk}/").content.decode()
    response = client.post(f"/staff/cases/{case.pk}/answer/", {"answer": "Xong."})
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Không thể thực hiện bước này ở trạng thái hiện tại của đơn."
    ]
    case.refresh_from_db()
    assert (case.status, case.events.count()) == (Status.RECEIVED, 1)


def test_a_province_may_answer_petitions_in_one_step_too(submit, client_as, settings):
    settings.DANVAN_ONE_STEP_ANSWER_KINDS = ["feedback", "petition"]
    case = submit(kind="petition")
    client = client_as(Role.HANDLING_OFFICER)
    assert 'id="action-answer"' in client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert client.post(f"/staff/cases/{case.pk}/answer/", {"answer": "Xong."}).status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.RESOLVED


def test_once_accepted_feedback_is_answered_the_usual_way(submit, client_as, handler):
    case = s.case_accept(
        case=s.case_classify(case=submit(), by=handler, kind="feedback", topic=None), by=handler
    )
    page = client_as(Role.HANDLING_OFFICER).get(f"/staff/cases/{case.pk}/").content.decode()
    assert 'id="action-answer"' not in page
    assert 'id="action-start"' in page


def test_accept_offers_only_the_complexities_of_the_letters_rule(submit, client_as, handler):
    client = client_as(Role.HANDLING_OFFICER)
    complaint = s.case_classify(case=submit(kind="complaint"), by=handler, kind="complaint",
                                topic=None)  # fmt: skip
    page = client.get(f"/staff/cases/{complaint.pk}/").content.decode()
    assert [
        v for v in ('value="complex"', 'value="especially_complex"', 'value="remote"',
                    'value="remote+complex"') if v in page
    ] == ['value="complex"', 'value="remote"', 'value="remote+complex"']  # fmt: skip
    feedback = s.case_classify(case=submit(), by=handler, kind="feedback", topic=None)
    page = client.get(f"/staff/cases/{feedback.pk}/").content.decode()
    assert '<input type="hidden" name="variant"' in page
    assert 'for="id_accept_variant"' not in page
    response = client.post(f"/staff/cases/{feedback.pk}/accept/", {"variant": "remote"})
    assert response.status_code == 422
    assert 'id="id_accept_variant_error"' in response.content.decode()
    feedback.refresh_from_db()
    assert (feedback.status, feedback.events.count()) == (Status.CLASSIFIED, 2)


def test_the_senders_phone_is_shown_in_the_national_format(submit, client_as):
    case = submit(phone="+84987654321")
    page = client_as(Role.HANDLING_OFFICER).get(f"/staff/cases/{case.pk}/").content.decode()
    assert "0987 654 321" in page
    assert "+8498" not in page


def test_a_citizens_form_is_filled_with_the_phone_as_people_write_it(client_as):
    page = client_as(Role.CITIZEN).get("/gui-don/").content.decode()
    assert 'value="0912 345 678"' in page
    assert "+8491" not in page


@pytest.mark.parametrize(
    ("role", "answered", "status"),
    [
        (None, 302, Status.RECEIVED),  # to the sign-in page
        (Role.CITIZEN, 404, Status.RECEIVED),
        (Role.RECEPTION_OFFICER, 302, Status.RESOLVED),
        (Role.HANDLING_OFFICER, 302, Status.RESOLVED),
        (Role.HEAD, 302, Status.RESOLVED),
        (Role.SUPERVISOR, 404, Status.RECEIVED),
        (Role.AUDITOR, 404, Status.RECEIVED),
        (Role.ADMINISTRATOR, 404, Status.RECEIVED),
    ],
)
def test_the_one_step_answer_is_open_to_the_roles_that_act_and_no_other(
    submit, client_as, role, answered, status
):
    case = submit()
    response = client_as(role).post(f"/staff/cases/{case.pk}/answer/", {"answer": "Đã sửa."})
    assert response.status_code == answered
    case.refresh_from_db()
    assert case.status == status
