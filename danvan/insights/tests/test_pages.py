"""The overview, the letters behind its figures and the reports: who sees what."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from openpyxl import load_workbook

from danvan.accounts.roles import Role
from danvan.cases.models import Case
from danvan.insights.rollup import refresh
from danvan.places.models import Agency

pytestmark = pytest.mark.django_db
URL = "/staff/insights/"
SEEING = {Role.HEAD, Role.SUPERVISOR, Role.AUDITOR}


@pytest.mark.parametrize("role", list(Role))
def test_role_matrix_of_the_overview_and_its_links(client_as, role):
    client = client_as(role)
    expected = 200 if role in SEEING else 403
    assert client.get(URL).status_code == expected
    assert client.get(f"{URL}letters/").status_code == expected
    assert client.get(f"{URL}bao-cao.xlsx").status_code == expected
    home = client.get("/").content.decode()
    assert (f'href="{URL}"' in home) == (role in SEEING)
    if role not in {Role.CITIZEN, Role.ADMINISTRATOR}:
        staff_home = client.get("/staff/").content.decode()
        assert (f'href="{URL}"' in staff_home) == (role in SEEING)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.fixture
def letters(submit, pho_hien):
    """Two letters of the demo commune (one a denunciation) and one of a provincial agency."""
    mine = [submit(kind="feedback"), submit(kind="denunciation", name="Trần Văn Bí Mật")]
    other = submit(kind="petition")
    Case.objects.filter(pk=other.pk).update(agency=Agency.objects.get(code="hy-so-xd"))
    refresh()
    return mine, other


def test_the_supervisor_sees_the_province(client_as, letters):
    page = client_as(Role.SUPERVISOR).get(URL).content.decode()
    assert "Sở Xây dựng" in page
    assert "Phường Phố Hiến" in page
    assert '<svg class="chart"' in page
    assert "<table>" in page


def test_a_head_sees_their_agency_only(client_as, letters):
    client = client_as(Role.HEAD)
    page = client.get(URL).content.decode()
    assert "Sở Xây dựng" not in page
    works = Agency.objects.get(code="hy-so-xd").pk
    assert client.get(f"{URL}letters/?what=received&agency={works}").status_code == 404


def test_the_supervisor_drills_down_without_opening_a_letter(client_as, letters):
    mine, _other = letters
    commune = mine[0].agency_id
    page = client_as(Role.SUPERVISOR).get(f"{URL}letters/?what=received&agency={commune}")
    text = page.content.decode()
    assert page.status_code == 200
    assert f"#{mine[0].pk}" in text
    assert f"#{mine[1].pk}" in text
    assert mine[0].tracking_code not in text  # the citizen's key to the letter
    assert "/staff/cases/" not in text
    assert "Trần Văn Bí Mật" not in text
    assert "Nguyễn Văn An" not in text


def test_the_auditor_drills_down_to_the_letters_pages(client_as, letters):
    mine, _other = letters
    page = client_as(Role.AUDITOR).get(f"{URL}letters/?what=open").content.decode()
    assert f'href="/staff/cases/{mine[0].pk}/"' in page
    assert "Trần Văn Bí Mật" not in page


def test_a_figure_and_the_list_behind_it_agree(client_as, letters):
    mine, _other = letters
    client = client_as(Role.HEAD)
    overview = client.get(f"{URL}?kind=denunciation").content.decode()
    assert f'what=received&amp;agency={mine[0].agency_id}">1</a>' in overview
    behind = client.get(f"{URL}letters/?what=received&kind=denunciation").content.decode()
    assert f"/staff/cases/{mine[1].pk}/" in behind
    assert f"/staff/cases/{mine[0].pk}/" not in behind


@pytest.mark.parametrize("query", ["period=2026-13", "unit=abc", "kind=x", "topic=99999999"])
def test_bad_filters_get_a_message_and_no_figures(client_as, query):
    response = client_as(Role.SUPERVISOR).get(f"{URL}?{query}")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


@pytest.mark.parametrize("query", ["what=nothing", "agency=12x", "what=hot&issue=99999"])
def test_a_list_behind_nothing_is_not_found(client_as, query):
    assert client_as(Role.SUPERVISOR).get(f"{URL}letters/?{query}").status_code == 404


def test_the_overview_reads_as_many_queries_whatever_the_letters(client_as, submit):
    client = client_as(Role.SUPERVISOR)
    submit()
    refresh()
    client.get(URL)  # the session and reference data, read once
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for kind in ("feedback", "petition", "complaint", "denunciation") * 3:
        submit(kind=kind)
    refresh()
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)


def test_the_reports_open_and_say_what_the_overview_says(client_as, letters):
    client = client_as(Role.SUPERVISOR)
    sheet = client.get(f"{URL}bao-cao.xlsx?period=2026-Q4")
    assert sheet["Content-Disposition"].startswith("attachment;")
    book = load_workbook(BytesIO(sheet.content))
    assert book.sheetnames == ["Tổng hợp", "Theo cơ quan", "Theo xã, phường", "Theo tháng"]
    rows = list(book["Tổng hợp"].iter_rows(values_only=True))
    assert rows[0][0].endswith("quý IV năm 2026")
    totals = {row[0]: row[1] for row in rows[3:8]}
    assert totals == {"Phản ánh": 1, "Kiến nghị": 1, "Khiếu nại": 0, "Tố cáo": 1, "Tổng số": 3}
    docx = client.get(f"{URL}bao-cao.docx?period=2026-Q4")
    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    assert "BÁO CÁO" in text
    assert "quý IV năm 2026" in text
    assert "Tiếp nhận 3 đơn" in text
    assert "Trần Văn Bí Mật" not in text


def test_the_letters_behind_a_figure_page_by_receipt(client_as, submit, monkeypatch):
    from danvan.insights import drilldown

    monkeypatch.setattr(drilldown, "PAGE_SIZE", 2)
    made = [submit(title=f"Đèn {n}") for n in range(3)]
    client = client_as(Role.AUDITOR)
    first = client.get(f"{URL}letters/?what=received&period=2026-11")
    key = first.context["page"].next_key
    assert [c.pk for c in first.context["page"].rows] == [made[2].pk, made[1].pk]
    second = client.get(f"{URL}letters/", {"what": "received", "period": "2026-11", "after": key})
    assert [c.pk for c in second.context["page"].rows] == [made[0].pk]
    assert second.context["page"].next_key is None
    again = client.get(f"{URL}letters/?what=received&period=2026-11&after=nonsense")
    assert [c.pk for c in again.context["page"].rows] == [made[2].pk, made[1].pk]


def test_a_commune_and_a_topic_together_read_the_finest_rows(client_as, letters, pho_hien):
    from danvan.cases.models import Topic

    lights = Topic.objects.get(code="ha-tang").pk
    page = client_as(Role.SUPERVISOR).get(f"{URL}?unit={pho_hien.pk}&topic={lights}")
    overview = page.context["o"]
    assert overview.total.received == 3  # about the commune, whichever agency holds it
    assert [c.name for c in overview.communes if c.key] == ["Phường Phố Hiến"]
    waste = Topic.objects.get(code="rac-thai").pk
    other = client_as(Role.SUPERVISOR).get(f"{URL}?unit={pho_hien.pk}&topic={waste}")
    assert other.context["o"].total.received == 0
