"""Who may open each page and do each action (anonymous to administrator)."""

import hashlib

import pytest
from django.test import Client

from danvan.accounts.roles import Role
from danvan.core.uploads import CleanFile
from danvan.dialogues import services as s
from danvan.dialogues.models import Commitment, Question, QuestionGroup, Status
from danvan.dialogues.services import Promised

from .conftest import TODAY

pytestmark = pytest.mark.django_db
ROLES = [None, Role.CITIZEN, Role.RECEPTION_OFFICER, Role.HANDLING_OFFICER, Role.HEAD,
         Role.SUPERVISOR, Role.AUDITOR, Role.ADMINISTRATOR]  # fmt: skip
ORGANISERS = {Role.RECEPTION_OFFICER, Role.HANDLING_OFFICER, Role.HEAD}


@pytest.fixture
def setup(dialogue, demo_user, owner_agency):
    question = s.question_submit(dialogue=dialogue, text="Hỏi về đường")
    commitment = s.commitment_create(
        dialogue=dialogue, by=demo_user(Role.HEAD),
        promised=Promised("Sửa đường", owner_agency, TODAY),
    )  # fmt: skip
    return dialogue, question, commitment


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_are_open_to_everyone(setup, client_as, role):
    dialogue, _question, _commitment = setup
    client = client_as(role)
    for url in ("/doi-thoai/", f"/doi-thoai/{dialogue.pk}/",
                f"/doi-thoai/{dialogue.pk}/cam-ket/", "/cam-ket/don-vi/11953/"):  # fmt: skip
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ROLES)
def test_organiser_pages_and_actions(setup, client_as, role, demo_user):
    dialogue, question, _commitment = setup
    client = client_as(role)
    allowed = role in ORGANISERS
    expected_page = 200 if allowed else (302 if role is None else 404)
    assert client.get(f"/staff/dialogues/{dialogue.pk}/").status_code == expected_page
    hide = client.post(f"/staff/dialogues/{dialogue.pk}/questions/{question.pk}/hide/",
                       {"reason": "Quảng cáo"})  # fmt: skip
    assert hide.status_code == (302 if allowed or role is None else 404)
    question.refresh_from_db()
    assert question.is_hidden is allowed
    client.post(f"/staff/dialogues/{dialogue.pk}/status/", {"status": Status.HELD})
    assert type(dialogue).objects.get().status == (Status.HELD if allowed else Status.OPEN)
    s2 = Question.objects.create(dialogue=dialogue, text="Hỏi về đường nữa")
    client.post(f"/staff/dialogues/{dialogue.pk}/groups/",
                {"title": "Đường", "questions": [question.pk, s2.pk]})  # fmt: skip
    assert QuestionGroup.objects.exists() is allowed
    listing = client.get("/staff/dialogues/").status_code
    assert listing == (200 if allowed else 302 if role is None else 403)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_owner_agency_reports_progress(setup, client_as, role):
    _dialogue, _question, commitment = setup
    client = client_as(role)
    url = f"/staff/commitments/{commitment.pk}/"
    assert client.get(url).status_code == (302 if role is None else 404)
    client.post(url, {"text": "Đã sửa", "document_link": "https://example.vn/x", "close": "on"})
    assert Commitment.objects.get().status == "open"


def test_the_owner_agency_official_may_report_progress(setup, owner_officer):
    _dialogue, _question, commitment = setup
    client = Client()
    client.force_login(owner_officer, backend="danvan.accounts.backends.EmailOrPhoneBackend")
    assert client.get(f"/staff/commitments/{commitment.pk}/").status_code == 200
    assert client.get(f"/staff/dialogues/{commitment.dialogue_id}/").status_code == 404
    assert client.get("/staff/commitments/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_evidence_files_are_for_the_owner_and_organiser_officials(setup, client_as, role,
                                                                   owner_officer):  # fmt: skip
    _dialogue, _question, commitment = setup
    pdf = b"%PDF-1.4\n%%EOF\n"
    clean = CleanFile("nghiem-thu.pdf", "application/pdf", pdf, hashlib.sha256(pdf).hexdigest(),
                      len(pdf))  # fmt: skip
    update = s.commitment_progress(
        commitment=commitment, by=owner_officer, text="Đã nghiệm thu", files=[clean]
    )
    evidence = update.files.get()
    url = f"/staff/commitments/{commitment.pk}/files/{evidence.pk}/"
    response = client_as(role).get(url)
    if role in ORGANISERS:
        assert response.status_code == 200
        assert response.content == b"%PDF-1.4\n%%EOF\n"
        assert response["Content-Disposition"].startswith('attachment; filename="nghiem-thu.pdf"')
    else:
        assert response.status_code == (302 if role is None else 404)
    wrong = f"/staff/commitments/{commitment.pk + 1}/files/{evidence.pk}/"
    assert client_as(role).get(wrong).status_code == (302 if role is None else 404)
