"""Acceptance (issue 16): a denouncer's identity reaches only its designated handler and the
auditors, by every path, and every allowed look is logged once.

The journey, through the web as people make it:
- D: a denunciation filed on the web by a signed-in citizen (the filer), naming themselves,
  their phone and e-mail in the text, a scan attached; the head designates the handler, who
  classifies it as a complaint and accepts it (a sealed acceptance notice "Kính gửi: …");
- F: the filer's own feedback letter, same account and phone (a same-sender link candidate);
- R: a feedback letter with a scan, from a sender without an account, reclassified as a
  denunciation (its scan sealed in storage; no handler designated);
- P: a denunciation without an account, classified as feedback on a public topic.

Each role of the demo walks every path: the case pages and their history, the identity
panel, files and documents (staff and public tracking), related letters both ways, the
queue's search by name and phone. Then the staff API, Open311, the privacy export, the
notifications (rows, and what the development backends print) and the log lines.
"""

import io
import json
import logging
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from PIL import Image

from danvan.accounts.models import Membership, User
from danvan.accounts.roles import Role
from danvan.cases.models import Attachment, Case, IdentityLook, Notification, Topic
from danvan.places.models import Agency, Unit

pytestmark = pytest.mark.django_db

FILER = {"name": "Nguyễn Văn An", "phone": "0912 345 678", "email": "an.nguyen@example.vn",
         "address": "Số 5 phố Bãi Sậy", "id_number": "033090001234"}  # fmt: skip
D_TEXT = ("Tôi là Nguyễn Văn An, SĐT 0912.345.678, email an.nguyen@example.vn, ở Số 5 phố Bãi"
          " Sậy. Cán bộ địa chính phường nhận tiền để cấp giấy chứng nhận sai quy định.")  # fmt: skip
WALKER = {"name": "Phạm Thị Hoa", "phone": "0987 654 321", "email": "hoa.pham@example.vn",
          "address": "", "id_number": ""}  # fmt: skip
R_TEXT = ("Tôi là Phạm Thị Hoa, điện thoại 0987_654_321. Đèn đường tổ 5 hỏng; cán bộ phường"
          " đòi tiền mới sửa.")  # fmt: skip
STRANGER = {"name": "Đặng Văn Tư", "phone": "0903 111 222", "email": "tu.dang@example.vn",
            "address": "", "id_number": ""}  # fmt: skip
P_TEXT = "Tôi, Đặng Văn Tư (0903111222), báo cống thoát nước tổ 7 bị lấp trái phép."
# What must never appear where the gate does not entitle (names, every writing of a phone).
SECRETS = ("Nguyễn Văn An", "0912345678", "912345678", "0912 345 678", "0912.345.678",
           "an.nguyen@example.vn", "033090001234", "Bãi Sậy", "Phạm Thị Hoa", "0987654321",
           "987654321", "0987 654 321", "0987_654_321", "hoa.pham@example.vn", "Đặng Văn Tư",
           "0903111222", "903111222", "tu.dang@example.vn")  # fmt: skip
CONTACTS = tuple(secret for secret in SECRETS if any(char.isdigit() or char == "@"
                                                     for char in secret))  # fmt: skip
DENOUNCER = "Người tố cáo"  # what the history shows for the filing account


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), "white").save(buffer, "JPEG")
    return buffer.getvalue()


@dataclass
class World:
    d: Case
    f: Case
    r: Case
    p: Case
    d_scan: Attachment
    d_notice: Attachment
    r_scan: Attachment
    users: dict[str, User | None]


def _signed_in(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="danvan.accounts.backends.EmailOrPhoneBackend")
    return client


def _officer(email: str, agency: Agency, role: str = "handling_officer") -> User:
    user = User.objects.create_user(email=email, full_name=f"Cán bộ {email[:5]}", password="x")
    Membership.objects.create(user=user, agency=agency, role=role, started_on=date(2025, 7, 1))
    return user


def _letter_form(token: str, sender: dict[str, str], **fields: object) -> dict[str, object]:
    unit = Unit.objects.get(level="commune", code="11953", valid_until=None)
    return {"unit": unit.pk, "place": "", "form_token": token, **sender, **fields}


def _file(client: Client, data: dict[str, object]) -> Case:
    response = client.post("/gui-don/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Case.objects.get(tracking_code=response.url.rstrip("/").rsplit("/", 1)[1])


def _act(client: Client, case: Case, action: str, data: dict[str, object]) -> None:
    response = client.post(f"/staff/cases/{case.pk}/{action}/", data)
    assert response.status_code == 302, (action, response.status_code)


def _journey(demo_user) -> World:
    """The letters above, made through the web pages by the people who make them."""
    filer = demo_user(Role.CITIZEN)
    head, handler = demo_user(Role.HEAD), demo_user(Role.HANDLING_OFFICER)
    topic = Topic.objects.get(code="ha-tang").pk
    citizen = _signed_in(filer)
    d = _file(citizen, _letter_form("d-1", FILER, kind="denunciation", topic="",
              title="Tố cáo cán bộ địa chính", content=D_TEXT,
              attachments=[SimpleUploadedFile("don-to-cao.jpg", jpeg(), "image/jpeg")]))  # fmt: skip
    f = _file(citizen, _letter_form("f-1", {**FILER, "id_number": ""}, kind="feedback", topic=topic,
              title="Đèn đường hỏng", content="Đèn đường tổ 3 hỏng hai tuần nay."))  # fmt: skip
    r = _file(Client(), _letter_form("r-1", WALKER, kind="feedback", topic=topic,
              title="Đèn đường tổ 5", content=R_TEXT,
              attachments=[SimpleUploadedFile("anh.jpg", jpeg(), "image/jpeg")]))  # fmt: skip
    p = _file(Client(), _letter_form("p-1", STRANGER, kind="denunciation", topic=topic,
              title="Lấp cống trái phép", content=P_TEXT))  # fmt: skip
    _act(_signed_in(head), d, "assign", {"assignee": handler.pk})
    officer = _signed_in(handler)
    _act(officer, d, "classify", {"kind": "complaint", "topic": ""})
    _act(officer, d, "accept", {"note": ""})
    _act(officer, r, "classify", {"kind": "denunciation", "topic": ""})
    _act(officer, p, "classify", {"kind": "feedback", "topic": topic})
    return _world(d, f, r, p, demo_user)


def _world(d: Case, f: Case, r: Case, p: Case, demo_user) -> World:
    agency = d.agency
    other = Agency.objects.exclude(pk=agency.pk).filter(is_active=True).order_by("code")[0]
    users = {
        "anonymous": None, "filer": demo_user(Role.CITIZEN),
        "other_citizen": User.objects.create_user(phone="+84977000111", full_name="Lê Thị Mai",
                                                  password="x"),
        "reception": demo_user(Role.RECEPTION_OFFICER),
        "undesignated": _officer("xuly2@demo.danvan.vn", agency),
        "designated": demo_user(Role.HANDLING_OFFICER), "head": demo_user(Role.HEAD),
        "other_agency": _officer("xuly@khac.danvan.vn", other),
        "supervisor": demo_user(Role.SUPERVISOR), "auditor": demo_user(Role.AUDITOR),
        "administrator": demo_user(Role.ADMINISTRATOR),
    }  # fmt: skip
    d, f, r, p = (Case.objects.get(pk=case.pk) for case in (d, f, r, p))
    return World(d=d, f=f, r=r, p=p, d_scan=Attachment.objects.get(case=d, source="citizen"),
                 d_notice=Attachment.objects.get(case=d, document_kind="acceptance_notice"),
                 r_scan=Attachment.objects.get(case=r), users=users)  # fmt: skip


@pytest.fixture
def world(demo_user) -> World:
    return _journey(demo_user)


def test_the_journey_stores_every_secret_sealed(world):
    d, r, p = world.d, world.r, world.p
    assert (d.kind, d.status, d.identity_sealed, d.assignee) == (
        "complaint", "accepted", True, world.users["designated"],
    )  # fmt: skip
    assert (r.kind, r.identity_sealed, r.assignee_id) == ("denunciation", True, None)
    assert (p.kind, p.identity_sealed) == ("feedback", True)
    assert [a.sealed for a in (world.d_scan, world.d_notice, world.r_scan)] == [True] * 3
    stored = repr(list(Case.objects.filter(pk__in=[d.pk, r.pk, p.pk]).values()))
    for secret in SECRETS:
        assert secret not in stored


# --- the role x path matrix ------------------------------------------------------------------

PATHS = ("d_page", "d_identity", "d_scan", "d_notice", "f_page", "r_page", "r_identity",
         "r_scan", "search", "public_notice", "public_scan")  # fmt: skip
ANON = dict.fromkeys(PATHS, 302) | {"public_notice": 404, "public_scan": 404}
NO_LETTERS = dict.fromkeys(PATHS, 404) | {"search": 403}
SAME_AGENCY = {"d_page": 200, "d_identity": 403, "d_scan": 403, "d_notice": 403, "f_page": 200,
               "r_page": 200, "r_identity": 403, "r_scan": 403, "search": 200,
               "public_notice": 404, "public_scan": 404}  # fmt: skip
NOT_THEIRS = dict.fromkeys(PATHS, 404) | {"search": 200}
EXPECTED = {
    "anonymous": ANON,
    "filer": NO_LETTERS | {"public_notice": 200},  # their own acceptance notice, logged
    "other_citizen": NO_LETTERS,
    "reception": SAME_AGENCY,
    "undesignated": SAME_AGENCY,
    "designated": SAME_AGENCY | {"d_identity": 200, "d_scan": 200, "d_notice": 200},
    "head": SAME_AGENCY,  # designates the handler; sees the identity only as the handler
    "other_agency": NOT_THEIRS,
    "supervisor": NOT_THEIRS,
    "auditor": SAME_AGENCY
    | {"d_identity": 200, "d_scan": 200, "d_notice": 200, "r_identity": 200, "r_scan": 200},
    "administrator": NOT_THEIRS,
}
# The looks each role's walk writes: (what, on which letter), one per allowed opening.
LOOKS = {
    "filer": [("attachment:notice", "d")],
    "designated": [("identity", "d"), ("attachment:scan", "d"), ("attachment:notice", "d")],
    "auditor": [
        ("identity", "d"),
        ("attachment:scan", "d"),
        ("attachment:notice", "d"),
        ("identity", "r"),
        ("attachment:r_scan", "r"),
    ],
}


def _urls(world: World) -> dict[str, str]:
    d, r, f = world.d, world.r, world.f
    track = f"/tra-cuu/{d.tracking_code}/tep"
    return {
        "d_page": f"/staff/cases/{d.pk}/", "d_identity": f"/staff/cases/{d.pk}/identity/",
        "d_scan": f"/staff/cases/{d.pk}/files/{world.d_scan.pk}/",
        "d_notice": f"/staff/cases/{d.pk}/files/{world.d_notice.pk}/",
        "f_page": f"/staff/cases/{f.pk}/", "r_page": f"/staff/cases/{r.pk}/",
        "r_identity": f"/staff/cases/{r.pk}/identity/",
        "r_scan": f"/staff/cases/{r.pk}/files/{world.r_scan.pk}/",
        "search": "/staff/cases/?q=Nguyễn+Văn+An",
        "public_notice": f"{track}/{world.d_notice.pk}/", "public_scan": f"{track}/{world.d_scan.pk}/",
    }  # fmt: skip


def _walk(world: World, client: Client) -> dict[str, Any]:
    return {name: client.get(url) for name, url in _urls(world).items()}


def _text(response: Any) -> str:
    return str(response.content.decode(errors="replace"))


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_exactly_what_it_is_entitled_to_and_each_look_is_logged(world, role):
    before = set(IdentityLook.objects.values_list("pk", flat=True))
    responses = _walk(world, _signed_in(world.users[role]))
    assert {name: r.status_code for name, r in responses.items()} == EXPECTED[role]
    _assert_pages_hold_no_identity(world, responses)
    _assert_looks(world, role, before)


def _rows(page: str) -> str:
    """The queue's result rows (the search box above them repeats the words typed)."""
    [rows] = re.findall(r'<tbody id="queue-rows">.*?</tbody>', page, re.DOTALL)
    return str(rows)


def _assert_pages_hold_no_identity(world: World, responses: dict[str, Any]) -> None:
    for name in ("d_page", "r_page", "search"):
        if responses[name].status_code == 200:
            page = _text(responses[name])
            page = _rows(page) if name == "search" else page
            for secret in SECRETS:
                assert secret not in page, (name, secret)
    if responses["d_page"].status_code == 200:
        page = _text(responses["d_page"])
        assert DENOUNCER in page  # the "submitted" step's actor
        assert world.f.tracking_code not in page  # never tied to the sender's other letters
    if responses["f_page"].status_code == 200:
        page = _text(responses["f_page"])
        for sealed in (world.d, world.r, world.p):
            assert sealed.tracking_code not in page  # nor they to it
    if responses["search"].status_code == 200:
        for sealed in (world.d, world.r, world.p):
            assert sealed.tracking_code not in _text(responses["search"])


def _assert_looks(world: World, role: str, before: set[int]) -> None:
    names = {f"attachment:{world.d_scan.pk}": "attachment:scan",
             f"attachment:{world.d_notice.pk}": "attachment:notice",
             f"attachment:{world.r_scan.pk}": "attachment:r_scan"}  # fmt: skip
    letters = {world.d.pk: "d", world.r.pk: "r"}
    new = IdentityLook.objects.exclude(pk__in=before).order_by("pk")
    assert [(names.get(look.what, look.what), letters[look.case_id]) for look in new] == LOOKS.get(
        role, []
    )
    assert {(look.user_id, look.address) for look in new} <= {
        (getattr(world.users[role], "pk", None), "127.0.0.1")
    }


def test_the_designated_handler_opens_the_letter_as_written_and_the_notice(world):
    client = _signed_in(world.users["designated"])
    panel = _text(client.get(f"/staff/cases/{world.d.pk}/identity/"))
    for value in ("Nguyễn Văn An", "0912 345 678", "an.nguyen@example.vn", "033090001234",
                  D_TEXT):  # fmt: skip
        assert value in panel
    assert "+8491" not in panel  # the phone as people write it
    scan = client.get(f"/staff/cases/{world.d.pk}/files/{world.d_scan.pk}/").content
    assert Image.open(io.BytesIO(scan)).size == (48, 32)  # the scan, opened from its seal
    notice = client.get(f"/staff/cases/{world.d.pk}/files/{world.d_notice.pk}/").content
    with zipfile.ZipFile(io.BytesIO(notice)) as docx:
        assert "Kính gửi: Nguyễn Văn An" in docx.read("word/document.xml").decode()


def test_the_tracking_page_lists_the_sealed_notice_to_the_filer_only(world):
    link = f"/tra-cuu/{world.d.tracking_code}/tep/{world.d_notice.pk}/"
    for role, listed in (("anonymous", False), ("other_citizen", False), ("filer", True),
                         ("designated", False)):  # fmt: skip
        page = _text(_signed_in(world.users[role]).get(f"/tra-cuu/{world.d.tracking_code}/"))
        assert (link in page) is listed, role
        for secret in CONTACTS:
            assert secret not in page, (role, secret)
    mine = _text(_signed_in(world.users["filer"]).get("/don-cua-toi/"))
    assert world.d.tracking_code in mine  # their own letter stays theirs
    theirs = _text(_signed_in(world.users["other_citizen"]).get("/don-cua-toi/"))
    assert world.d.tracking_code not in theirs


def test_the_queue_search_finds_no_sealed_letter_by_name_or_phone(world):
    for role in ("designated", "auditor", "head"):
        client = _signed_in(world.users[role])
        for words in ("Nguyễn Văn An", "0912345678", "0912 345 678", "an.nguyen@example.vn",
                      "Phạm Thị Hoa", "0987654321", "Đặng Văn Tư"):  # fmt: skip
            page = _rows(_text(client.get("/staff/cases/", {"q": words})))
            for sealed in (world.d, world.r, world.p):
                assert sealed.tracking_code not in page, (role, words)
        found = _text(client.get("/staff/cases/", {"q": "giấy chứng nhận"}))
        assert world.d.tracking_code in found  # the matter itself is still found


# --- the APIs ----------------------------------------------------------------------------------


def api_key(agency: Agency, scopes: tuple[str, ...] = ("cases:read",)) -> str:
    """A key of `agency`, issued as an administrator does (the API sits above this app: its
    command, not its code)."""
    out = io.StringIO()
    flags = [f"--scope={scope}" for scope in scopes]
    call_command("issue_api_key", "--name=Tổng đài", f"--agency={agency.code}", *flags, stdout=out)
    return out.getvalue().strip()


def test_the_staff_api_never_returns_an_identity(world):
    text = api_key(world.d.agency)
    auth = {"Authorization": f"Bearer {text}"}
    client = Client()
    for case in (world.d, world.r, world.p):
        response = client.get(f"/api/v1/staff/cases/{case.pk}", headers=auth)
        assert response.status_code == 200
        body = response.json()
        assert (body["identity_protected"], body["submitter"]) == (True, None)
        assert all(set(event) == {"action", "label", "at", "note", "is_public"}
                   for event in body["events"])  # fmt: skip
        for secret in SECRETS:
            assert secret not in response.content.decode()
    listing = client.get("/api/v1/staff/cases?status=accepted", headers=auth)
    assert listing.status_code == 200
    assert [row["tracking_code"] for row in listing.json()["cases"]] == [world.d.tracking_code]
    for secret in SECRETS:
        assert secret not in listing.content.decode()
    other_text = api_key(world.users["other_agency"].memberships.get().agency)
    response = client.get(
        f"/api/v1/staff/cases/{world.d.pk}", HTTP_AUTHORIZATION=f"Bearer {other_text}"
    )
    assert response.status_code == 404


def test_a_key_acting_on_a_sealed_letter_never_becomes_its_handler(world):
    auth = {"Authorization": f"Bearer {api_key(world.r.agency, ('cases:read', 'cases:act'))}"}
    client = Client()
    for action in ("accept", "start"):
        response = client.post(f"/api/v1/staff/cases/{world.r.pk}/actions/{action}",
                               data={}, content_type="application/json", headers=auth)  # fmt: skip
        assert response.status_code == 200, response.content
    world.r.refresh_from_db()
    assert (world.r.status, world.r.assignee_id) == ("in_progress", None)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_never_lists_a_letter_that_was_ever_a_denunciation(world, fmt):
    client = Client()
    listing = client.get(f"/open311/v2/requests.{fmt}")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert re.findall(r"service_request_id\W+(\d+)", text) == [str(world.f.pk)]
    for case in (world.d, world.r, world.p):
        one = client.get(f"/open311/v2/requests/{case.pk}.{fmt}")
        assert one.status_code == 404
        asked = client.get(f"/open311/v2/requests.{fmt}", {"service_request_id": str(case.pk)})
        assert re.findall(r"service_request_id\W+(\d+)", asked.content.decode()) == []
    for secret in SECRETS:
        assert secret not in text


# --- the privacy export ------------------------------------------------------------------------


def test_the_filer_exports_their_letter_as_written_and_the_read_is_logged(world):
    before = IdentityLook.objects.count()
    response = _signed_in(world.users["filer"]).post("/accounts/my-data/download/")
    assert response.status_code == 200
    letters = {row["tracking_code"]: row for row in json.loads(response.content)["letters"]}
    assert set(letters) == {world.d.tracking_code, world.f.tracking_code}
    sealed = letters[world.d.tracking_code]["sealed_identity"]
    assert (sealed["name"], sealed["id_number"], sealed["content"]) == (
        "Nguyễn Văn An", "033090001234", D_TEXT,
    )  # fmt: skip
    [look] = IdentityLook.objects.order_by("-pk")[: IdentityLook.objects.count() - before]
    assert (look.case_id, look.user, look.what) == (world.d.pk, world.users["filer"], "data_export")


def test_another_persons_export_holds_nothing_of_the_denunciation(world):
    before = IdentityLook.objects.count()
    response = _signed_in(world.users["other_citizen"]).post("/accounts/my-data/download/")
    assert response.status_code == 200
    text = response.content.decode()
    assert json.loads(text)["letters"] == []
    for case in (world.d, world.r, world.p):
        assert case.tracking_code not in text
    for secret in SECRETS:
        assert secret not in text
    assert IdentityLook.objects.count() == before


# --- notifications, the development backends, the log lines ------------------------------------


def test_notices_reach_the_denouncers_and_nothing_prints_or_logs_a_contact(
    demo_user, settings, capsys, caplog, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "danvan.ops.mail.ConsoleEmailBackend"}}
    settings.DANVAN_SMS_BACKEND = "danvan.core.sms.LogBackend"
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        world = _journey(demo_user)
    for role in EXPECTED:
        _walk(world, _signed_in(world.users[role]))
    printed = capsys.readouterr().out
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in CONTACTS:
        assert secret not in printed, secret
        assert secret not in logged, secret
    sent = Notification.objects.filter(case__in=[world.d, world.r, world.p])
    rows: list[tuple[Any, ...]] = list(sent.values_list("case_id", "purpose", "state", "to_user"))
    assert sorted(rows) == sorted([
        (world.d.pk, "submitted", "sent", None), (world.d.pk, "accept", "sent", None),
        (world.r.pk, "submitted", "sent", None), (world.p.pk, "submitted", "sent", None),
    ])  # fmt: skip
    # Every notice to a sealed letter's sender was read through the gate, as the platform.
    platform = IdentityLook.objects.filter(user=None, what="notification")
    assert sorted(platform.values_list("case_id", flat=True)) == sorted(
        [world.d.pk, world.d.pk, world.r.pk, world.p.pk]
    )
    # Five e-mails and five SMS left (D twice, F, R, P): each printed, no recipient shown.
    assert printed.count("To: [email]") == 5
    assert logged.count("to [số điện thoại]") == 5
