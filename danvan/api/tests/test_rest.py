"""The REST API, /api/v1/: public reads and submission, an agency's cases by key, errors."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from danvan.accounts.roles import Role
from danvan.api.models import ApiKey
from danvan.cases.models import Attachment, Case, CaseEvent, Notification
from danvan.cases.workflow import Action, Status

from .rest_calls import URL, auth, error_of
from .rest_support import *  # noqa: F403  (the fixtures)

pytestmark = pytest.mark.usefixtures("fresh_limits")

LETTER = {
    "service_code": "ha-tang",
    "description": "Ổ gà lớn trên đường Nguyễn Văn Linh, trước trường tiểu học.",
    "unit_code": "11953",
    "name": "Trần Thị Bình",
    "phone": "0912345679",
}


# --- the document and the docs page --------------------------------------------------------


def test_openapi_document_lists_every_endpoint(client: Client) -> None:
    schema = client.get(f"{URL}/openapi.json").json()
    assert schema["info"]["title"] == "Dân Vận API"
    assert set(schema["paths"]) == {
        f"{URL}/topics", f"{URL}/units", f"{URL}/agencies", f"{URL}/cases",
        f"{URL}/cases/track/{{tracking_code}}", f"{URL}/staff/cases",
        f"{URL}/staff/cases/{{case_id}}", f"{URL}/staff/cases/{{case_id}}/actions/{{action}}",
    }  # fmt: skip
    assert "ErrorOut" in schema["components"]["schemas"]
    assert set(schema["components"]["securitySchemes"]) == {"BearerKey", "HeaderKey"}


def test_docs_page_loads_nothing_from_other_hosts(client: Client) -> None:
    response = client.get(f"{URL}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    foreign = [u for u in re.findall(r"https?://[^\s\"'<>]+", html) if "testserver" not in u]
    assert foreign == []


# --- one error shape ---------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_address_and_method_answer_in_the_error_shape(client: Client) -> None:
    response = client.get(f"{URL}/nothing/here")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    response = client.delete(f"{URL}/topics")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


@pytest.mark.django_db
def test_bad_json_and_bad_fields(client: Client, keys: dict[str, str]) -> None:
    response = client.post(f"{URL}/cases", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_json"
    response = client.post(f"{URL}/cases", {"lat": "north"}, content_type="application/json")
    error = error_of(response)
    assert response.status_code == 400
    assert error["code"] == "invalid_input"
    assert {"service_code", "description", "lat"} <= set(error["fields"])
    # The key is checked before the query: an unknown key learns nothing about the fields.
    response = client.get(f"{URL}/staff/cases", {"limit": 500}, headers={"X-Api-Key": "x"})
    assert (response.status_code, error_of(response)["code"]) == (403, "api_key_invalid")
    response = client.get(f"{URL}/staff/cases", {"limit": 500}, headers={"X-Api-Key": keys["a"]})
    assert (response.status_code, error_of(response)["code"]) == (400, "invalid_input")
    assert "limit" in error_of(response)["fields"]


# --- public reads ------------------------------------------------------------------------


@pytest.mark.django_db
def test_topics_units_agencies(client: Client) -> None:
    topics = client.get(f"{URL}/topics").json()
    assert {"code": "ha-tang"}.items() <= next(t for t in topics if t["code"] == "ha-tang").items()
    assert all(set(t) == {"code", "name", "parent_code"} for t in topics)
    units = client.get(f"{URL}/units").json()
    assert len(units) > 50
    assert any(u["code"] == "11953" for u in units)
    agencies = client.get(f"{URL}/agencies").json()
    assert all(set(a) == {"code", "name", "short_name", "type"} for a in agencies)
    assert any(a["code"] == "hy-cong-an" for a in agencies)


# --- submission --------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_submission_and_idempotent_retry(client: Client) -> None:
    headers = {"Idempotency-Key": "retry-0001"}
    first = client.post(f"{URL}/cases", LETTER, content_type="application/json", headers=headers)
    assert first.status_code == 201, first.content
    body = first.json()
    assert set(body) == {"tracking_code", "status", "status_label", "due_on", "received_at"}
    assert body["status"] == "received"
    assert body["received_at"].endswith("+07:00")
    count = Case.objects.count()
    again = client.post(f"{URL}/cases", LETTER, content_type="application/json", headers=headers)
    assert again.status_code == 200
    assert again.json()["tracking_code"] == body["tracking_code"]
    assert Case.objects.count() == count
    stored = Case.objects.get(tracking_code=body["tracking_code"])
    assert stored.channel == "api"
    assert stored.submitter_phone == "+84912345679"


@pytest.mark.django_db
def test_wrong_letter_is_refused_and_nothing_stored(client: Client) -> None:
    count = Case.objects.count()
    response = client.post(
        f"{URL}/cases", {**LETTER, "kind": "denunciation"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "kind" in error_of(response)["fields"]
    response = client.post(
        f"{URL}/cases", {**LETTER, "service_code": "no-such"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert error_of(response)["code"] == "unknown_service"
    response = client.post(
        f"{URL}/cases", {**LETTER, "email": "not-an-email"}, content_type="application/json"
    )
    assert error_of(response)["fields"]["email"]
    assert Case.objects.count() == count


def test_a_key_without_the_submit_scope_may_not_submit(
    client: Client, keys: dict[str, str]
) -> None:
    response = client.post(
        f"{URL}/cases", LETTER, content_type="application/json", headers=auth(keys["a_read"])
    )
    assert response.status_code == 403
    assert error_of(response)["code"] == "scope_missing"
    response = client.post(
        f"{URL}/cases", LETTER, content_type="application/json", headers=auth(keys["a_submit"])
    )
    assert response.status_code == 201


REUSED = (
    "Idempotency-Key này đã được dùng cho một đơn khác nên không có gì được lưu."
    " Hãy gửi đơn mới với một khóa mới."
)


def stored_rows() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Case, Attachment, Notification, CaseEvent))


@pytest.mark.django_db
def test_the_same_key_with_another_letter_is_refused_and_stores_nothing(client: Client) -> None:
    headers = {"Idempotency-Key": "retry-0002"}
    first = client.post(f"{URL}/cases", LETTER, content_type="application/json", headers=headers)
    assert first.status_code == 201
    before = stored_rows()
    edited = {**LETTER, "description": "Ổ gà lớn trên đường Nguyễn Văn Linh, đã có người ngã."}
    response = client.post(f"{URL}/cases", edited, content_type="application/json", headers=headers)
    assert response.status_code == 422
    assert error_of(response) == {"code": "idempotency_key_reused", "message": REUSED, "fields": {}}
    assert first.json()["tracking_code"] not in response.content.decode()  # keys can be guessed
    assert stored_rows() == before
    # The first letter sent again: its fields in another order, spaced, the phone written
    # apart; the same letter once checked, so a retry.
    same = dict(reversed(LETTER.items()))
    same.update(name=f" {LETTER['name']} ", description=f"{LETTER['description']}\n",
                phone="0912 345 679")  # fmt: skip
    again = client.post(f"{URL}/cases", same, content_type="application/json", headers=headers)
    assert (again.status_code, again.json()) == (200, first.json())
    assert stored_rows() == before


def test_idempotency_keys_of_different_callers_do_not_meet(
    client: Client, keys: dict[str, str]
) -> None:
    headers = {"Idempotency-Key": "same"}
    mine = client.post(f"{URL}/cases", LETTER, content_type="application/json", headers=headers)
    theirs = client.post(
        f"{URL}/cases", LETTER, content_type="application/json",
        headers={**headers, **auth(keys["a"])},
    )  # fmt: skip
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["tracking_code"] != theirs.json()["tracking_code"]
    response = client.post(
        f"{URL}/cases", LETTER, content_type="application/json",
        headers={"Idempotency-Key": "x" * 65},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Idempotency-Key" in error_of(response)["fields"]


def test_a_submission_and_its_tracking_read_no_reference_data(
    client: Client, keys: dict[str, str]
) -> None:
    """Topics, communes, rules, routing and the key are kept in memory (danvan.core.refcache):
    a letter costs its own writes only, tracking it two reads."""
    headers = auth(keys["a_submit"])
    client.post(f"{URL}/cases", LETTER, content_type="application/json", headers=headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"{URL}/cases", LETTER, content_type="application/json",
            headers={**headers, "Idempotency-Key": "budget-1"},
        )  # fmt: skip
    assert response.status_code == 201
    # The models' rows; the search backends add their own index rows (FTS5, vocabulary).
    tables = [q["sql"].split('"')[1] for q in queries if q["sql"].startswith('INSERT INTO "')]
    assert tables == ["cases_case", "cases_casefingerprint", "language_searchdoc",
                      "cases_caseevent", "cases_notification"]  # fmt: skip
    assert not [q for q in queries if q["sql"].startswith("SELECT")]
    code = response.json()["tracking_code"]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{URL}/cases/track/{code}", headers=headers).status_code == 200
    assert len(queries) == 2  # the case with its topic and unit, its public events


# --- tracking ----------------------------------------------------------------------------


def test_tracking_shows_no_personal_data_nor_internal_notes(
    client: Client, case: Case, demo_user: Any
) -> None:
    CaseEvent.objects.create(case=case, action=Action.ASSIGN, note="Ghi chú nội bộ",
                             is_public=False)  # fmt: skip
    response = client.get(f"{URL}/cases/track/{case.tracking_code.replace('-', '').lower()}")
    assert response.status_code == 200
    body = response.json()
    assert body["tracking_code"] == case.tracking_code
    assert body["status"] == "received"
    assert body["answer"] is None
    assert [e["action"] for e in body["events"]] == ["submit"]
    assert body["events"][0]["at"].endswith("+07:00")
    text = response.content.decode()
    for private in ("Nguyễn Văn An", "912345678", "an@example.vn", "Ghi chú nội bộ"):
        assert private not in text
    assert client.get(f"{URL}/cases/track/ZZZZ-ZZZZ-ZZZZ").status_code == 404


# --- an agency's cases: who may --------------------------------------------------------


MATRIX = [
    # (caller, expected status, expected error code)
    ("anonymous", 401, "api_key_missing"),
    ("citizen", 401, "api_key_missing"),
    ("a", 200, None),
    ("b", 404, "not_found"),
    ("revoked", 403, "api_key_revoked"),
    ("a_submit", 403, "scope_missing"),
    ("invalid", 403, "api_key_invalid"),
]


def _client_for(who: str, keys: dict[str, str], client_as: Any) -> tuple[Client, dict[str, str]]:
    if who == "anonymous":
        return Client(), {}
    if who == "citizen":
        return client_as(Role.CITIZEN), {}
    if who == "invalid":
        return Client(), auth("dv_00000000_wrong")
    return Client(), auth(keys[who])


@pytest.mark.parametrize(("who", "status", "code"), MATRIX)
def test_case_detail_authorisation(
    who: str, status: int, code: str | None, keys: dict[str, str], case: Case, client_as: Any
) -> None:
    client, headers = _client_for(who, keys, client_as)
    response = client.get(f"{URL}/staff/cases/{case.pk}", headers=headers)
    assert response.status_code == status, response.content
    if code:
        assert error_of(response)["code"] == code
    else:
        assert response.json()["submitter"]["phone"] == "+84912345678"


@pytest.mark.parametrize(("who", "status", "code"), MATRIX)
def test_queue_authorisation(
    who: str, status: int, code: str | None, keys: dict[str, str], case: Case, client_as: Any
) -> None:
    client, headers = _client_for(who, keys, client_as)
    response = client.get(f"{URL}/staff/cases", headers=headers)
    if who == "b":  # agency B's key reads agency B's queue, without A's letter
        assert response.status_code == 200
        assert case.pk not in [c["id"] for c in response.json()["cases"]]
        return
    assert response.status_code == status, response.content
    if code:
        assert error_of(response)["code"] == code


@pytest.mark.parametrize(
    ("who", "status", "code"), [*MATRIX[:2], *MATRIX[3:], ("a_read", 403, "scope_missing")]
)
def test_action_authorisation(
    who: str, status: int, code: str, keys: dict[str, str], case: Case, client_as: Any
) -> None:
    client, headers = _client_for(who, keys, client_as)
    response = client.post(
        f"{URL}/staff/cases/{case.pk}/actions/classify", {"kind": "petition"},
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert response.status_code == status, response.content
    assert error_of(response)["code"] == code
    case.refresh_from_db()
    assert case.status == Status.RECEIVED


def test_the_key_may_also_be_sent_as_x_api_key(
    client: Client, keys: dict[str, str], case: Case
) -> None:
    response = client.get(f"{URL}/staff/cases/{case.pk}", headers={"X-Api-Key": keys["a"]})
    assert response.status_code == 200


# --- an agency's cases: what -----------------------------------------------------------


def test_a_denouncers_identity_is_never_returned(
    client: Client, keys: dict[str, str], letter: Any
) -> None:
    secret = letter(kind="denunciation", name="Lê Văn Tố", phone="+84987654321",
                    email="to@example.vn")  # fmt: skip
    response = client.get(f"{URL}/staff/cases/{secret.pk}", headers=auth(keys["a"]))
    assert response.status_code == 200
    body = response.json()
    assert body["identity_protected"] is True
    assert body["submitter"] is None
    for private in ("Lê Văn Tố", "987654321", "to@example.vn"):
        assert private not in response.content.decode()


def test_queue_pages_walk_every_case_once_in_constant_queries(
    client: Client, keys: dict[str, str], letter: Any
) -> None:
    for n in range(7):
        letter(title=f"Thư số {n}")
    whole = client.get(f"{URL}/staff/cases", {"limit": 100}, headers=auth(keys["a"])).json()
    assert whole["next"] is None
    assert len(whole["cases"]) >= 8
    seen: list[int] = []
    after = None
    while True:
        params: dict[str, Any] = {"limit": 3, **({"after": after} if after else {})}
        page = client.get(f"{URL}/staff/cases", params, headers=auth(keys["a"])).json()
        assert len(page["cases"]) <= 3
        seen += [c["id"] for c in page["cases"]]
        after = page["next"]
        if after is None:
            break
    assert seen == [c["id"] for c in whole["cases"]]
    counts = []
    for limit in (2, 6, 100):  # the last page reads both parts of the order: one more query
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{URL}/staff/cases", {"limit": limit}, headers=auth(keys["a"]))
        assert len(response.json()["cases"]) == min(limit, len(whole["cases"]))
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[2] == counts[0] + 1
    filtered = client.get(
        f"{URL}/staff/cases", {"kind": "complaint", "topic": "ha-tang"}, headers=auth(keys["a"])
    ).json()
    assert all(c["kind"] == "complaint" for c in filtered["cases"])
    bad = client.get(f"{URL}/staff/cases", {"after": "garbage"}, headers=auth(keys["a"]))
    assert bad.status_code == 400
    assert "after" in error_of(bad)["fields"]


def test_a_case_taken_through_its_steps_names_the_key(
    client: Client, keys: dict[str, str], case: Case
) -> None:
    def act(action: str, **body: Any) -> Any:
        return client.post(f"{URL}/staff/cases/{case.pk}/actions/{action}", body,
                           content_type="application/json", headers=auth(keys["a"]))  # fmt: skip

    response = act("resolve", answer="Đã sửa.")
    assert response.status_code == 409
    assert error_of(response)["code"] == "transition_not_allowed"
    assert act("classify", kind="petition", topic_code="ha-tang").status_code == 200
    response = act("forward", agency_code=case.agency.code, note="Chuyển")
    assert response.status_code == 400
    assert error_of(response)["message"]  # the rule, in words
    assert act("accept").status_code == 200
    assert act("start").status_code == 200
    response = act("resolve")
    assert response.status_code == 400
    assert "answer" in error_of(response)["fields"]
    response = act("resolve", answer="Đã thay bóng đèn ngày 22/11.")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "resolved"
    assert body["allowed_actions"] == ["close"]
    key = ApiKey.objects.get(name="Tổng đài 1022")
    assert key.user is not None
    assert not key.user.is_active
    assert not key.user.has_usable_password()
    actors = set(case.events.exclude(action="submit").values_list("actor_id", flat=True))
    assert actors == {key.user_id}
    track = client.get(f"{URL}/cases/track/{case.tracking_code}").json()
    assert track["answer"] == "Đã thay bóng đèn ngày 22/11."
    assert client.post(
        f"{URL}/staff/cases/{case.pk}/actions/fly", {}, content_type="application/json",
        headers=auth(keys["a"]),
    ).status_code == 400  # fmt: skip


def test_an_accept_whose_notice_cannot_be_stored_answers_503_and_changes_nothing(
    client: Client, keys: dict[str, str], case: Case, full_disk: Any
) -> None:
    url = f"{URL}/staff/cases/{case.pk}/actions"
    headers = auth(keys["a"])
    classify = {"kind": "complaint", "topic_code": "ha-tang"}
    assert client.post(f"{url}/classify", classify, content_type="application/json",
                       headers=headers).status_code == 200  # fmt: skip
    full_disk(True)  # a complaint's accept writes its acceptance notice
    response = client.post(f"{url}/accept", {}, content_type="application/json", headers=headers)
    assert (response.status_code, response["Retry-After"]) == (503, "60")
    assert error_of(response)["code"] == "storage_unavailable"
    case.refresh_from_db()
    assert (case.status, case.attachments.count()) == (Status.CLASSIFIED, 0)
    full_disk(False)
    response = client.post(f"{url}/accept", {}, content_type="application/json", headers=headers)
    assert response.status_code == 200


def test_a_database_that_is_away_answers_503_with_a_code_to_retry_on(
    client: Client, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    def restarting(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr("danvan.api.rest.case_tracked", restarting)
    response = client.get(f"{URL}/cases/track/{case.tracking_code}")
    assert (response.status_code, response["Retry-After"]) == (503, "5")
    assert error_of(response)["code"] == "service_unavailable"


def test_another_agency_cannot_act(client: Client, keys: dict[str, str], case: Case,
                                   demo_user: Any) -> None:  # fmt: skip
    response = client.post(f"{URL}/staff/cases/{case.pk}/actions/decline",
                           {"reason": "duplicate", "note": "Trùng"},
                           content_type="application/json", headers=auth(keys["b"]))  # fmt: skip
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
