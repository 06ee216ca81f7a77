"""The pages under /staff/evaluation/: who may open what (a role matrix with exact statuses),
no link to a page the role cannot open, the forms working without JavaScript, and the
files (XLSX opens; the decision is in Vietnamese only)."""

import re
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from danvan.accounts.models import Membership, User
from danvan.accounts.roles import Role
from danvan.core.tests.pdfs import written
from danvan.evaluation import services
from danvan.evaluation.models import AssessmentStatus, Criterion, ScoreEntry, Stage
from danvan.places.models import Agency

pytestmark = pytest.mark.django_db
D = Decimal
PDF = written(pages=1)  # a real PDF: the upload check reads it with strict pypdf


@pytest.fixture
def other_officer(db):
    """A handling officer of Sở Y tế, an agency the round does not score."""
    user = User.objects.create_user(email="yte@example.vn", password="x", full_name="Bác sĩ")
    Membership.objects.create(user=user, agency=Agency.objects.get(code="hy-so-yt"),
                              role=Role.HANDLING_OFFICER.value)  # fmt: skip
    return user


@pytest.fixture
def round_(open_round):
    return open_round()


def own(round_):
    return round_.assessments.get(agency__code="ubnd-c11953")


def other(round_):
    return round_.assessments.get(agency__code="hy-so-xd")


def client_for(client_as, role, other_officer):
    if role == "other_officer":
        client = Client()
        client.force_login(other_officer, backend="danvan.accounts.backends.EmailOrPhoneBackend")
        return client
    return client_as(role)


ROLES = [None, Role.CITIZEN, "other_officer", Role.RECEPTION_OFFICER, Role.HANDLING_OFFICER,
         Role.HEAD, Role.SUPERVISOR, Role.AUDITOR, Role.ADMINISTRATOR]  # fmt: skip
# page -> status for each role in ROLES (302: to the sign-in page)
MATRIX = {
    "index": [302, 403, 403, 200, 200, 200, 200, 200, 403],
    "round-new": [302, 403, 403, 403, 403, 403, 200, 403, 403],
    "round": [302, 404, 404, 404, 404, 404, 200, 200, 404],
    "ranking": [302, 404, 404, 404, 404, 404, 200, 200, 404],  # units: once published
    "ranking-xlsx": [302, 404, 404, 404, 404, 404, 200, 200, 404],
    "decision": [302, 404, 404, 404, 404, 404, 200, 200, 404],
    "own": [302, 404, 404, 200, 200, 200, 200, 200, 404],
    "other": [302, 404, 404, 404, 404, 404, 200, 200, 404],
}


def url(page, round_):
    if page in ("own", "other"):
        assessment = own(round_) if page == "own" else other(round_)
        return reverse("evaluation:assessment", args=[assessment.pk])
    if page in ("index", "round-new"):
        return reverse(f"evaluation:{page}")
    return reverse(f"evaluation:{page}", args=[round_.pk])


@pytest.mark.parametrize("page", sorted(MATRIX))
def test_role_matrix(page, round_, client_as, other_officer):
    got = [client_for(client_as, role, other_officer).get(url(page, round_)).status_code
           for role in ROLES]  # fmt: skip
    assert got == MATRIX[page]


def test_units_see_the_ranking_once_published(reviewed_and_published, client_as):
    round_ = reviewed_and_published
    for role in (Role.RECEPTION_OFFICER, Role.HEAD):
        assert (
            client_as(role).get(reverse("evaluation:ranking", args=[round_.pk])).status_code == 200
        )
        assert (
            client_as(role).get(reverse("evaluation:ranking-xlsx", args=[round_.pk])).status_code
            == 200
        )
        assert client_as(role).get(reverse("evaluation:round", args=[round_.pk])).status_code == 404
        assert (
            client_as(role).get(reverse("evaluation:decision", args=[round_.pk])).status_code == 404
        )


@pytest.fixture
def reviewed_and_published(round_, demo_user):
    supervisor = demo_user(Role.SUPERVISOR)
    services.round_start_review(round_=round_, by=supervisor)
    for assessment in round_.assessments.all():
        services.assessment_review_done(assessment=assessment, by=supervisor)
    services.round_approve(round_=round_, by=supervisor)
    return services.round_publish(round_=round_, by=supervisor)


LINK = re.compile(r'href="(/staff/evaluation/[^"#]*)')


@pytest.mark.parametrize("role", [Role.RECEPTION_OFFICER, Role.HEAD, Role.SUPERVISOR, Role.AUDITOR])
def test_no_link_to_a_page_the_role_cannot_open(role, round_, client_as):
    client = client_as(role)
    seen, todo = set(), [reverse("evaluation:index"), reverse("portal:staff-home")]
    while todo:
        page = client.get(todo.pop())
        for link in LINK.findall(page.content.decode()):
            if link not in seen:
                seen.add(link)
                assert client.get(link).status_code == 200, link
                if link.endswith("/"):
                    todo.append(link)
    assert reverse("evaluation:index") in seen


def test_staff_home_links_to_the_evaluation_only_for_who_may_open_it(
    round_, client_as, other_officer
):
    link = reverse("evaluation:index").encode()
    assert link in client_as(Role.SUPERVISOR).get(reverse("portal:staff-home")).content
    assert link in client_as(Role.HEAD).get(reverse("portal:staff-home")).content
    outsider = client_for(client_as, "other_officer", other_officer)
    assert link not in outsider.get(reverse("portal:staff-home")).content


def line(round_, code):
    return Criterion.objects.get(criteria_set=round_.criteria_set, code=code)


def test_the_head_self_assesses_a_line_with_evidence_without_javascript(round_, client_as):
    assessment = own(round_)
    dialogue_link = "/doi-thoai/"
    response = client_as(Role.HEAD).post(
        reverse("evaluation:self-score", args=[assessment.pk, line(round_, "1.1").pk]),
        {"points": "27,5", "note": "Kế hoạch số 12/KH-UBND.", "links": dialogue_link,
         "evidence": SimpleUploadedFile("ke-hoach.pdf", PDF, "application/pdf")},
    )  # fmt: skip
    assert response.status_code == 302
    [entry] = ScoreEntry.objects.filter(assessment=assessment, stage=Stage.SELF)
    assert (entry.points, entry.note) == (D("27.50"), "Kế hoạch số 12/KH-UBND.")
    assert sorted(e.link or e.name for e in assessment.evidence.all()) == [
        "/doi-thoai/", "ke-hoach.pdf"]  # fmt: skip
    page = client_as(Role.HEAD).get(reverse("evaluation:assessment", args=[assessment.pk]))
    assert b'<a href="/doi-thoai/">/doi-thoai/</a>' in page.content


def test_a_refused_line_comes_back_with_its_message_and_nothing_saved(round_, client_as):
    assessment = own(round_)
    response = client_as(Role.HEAD).post(
        reverse("evaluation:self-score", args=[assessment.pk, line(round_, "1.1").pk]),
        {"points": "31", "links": "https://example.com/khac"},
    )  # fmt: skip
    assert response.status_code == 422
    text = response.content.decode()
    assert "Tối đa 30 điểm." in text
    assert "https://example.com/khac không phải là trang của nền tảng." in text
    assert (
        not ScoreEntry.objects.filter(assessment=assessment).exclude(stage=Stage.COMPUTED).exists()
    )


def test_an_officer_not_named_cannot_self_assess(round_, client_as):
    assessment = own(round_)
    response = client_as(Role.HANDLING_OFFICER).post(
        reverse("evaluation:self-score", args=[assessment.pk, line(round_, "1.1").pk]),
        {"points": "10"},
    )
    assert response.status_code == 403
    assert not ScoreEntry.objects.filter(assessment=assessment, stage=Stage.SELF).exists()


def test_the_head_names_an_officer_who_then_self_assesses(round_, client_as, demo_user):
    assessment = own(round_)
    officer = demo_user(Role.HANDLING_OFFICER)
    response = client_as(Role.HEAD).post(reverse("evaluation:assessor", args=[assessment.pk]),
                                         {"assessor": officer.pk})  # fmt: skip
    assert response.status_code == 302
    response = client_as(Role.HANDLING_OFFICER).post(
        reverse("evaluation:self-score", args=[assessment.pk, line(round_, "1.1").pk]),
        {"points": "10"},
    )
    assert response.status_code == 302
    assert ScoreEntry.objects.get(assessment=assessment, stage=Stage.SELF).by == officer


def test_a_computed_line_has_no_form_for_the_unit(round_, client_as):
    assessment = own(round_)
    page = client_as(Role.HEAD).get(reverse("evaluation:assessment", args=[assessment.pk]))
    computed = line(round_, "1.2").pk
    assert (
        reverse("evaluation:self-score", args=[assessment.pk, computed]).encode()
        not in page.content
    )
    assert "Tính từ dữ liệu của nền tảng; đơn vị không sửa được." in page.content.decode()
    response = client_as(Role.HEAD).post(
        reverse("evaluation:self-score", args=[assessment.pk, computed]), {"points": "20"}
    )
    assert response.status_code == 422
    assert not ScoreEntry.objects.filter(assessment=assessment, stage=Stage.SELF).exists()


def test_the_auditor_reads_but_cannot_review(round_, client_as, demo_user):
    services.round_start_review(round_=round_, by=demo_user(Role.SUPERVISOR))
    assessment = own(round_)
    response = client_as(Role.AUDITOR).post(
        reverse("evaluation:review-score", args=[assessment.pk, line(round_, "1.1").pk]),
        {"points": "10", "reason": "thử"},
    )
    assert response.status_code == 403
    assert not ScoreEntry.objects.filter(stage=Stage.REVIEW).exists()


def test_the_supervisor_reviews_with_a_reason_through_the_page(round_, client_as, demo_user):
    services.round_start_review(round_=round_, by=demo_user(Role.SUPERVISOR))
    assessment = own(round_)
    target = reverse("evaluation:review-score", args=[assessment.pk, line(round_, "1.1").pk])
    refused = client_as(Role.SUPERVISOR).post(target, {"points": "10", "reason": ""})
    assert refused.status_code == 422
    assert "Nêu lý do thay đổi từ 0 thành 10 điểm." in refused.content.decode()
    done = client_as(Role.SUPERVISOR).post(target, {"points": "10", "reason": "Có minh chứng."})
    assert done.status_code == 302
    assert ScoreEntry.objects.get(stage=Stage.REVIEW).reason == "Có minh chứng."
    finish = client_as(Role.SUPERVISOR).post(
        reverse("evaluation:review-done", args=[assessment.pk])
    )
    assert finish.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.REVIEWED


def test_units_do_not_see_the_review_before_publication(round_, client_as, demo_user):
    supervisor = demo_user(Role.SUPERVISOR)
    services.round_start_review(round_=round_, by=supervisor)
    assessment = own(round_)
    services.review_score(assessment=assessment, criterion=line(round_, "1.1"), points=D(5),
                          reason="Lý do riêng của đoàn thẩm định", by=supervisor)  # fmt: skip
    unit_page = client_as(Role.HEAD).get(reverse("evaluation:assessment", args=[assessment.pk]))
    assert "Lý do riêng của đoàn thẩm định" not in unit_page.content.decode()
    overseer = client_as(Role.AUDITOR).get(reverse("evaluation:assessment", args=[assessment.pk]))
    assert "Lý do riêng của đoàn thẩm định" in overseer.content.decode()


def test_the_supervisor_opens_a_round_through_the_form(client_as, small_set):
    from danvan.evaluation.tests.conftest import working_day

    agencies = Agency.objects.filter(code__in=["ubnd-c11953", "hy-so-xd"])
    data = {"year": 2026, "criteria_set": small_set.pk, "self_due": working_day(7).isoformat(),
            "review_due": working_day(21).isoformat(), "agencies": [a.pk for a in agencies]}  # fmt: skip
    response = client_as(Role.SUPERVISOR).post(reverse("evaluation:round-new"), data)
    assert response.status_code == 302
    round_ = small_set.rounds.get()
    assert sorted(round_.assessments.values_list("agency__code", flat=True)) == [
        "hy-so-xd", "ubnd-c11953"]  # fmt: skip


def test_a_deadline_on_a_day_off_is_refused(client_as, small_set):
    data = {"year": 2026, "criteria_set": small_set.pk, "self_due": "2026-11-29",  # a Sunday
            "review_due": "2026-12-15", "agencies": [Agency.objects.get(code="hy-so-xd").pk]}  # fmt: skip
    response = client_as(Role.SUPERVISOR).post(reverse("evaluation:round-new"), data)
    assert response.status_code == 422
    assert "29/11/2026 không phải là ngày làm việc; ngày làm việc kế tiếp là 30/11/2026." in (
        response.content.decode())  # fmt: skip
    assert not small_set.rounds.exists()


def test_a_unit_id_no_database_holds_is_refused_in_vietnamese_not_a_server_error(
    client_as, small_set
):
    """SQLite cannot bind an integer past 64 bits: the id never reaches the query."""
    from danvan.evaluation.tests.conftest import working_day

    too_long = "9" * 30
    data = {"year": 2026, "criteria_set": small_set.pk, "self_due": working_day(7).isoformat(),
            "review_due": working_day(21).isoformat(),
            "agencies": [Agency.objects.get(code="hy-so-xd").pk, too_long]}  # fmt: skip
    response = client_as(Role.SUPERVISOR).post(reverse("evaluation:round-new"), data)
    assert response.status_code == 422
    assert f"“{too_long}” không phải là giá trị hợp lệ." in response.content.decode()
    assert not small_set.rounds.exists()


def test_the_results_table_opens(round_, client_as):
    response = client_as(Role.SUPERVISOR).get(reverse("evaluation:ranking-xlsx", args=[round_.pk]))
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Kết quả", "Điểm từng tiêu chí"]
    rows = list(book["Kết quả"].iter_rows(values_only=True))
    assert rows[2][:4] == ("Hạng", "Mã đơn vị", "Cơ quan, đơn vị, địa phương", "Nhóm")
    assert len(rows) == 3 + 4


VIETNAMESE_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"[aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ]{1,3}"
    r"(ng|nh|ch|[cmnptiyou])?$",
    re.IGNORECASE,
)
ENGLISH_THAT_LOOKS_VIETNAMESE = {"the", "to", "in", "on", "at", "a", "an", "is", "of", "and"}


def foreign_words(text):
    """Words that are neither a Vietnamese syllable nor a number, code or abbreviation."""
    words = re.findall(r"[^\W\d_]+", text)
    return sorted({w for w in words if w.lower() in ENGLISH_THAT_LOOKS_VIETNAMESE
                   or not (w.isupper() or VIETNAMESE_SYLLABLE.match(w))})  # fmt: skip


def test_the_word_check_finds_english():
    assert foreign_words("Điều 1. Công bố kết quả, score and tier of the unit") == [
        "and", "of", "score", "the", "tier", "unit"]  # fmt: skip


def test_the_decision_is_entirely_in_vietnamese(round_, client_as, demo_user):
    client = client_as(Role.SUPERVISOR)
    client.cookies["danvan_language"] = "en"  # whoever clicks, a state document is Vietnamese
    response = client.get(reverse("evaluation:decision", args=[round_.pk]))
    document = docx.Document(BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join(texts)
    assert "QUYẾT ĐỊNH" in text
    assert (
        "Về việc công bố kết quả đánh giá, xếp loại công tác dân vận chính quyền năm 2026" in text
    )
    assert "Ủy ban nhân dân Phường Phố Hiến" in text
    assert foreign_words(text) == []


def queries_for(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["round", "ranking", "own"])
def test_a_page_costs_the_same_queries_for_2_units_as_for_4(page, open_round, client_as, province):
    from danvan.evaluation.models import Round

    client = client_as(Role.SUPERVISOR)
    counts = []
    for codes in (
        ["ubnd-c11953", "hy-so-xd"],
        ["ubnd-c11953", "ubnd-c11977", "ubnd-c11983", "hy-so-xd"],
    ):
        Round.objects.filter(province=province).update(year=2020)  # a round a year
        round_ = open_round(codes=codes)
        client.get(url(page, round_))  # warm the per-process caches
        counts.append(queries_for(client, url(page, round_)))
    assert counts[0] == counts[1]
