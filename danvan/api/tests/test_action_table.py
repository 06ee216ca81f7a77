"""The case page and the staff API take the same steps from one table (cases/actions.py):
the same actions, checked by the same forms, refused and confirmed with the same words."""

import re
from collections.abc import Callable
from typing import Any, get_args

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from danvan.accounts.roles import Role
from danvan.api.schemas import ActionCode
from danvan.cases.actions import ACTIONS, TABLE
from danvan.cases.models import Case
from danvan.cases.workflow import Status

from .rest_support import *  # noqa: F403  (the fixtures)

URL = "/api/v1/staff/cases"
# The table, in the order the case page shows the steps, with the verb the officer clicks.
EXPECTED = [
    ("classify", "Phân loại"),
    ("answer", "Trả lời ngay"),
    ("accept", "Thụ lý"),
    ("decline", "Không thụ lý"),
    ("forward", "Chuyển đơn"),
    ("guide", "Hướng dẫn"),
    ("start", "Bắt đầu giải quyết"),
    ("request_info", "Yêu cầu bổ sung thông tin"),
    ("receive_info", "Ghi nhận thông tin bổ sung"),
    ("extend", "Gia hạn"),
    ("resolve", "Trả lời"),
    ("close", "Kết thúc"),
]


def test_the_table_lists_every_step_once_with_its_verb_and_the_api_takes_the_same() -> None:
    assert [(a.name, str(a.verb)) for a in TABLE] == EXPECTED
    assert set(get_args(ActionCode)) == set(ACTIONS)
    assert len({str(a.done) for a in TABLE}) == len(TABLE) - 1  # answer and resolve: one


def web_steps(client: Client, case: Case) -> list[str]:
    """The steps of the table the case page offers, each a panel with the step's form."""
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    panels = re.findall(r'<details class="card" id="action-([a-z_]+)"', page)
    posted = re.findall(rf'action="/staff/cases/{case.pk}/([a-z_]+)/"', page)
    assert [p for p in posted if p not in ("assign", "split")] == panels
    return panels


def api_steps(client: Client, key: str, case: Case) -> list[str]:
    response = client.get(f"{URL}/{case.pk}", headers={"Authorization": f"Bearer {key}"})
    return list(response.json()["allowed_actions"])


@pytest.fixture
def officer(client_as: Callable[[Role], Client]) -> Client:
    return client_as(Role.HANDLING_OFFICER)


def web_act(client: Client, case: Case, action: str, data: dict[str, Any]) -> tuple[int, list[str]]:
    response = client.post(f"/staff/cases/{case.pk}/{action}/", data)
    return response.status_code, [str(m) for m in get_messages(response.wsgi_request)]


def api_act(client: Client, key: str, case: Case, action: str, body: dict[str, Any]) -> Any:
    return client.post(f"{URL}/{case.pk}/actions/{action}", body,
                       content_type="application/json",
                       headers={"Authorization": f"Bearer {key}"})  # fmt: skip


# Each step, as the page posts it and as the API sends it, from the status it needs.
WALK = [
    ("classify", {"kind": "complaint", "topic": ""}, {"kind": "complaint"}),
    ("accept", {"variant": "", "note": ""}, {}),
    ("start", {"note": ""}, {}),
    ("request_info", {"note": "Gửi bản sao quyết định"}, {"note": "Gửi bản sao quyết định"}),
    ("receive_info", {"note": ""}, {}),
    ("extend", {"variant": "", "note": "Phức tạp"}, {"note": "Phức tạp"}),
    ("resolve", {"answer": "Giữ nguyên."}, {"answer": "Giữ nguyên."}),
    ("close", {"note": ""}, {}),
]


def test_page_and_api_offer_the_same_steps_and_confirm_each_with_the_same_words(
    officer: Client, client: Client, keys: dict[str, str], letter: Callable[..., Case]
) -> None:
    on_page, by_key = letter(kind="complaint"), letter(kind="complaint")
    for action, form, body in WALK:
        assert web_steps(officer, on_page) == api_steps(client, keys["a"], by_key), action
        assert action in web_steps(officer, on_page)
        status, said = web_act(officer, on_page, action, form)
        response = api_act(client, keys["a"], by_key, action, body)
        assert (status, response.status_code) == (302, 200), (action, response.content)
        assert said == [response.json()["message"]] == [str(ACTIONS[action].done)]
    on_page.refresh_from_db()
    by_key.refresh_from_db()
    assert on_page.status == by_key.status == Status.CLOSED
    assert web_steps(officer, on_page) == api_steps(client, keys["a"], by_key) == []


def test_a_step_the_law_forbids_is_refused_with_the_same_words(
    officer: Client, client: Client, keys: dict[str, str], letter: Callable[..., Case]
) -> None:
    on_page, by_key = letter(), letter()
    status, said = web_act(officer, on_page, "forward",
                           {"agency": on_page.agency_id, "note": "Chuyển"})  # fmt: skip
    response = api_act(client, keys["a"], by_key, "forward",
                       {"agency_code": by_key.agency.code, "note": "Chuyển"})  # fmt: skip
    assert (status, response.status_code) == (302, 400)
    assert response.json()["error"]["code"] == "invalid_input"
    assert said == [response.json()["error"]["message"]] == ["Đơn đã thuộc cơ quan này."]
    for case in (on_page, by_key):
        case.refresh_from_db()
        assert (case.status, case.events.count()) == (Status.RECEIVED, 1)


def test_a_step_the_status_does_not_allow_is_refused_with_the_same_words(
    officer: Client, client: Client, keys: dict[str, str], letter: Callable[..., Case]
) -> None:
    case = letter()
    status, said = web_act(officer, case, "close", {"note": ""})
    response = api_act(client, keys["a"], case, "close", {})
    assert (status, response.status_code) == (302, 409)
    assert response.json()["error"]["code"] == "transition_not_allowed"
    assert said == [response.json()["error"]["message"]]
    assert said == ["Không thể thực hiện bước này ở trạng thái hiện tại của đơn."]


@pytest.mark.parametrize(
    ("action", "form", "body", "field", "api_field", "message"),
    [
        ("resolve", {"answer": ""}, {}, "answer", "answer", "Trường này là bắt buộc."),
        ("classify", {"kind": "petition", "topic": "999999"},
         {"kind": "petition", "topic_code": "khong-co"}, "topic", "topic_code",
         "Không có lĩnh vực này."),
        ("decline", {"reason": "bored", "note": "Không"}, {"reason": "bored", "note": "Không"},
         "reason", "reason", "Vui lòng chọn một trong các giá trị cho phép."),
        ("forward", {"agency": "999999", "note": "Chuyển"},
         {"agency_code": "khong-co", "note": "Chuyển"}, "agency", "agency_code",
         "Không có cơ quan này."),
        # feedback's answer has one deadline: no complexity to choose
        ("accept", {"variant": "remote", "note": ""}, {"variant": "remote"}, "variant",
         "variant", "Vui lòng chọn một trong các giá trị cho phép."),
    ],
)  # fmt: skip
def test_the_same_form_refuses_bad_fields_on_the_page_and_in_the_api(
    officer: Client, client: Client, keys: dict[str, str], letter: Callable[..., Case],
    action: str, form: dict[str, str], body: dict[str, str], field: str, api_field: str,
    message: str,
) -> None:  # fmt: skip
    case = letter()
    before_it = {"resolve": ["classify", "accept", "start"], "accept": ["classify"]}
    for step in before_it.get(action, []):  # the steps that lead to the one tried
        assert api_act(client, keys["a"], case, step, {"kind": "feedback"}).status_code == 200
    before = case.events.count()
    page = officer.post(f"/staff/cases/{case.pk}/{action}/", form)
    assert page.status_code == 422
    assert page.context["forms"][[a.name for a, _ in page.context["forms"]].index(action)][
        1
    ].errors[field] == [message]
    response = api_act(client, keys["a"], case, action, body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_input"
    assert response.json()["error"]["fields"] == {api_field: message}
    assert case.events.count() == before


def test_feedback_is_answered_in_one_step_by_either_with_the_same_words(
    officer: Client, client: Client, keys: dict[str, str], letter: Callable[..., Case]
) -> None:
    on_page, by_key = letter(), letter()
    assert "answer" in web_steps(officer, on_page)
    assert web_steps(officer, on_page) == api_steps(client, keys["a"], by_key)
    status, said = web_act(officer, on_page, "answer", {"answer": "Đã vá ổ gà."})
    response = api_act(client, keys["a"], by_key, "answer", {"answer": "Đã vá ổ gà."})
    assert (status, response.status_code) == (302, 200)
    assert said == [response.json()["message"]] == ["Đã gửi trả lời cho người dân."]
    assert response.json()["status"] == "resolved"
    assert response.json()["allowed_actions"] == ["close"]
    for case in (on_page, by_key):
        steps = list(case.events.order_by("pk").values_list("action", flat=True))
        assert steps == ["submit", "classify", "accept", "start", "resolve"]


def test_a_complaint_is_not_answered_in_one_step_through_the_api(
    client: Client, keys: dict[str, str], letter: Callable[..., Case]
) -> None:
    case = letter(kind="complaint")
    assert "answer" not in api_steps(client, keys["a"], case)
    response = api_act(client, keys["a"], case, "answer", {"answer": "Xong."})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "transition_not_allowed"
    assert case.events.count() == 1


def test_a_complexity_the_rule_lost_meanwhile_is_refused_with_the_same_words(
    officer: Client, client: Client, keys: dict[str, str], letter: Callable[..., Case],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The form offered "remote" (the rule had it when the page was drawn); the service,
    reading the rule in force now, refuses it: the page and the API say so alike."""
    monkeypatch.setattr("danvan.cases.forms.answer_variants", lambda **kwargs: {"remote"})
    on_page, by_key = letter(), letter()
    assert api_act(client, keys["a"], on_page, "classify", {"kind": "feedback"}).status_code == 200
    assert api_act(client, keys["a"], by_key, "classify", {"kind": "feedback"}).status_code == 200
    status, said = web_act(officer, on_page, "accept", {"variant": "remote", "note": ""})
    response = api_act(client, keys["a"], by_key, "accept", {"variant": "remote"})
    assert (status, response.status_code) == (302, 400)
    error = response.json()["error"]
    message = "Mức độ phức tạp này không áp dụng cho loại đơn này."
    assert (said, error["message"], error["fields"]) == ([message], message, {"variant": message})
    for case in (on_page, by_key):
        case.refresh_from_db()
        assert (case.status, case.events.count()) == (Status.CLASSIFIED, 2)
