"""Citizen intake and tracking, the officers' queue and case page, over HTTP."""

import pytest
from django.test import Client

from danvan.accounts.roles import Role
from danvan.cases import services as s
from danvan.cases.models import Case, Topic
from danvan.places.models import Agency
from testsupport.queries import queries_of

pytestmark = pytest.mark.django_db


def form_data(pho_hien, **overrides):
    data = {
        "kind": "feedback", "unit": pho_hien.pk, "topic": Topic.objects.get(code="rac-thai").pk,
        "title": "Rác thải ùn ứ", "content": "Rác không được thu gom ba ngày nay ở tổ dân phố 5.",
        "name": "Nguyễn Thị Lan", "phone": "0987 123 456", "email": "", "address": "",
        "form_token": "tok-1",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_citizen_submits_without_an_account_and_gets_a_tracking_code(pho_hien):
    client = Client()
    assert client.get("/gui-don/").status_code == 200
    response = client.post("/gui-don/", form_data(pho_hien))
    assert response.status_code == 302
    case = Case.objects.get()
    assert response.url == f"/tra-cuu/{case.tracking_code}/"
    assert case.submitter_phone == "+84987123456"
    page = client.get(response.url).content.decode()
    assert case.tracking_code in page
    assert "Đã tiếp nhận" in page


def test_a_double_click_creates_one_case(pho_hien):
    client = Client()
    client.post("/gui-don/", form_data(pho_hien))
    client.post("/gui-don/", form_data(pho_hien))
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Vui lòng viết tiêu đề ngắn."),
        ({"content": ""}, "Vui lòng viết nội dung sự việc và đề nghị của bạn."),
        ({"content": "x" * 10_001}, "10000"),
        ({"phone": "0123"}, "gồm 10 chữ số"),
        ({"phone": "", "email": ""}, "Vui lòng để lại số điện thoại hoặc email"),
        ({"name": ""}, "Vui lòng nhập họ và tên"),
        ({"kind": "complaint", "anonymous": "on"}, "Đơn khiếu nại phải ghi rõ họ tên"),
        ({"unit": "999999"}, "Vui lòng chọn xã, phường trong danh sách."),
    ],
)
def test_bad_submission_gets_a_vietnamese_message_and_stores_nothing(pho_hien, overrides, message):
    response = Client().post("/gui-don/", form_data(pho_hien, **overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Case.objects.count() == 0


def test_anonymous_feedback_is_accepted(pho_hien):
    Client().post("/gui-don/", form_data(pho_hien, anonymous="on", name="", phone=""))
    case = Case.objects.get()
    assert case.anonymous
    assert case.submitter_name == ""


def test_tracking_by_code_typed_without_dashes(submit):
    case = submit()
    response = Client().get("/tra-cuu/", {"code": case.tracking_code.replace("-", "").lower()})
    assert response.url == f"/tra-cuu/{case.tracking_code}/"
    assert Client().get("/tra-cuu/", {"code": "AAAA-BBBB-CCCC"}).status_code == 404


def test_public_tracking_page_shows_no_internal_note(submit, handler):
    case = submit()
    s.case_classify(
        case=case, by=handler, kind="feedback", topic=case.topic, note="Ghi chú nội bộ bí mật"
    )
    page = Client().get(f"/tra-cuu/{case.tracking_code}/").content.decode()
    assert "Ghi chú nội bộ bí mật" not in page
    assert handler.full_name not in page


def test_citizen_rates_the_answer_once(submit, handler):
    case = submit()
    for step in (
        lambda c: s.case_classify(case=c, by=handler, kind="feedback", topic=c.topic),
        lambda c: s.case_accept(case=c, by=handler),
        lambda c: s.case_start(case=c, by=handler),
        lambda c: s.case_resolve(case=c, by=handler, answer="Đã thu gom."),
    ):
        case = step(case)
    client = Client()
    url = f"/tra-cuu/{case.tracking_code}/"
    assert "Đã thu gom." in client.get(url).content.decode()
    assert client.post(url, {"rating": "5", "comment": "Tốt"}).status_code == 302
    assert Case.objects.get(pk=case.pk).rating == 5


@pytest.mark.parametrize(
    ("role", "queue", "detail", "act"),
    [
        (None, 302, 302, 302),
        (Role.CITIZEN, 403, 404, 404),
        (Role.RECEPTION_OFFICER, 200, 200, 302),
        (Role.HANDLING_OFFICER, 200, 200, 302),
        (Role.HEAD, 200, 200, 302),
        (Role.SUPERVISOR, 200, 404, 404),
        (Role.AUDITOR, 200, 200, 404),
        (Role.ADMINISTRATOR, 200, 404, 404),
    ],
)
def test_case_pages_by_role(submit, client_as, role, queue, detail, act):
    case = submit()
    client = client_as(role)
    assert client.get("/staff/cases/").status_code == queue
    assert client.get(f"/staff/cases/{case.pk}/").status_code == detail
    response = client.post(f"/staff/cases/{case.pk}/classify/", {"kind": "feedback", "topic": ""})
    assert response.status_code == act
    expected = "classified" if act == 302 and role else "received"
    assert Case.objects.get(pk=case.pk).status == expected


def test_an_officer_of_another_agency_sees_nothing(submit, client_as):
    police = Agency.objects.get(code="hy-cong-an")
    case = submit()
    Case.objects.filter(pk=case.pk).update(agency=police)
    client = client_as(Role.HANDLING_OFFICER)
    assert client.get(f"/staff/cases/{case.pk}/").status_code == 404
    assert case.tracking_code not in client.get("/staff/cases/").content.decode()


def test_queue_query_count_does_not_grow_with_cases(submit, client_as):
    """The same queries whether 30 or 60 new letters wait: a full page either way (a page
    the first part of the order cannot fill also reads the second: one query more)."""
    client = client_as(Role.HANDLING_OFFICER)
    pages = []

    def queue():
        pages.append(client.get("/staff/cases/").content.decode())

    queue()  # warm: the session's device and the reference data are read once
    codes = [submit(title=f"Đơn số {n}").tracking_code for n in range(30)]
    few = queries_of(queue)
    codes += [submit(title=f"Đơn số {n}").tracking_code for n in range(30, 60)]
    many = queries_of(queue)
    assert few == many
    assert [sum(code in page for code in codes) for page in pages[1:]] == [25, 25]
    assert "after=" in pages[2]


def test_queue_key_pagination_reaches_every_case_once(submit, client_as):
    codes = {submit(title=f"Đơn {n}").tracking_code for n in range(30)}
    client = client_as(Role.HANDLING_OFFICER)
    first = client.get("/staff/cases/")
    seen = {c for c in codes if c in first.content.decode()}
    key = first.content.decode().split("after=")[1].split('"')[0]
    second = client.get("/staff/cases/", {"after": key}, headers={"hx-request": "true"})
    seen2 = {c for c in codes if c in second.content.decode()}
    assert len(seen) == 25
    assert seen | seen2 == codes
    assert not seen & seen2


def test_case_page_query_count(submit, client_as, django_assert_max_num_queries):
    for n in range(5):  # related letters (same sender) must not add queries
        submit(title=f"Đơn trước {n}")
    case = submit()
    client = client_as(Role.HANDLING_OFFICER)
    with django_assert_max_num_queries(15):  # 15: with the session's 2FA device (django-otp)
        assert client.get(f"/staff/cases/{case.pk}/").status_code == 200


def test_officer_walks_a_case_through_the_forms(submit, client_as):
    case = submit(kind="complaint")
    client = client_as(Role.HANDLING_OFFICER)
    base = f"/staff/cases/{case.pk}"
    steps = [
        ("classify", {"kind": "complaint", "topic": ""}),
        ("accept", {"note": ""}),
        ("start", {"note": ""}),
        ("extend", {"variant": "", "note": "Phức tạp"}),
        ("resolve", {"answer": "Giữ nguyên quyết định"}),
        ("close", {"note": ""}),
    ]
    for action, data in steps:
        assert client.post(f"{base}/{action}/", data).status_code == 302, action
    assert Case.objects.get(pk=case.pk).status == "closed"


def test_a_missing_reason_gets_a_message_and_changes_nothing(submit, client_as):
    case = submit()
    client = client_as(Role.HANDLING_OFFICER)
    response = client.post(
        f"/staff/cases/{case.pk}/decline/", {"reason": "not_eligible", "note": ""}
    )
    assert response.status_code == 422
    assert Case.objects.get(pk=case.pk).status == "received"


def test_an_action_not_allowed_now_gets_a_message(submit, client_as):
    case = submit()
    client = client_as(Role.HANDLING_OFFICER)
    response = client.post(f"/staff/cases/{case.pk}/resolve/", {"answer": "Sớm quá"}, follow=True)
    assert "Không thể thực hiện bước này" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "received"


def test_queue_pages_through_finished_letters_too(submit, client_as, handler):
    """Closed letters have no deadline: they page by newest first, every one once."""
    codes = set()
    for n in range(30):
        case = submit(title=f"Đơn {n}")
        s.case_decline(case=case, by=handler, reason="withdrawn", note="Công dân rút đơn.")
        codes.add(case.tracking_code)
    client = client_as(Role.HANDLING_OFFICER)
    seen, after, pages = set(), None, 0
    while pages < 5:
        params = {"status": "declined", **({"after": after} if after else {})}
        page = client.get("/staff/cases/", params).content.decode()
        seen |= {c for c in codes if c in page}
        pages += 1
        if 'id="more-row"' not in page:
            break
        after = page.split('id="more-row"')[1].split("after=")[1].split('"')[0]
    assert (seen, pages) == (codes, 2)
