"""Every view that sends a file sends it as a download, found from the URL configuration
rather than from a list someone has to remember: a citizen's attachment (staff page and
public tracking page), a document we issued, dialogue evidence, a reception conclusion
notice, a person's data export, the administrator's default templates, an evaluation's
evidence, results table and decision."""

import hashlib
import inspect
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from danvan.accounts.models import Membership, User
from danvan.accounts.roles import Role
from danvan.cases.models import Attachment, Topic
from danvan.cases.tests.letters import submit_letter
from danvan.cases.writes import attachments_add
from danvan.core.downloads import DOCX, JSON, KNOWN_TYPES, SANDBOX, XLSX
from danvan.core.uploads import TYPES, CleanFile
from danvan.dialogues import services as dialogues
from danvan.dialogues.services import Promised
from danvan.evaluation import services as evaluation
from danvan.evaluation.example import example_set
from danvan.places.models import Agency, Unit
from danvan.reception.models import ReceptionSession, SessionKind, SessionStatus
from danvan.rulebook.store import current_calendar

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
PDF = "application/pdf"
NAME = "Đơn kiến nghị.pdf"
ASCII_NAME = "Don kien nghi.pdf"
BYTES = b"%PDF-1.7\n(checked before it was stored)\n"


def pdf_file(name: str = NAME) -> CleanFile:
    return CleanFile(name, PDF, BYTES, hashlib.sha256(BYTES).hexdigest(), len(BYTES))


def letter():
    return submit_letter(
        kind="feedback", title="Đèn đường hỏng", content="Đèn trước nhà số 12 hỏng.",
        unit=Unit.objects.get(level="commune", code="11953", valid_until=None),
        topic=Topic.objects.get(code="ha-tang"), name="Nguyễn Văn An", phone="+84912345678",
    )  # fmt: skip


# The downloads, one request each as a role that may make it


def staff_file(client_as, demo_user):
    case = letter()
    [scan] = attachments_add(case, [pdf_file()], by=None, source="citizen")
    url = f"/staff/cases/{case.pk}/files/{scan.pk}/"
    return client_as(Role.HANDLING_OFFICER).get(url), PDF, ASCII_NAME


def public_file(client_as, demo_user):
    case = letter()
    handler = demo_user(Role.HANDLING_OFFICER)
    [answer] = attachments_add(case, [pdf_file("Trả lời.pdf")], by=handler, source="document",
                               public=True)  # fmt: skip
    url = f"/tra-cuu/{case.tracking_code}/tep/{answer.pk}/"
    return Client().get(url), PDF, "Tra loi.pdf"


def evidence_file(client_as, demo_user):
    owner = Agency.objects.get(code="hy-so-xd")
    officer = User.objects.create_user(email="xd@example.vn", password="x", full_name="Ngô Xây")
    Membership.objects.create(user=officer, agency=owner, role=Role.HANDLING_OFFICER,
                              started_on=date(2025, 7, 1))  # fmt: skip
    dialogue = dialogues.dialogue_create(
        by=demo_user(Role.RECEPTION_OFFICER), organiser=Agency.objects.get(code="ubnd-c11953"),
        title="Đối thoại về đường vành đai", chair=demo_user(Role.HEAD),
        starts_at=datetime(2026, 12, 5, 8, 0, tzinfo=HANOI), audience="Hộ dân", issue_group="Giải phóng mặt bằng",
        place="Hội trường", invitations="",
    )  # fmt: skip
    commitment = dialogues.commitment_create(
        dialogue=dialogue,
        by=demo_user(Role.HEAD),
        promised=Promised("Sửa đường", owner, date(2026, 11, 30)),
    )
    update = dialogues.commitment_progress(
        commitment=commitment, by=officer, text="Đã nghiệm thu", files=[pdf_file("Nghiệm thu.pdf")]
    )
    url = f"/staff/commitments/{commitment.pk}/files/{update.files.get().pk}/"
    return client_as(Role.HEAD).get(url), PDF, "Nghiem thu.pdf"


def conclusion_notice(client_as, demo_user):
    head = demo_user(Role.HEAD)
    session = ReceptionSession.objects.create(
        agency=head.memberships.get(role="head").agency, leader=head, held_on=date(2026, 11, 20),
        place="Trụ sở UBND", kind=SessionKind.AD_HOC, status=SessionStatus.HELD,
        conclusion="Giao Công an phường kiểm tra trong 10 ngày.",
    )  # fmt: skip
    url = f"/staff/reception/sessions/{session.pk}/thong-bao-ket-luan.docx"
    return client_as(Role.RECEPTION_OFFICER).get(url), DOCX, "thong-bao-ket-luan-2026-11-20.docx"


def privacy_export(client_as, demo_user):
    response = client_as(Role.CITIZEN).post("/accounts/my-data/download/")
    return response, JSON, "du-lieu-ca-nhan-2026-11-23.json"


def default_template(client_as, demo_user):
    response = client_as(Role.ADMINISTRATOR).get(
        "/admin/documents/documenttemplate/default/answer/"
    )
    return response, DOCX, "answer.docx"


def evaluation_round(demo_user):
    """This year's round of the example set, scoring the demo commune."""
    calendar = current_calendar()
    self_due = calendar.next_working_day(date(2026, 12, 7))
    plan = evaluation.RoundPlan(
        year=2026, criteria_set=example_set(province_code="33"),
        agencies=[Agency.objects.get(code="ubnd-c11953")], self_due=self_due,
        review_due=calendar.next_working_day(self_due + timedelta(days=14)),
    )  # fmt: skip
    return evaluation.round_open(plan=plan, by=demo_user(Role.SUPERVISOR))


def evaluation_evidence(client_as, demo_user):
    assessment = evaluation_round(demo_user).assessments.get()
    plan = assessment.round.criteria_set.criteria.get(code="1.1")
    [item] = evaluation.evidence_add(assessment=assessment, criterion=plan, links=[],
                                     by=demo_user(Role.HEAD), files=[pdf_file("Kế hoạch.pdf")])  # fmt: skip
    url = f"/staff/evaluation/assessments/{assessment.pk}/evidence/{item.pk}/"
    return client_as(Role.HEAD).get(url), PDF, "Ke hoach.pdf"


def evaluation_results(client_as, demo_user):
    url = f"/staff/evaluation/rounds/{evaluation_round(demo_user).pk}/ket-qua.xlsx"
    return client_as(Role.SUPERVISOR).get(url), XLSX, "ket-qua-danh-gia-2026.xlsx"


def evaluation_decision(client_as, demo_user):
    url = f"/staff/evaluation/rounds/{evaluation_round(demo_user).pk}/quyet-dinh.docx"
    return client_as(Role.SUPERVISOR).get(url), DOCX, "quyet-dinh-cong-bo-ket-qua-2026.docx"


def insights_report_xlsx(client_as, demo_user):
    response = client_as(Role.SUPERVISOR).get("/staff/insights/bao-cao.xlsx?period=2026-11")
    return response, XLSX, "Bao cao tiep cong dan va don thu 2026-11.xlsx"


def insights_report_docx(client_as, demo_user):
    response = client_as(Role.HEAD).get("/staff/insights/bao-cao.docx?period=2026")
    return response, DOCX, "Bao cao tiep cong dan va don thu 2026.docx"


DOWNLOADS: dict[str, Callable[..., tuple[Any, str, str]]] = {
    "cases:file": staff_file,
    "cases:public-file": public_file,
    "dialogues:evidence": evidence_file,
    "reception:conclusion-notice": conclusion_notice,
    "privacy:export": privacy_export,
    "admin:documents_documenttemplate_default": default_template,
    "evaluation:evidence": evaluation_evidence,
    "evaluation:ranking-xlsx": evaluation_results,
    "evaluation:decision": evaluation_decision,
    "insights:report-xlsx": insights_report_xlsx,
    "insights:report-docx": insights_report_docx,
}


# Finding them


def _patterns(
    patterns: list[URLPattern | URLResolver], namespace: str = ""
) -> Iterator[tuple[str, Callable[..., Any]]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def _sends_a_file(view: Callable[..., Any]) -> bool:
    try:
        source = inspect.getsource(inspect.unwrap(view))
    except (OSError, TypeError):  # built-in or generated callables send no file of ours
        return False
    return "file_response(" in source


def test_the_walk_covers_every_view_that_sends_a_file():
    found = {name for name, view in _patterns(get_resolver().url_patterns) if _sends_a_file(view)}
    assert found == set(DOWNLOADS)


def test_only_the_shared_helper_writes_a_file_response():
    """A view that set its own headers would escape the walk above: none may."""
    root = Path(settings.BASE_DIR) / "danvan"
    pattern = re.compile(
        r"Content-Disposition|FileResponse|content_disposition_header|as_attachment"
    )
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "downloads.py"
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize("name", sorted(DOWNLOADS))
def test_every_download_is_an_attachment_with_nosniff_and_our_own_type(name, client_as, demo_user):
    response, content_type, ascii_name = DOWNLOADS[name](client_as, demo_user)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    # The admin's own never_cache adds its directives after ours.
    assert response["Cache-Control"].startswith("private, no-store")


def test_a_vietnamese_name_goes_out_in_utf8_beside_its_ascii_fallback(client_as, demo_user):
    response, _type, _name = staff_file(client_as, demo_user)
    assert response["Content-Disposition"] == (
        'attachment; filename="Don kien nghi.pdf"; '
        "filename*=UTF-8''%C4%90%C6%A1n%20ki%E1%BA%BFn%20ngh%E1%BB%8B.pdf"
    )
    assert response.content == BYTES


def test_an_old_row_with_a_browser_type_and_a_hostile_name_goes_out_inert(client_as):
    """Rows stored before the checks: the type a client claimed, a name with quotes."""
    case = letter()
    [scan] = attachments_add(case, [pdf_file()], by=None, source="citizen")
    Attachment.objects.filter(pk=scan.pk).update(content_type="text/html", name='a"><b>.html')
    response = client_as(Role.HANDLING_OFFICER).get(f"/staff/cases/{case.pk}/files/{scan.pk}/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"a___b_.html\"; filename*=UTF-8''a___b_.html"
    )


def test_every_type_the_upload_check_produces_is_one_we_send():
    assert {content_type for _extension, content_type in TYPES.values()} <= KNOWN_TYPES
