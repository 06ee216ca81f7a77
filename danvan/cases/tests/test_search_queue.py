"""Officers search their letters by words, with or without accents, with the queue filters."""

import pytest

from danvan.accounts.roles import Role
from danvan.cases import services as s
from danvan.cases.models import Case
from danvan.places.models import Agency
from testsupport.queries import queries_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters(submit):
    return {
        "land": submit(kind="complaint", title="Giải phóng mặt bằng chậm",
                       content="Dự án giải phóng mặt bằng đường vành đai kéo dài hai năm."),
        "loose": submit(title="Giai phong mat bang", content="giai phong mat bang o thon Dong"),
        "lights": submit(title="Đèn đường hỏng", content="Đèn đường trước trường tiểu học hỏng."),
    }  # fmt: skip


def test_an_unaccented_query_finds_accented_letters_and_marks_the_words(letters, client_as):
    page = client_as(Role.HANDLING_OFFICER).get("/staff/cases/", {"q": "giai phong mat bang"})
    body = page.content.decode()
    assert letters["land"].tracking_code in body
    assert letters["lights"].tracking_code not in body
    assert "<mark>Giải phóng mặt bằng</mark> chậm" in body


def test_the_exact_accented_match_ranks_first(letters, client_as):
    body = client_as(Role.HANDLING_OFFICER).get("/staff/cases/", {"q": "giải phóng mặt bằng"})
    text = body.content.decode()
    assert text.index(letters["land"].tracking_code) < text.index(letters["loose"].tracking_code)


def test_search_reaches_finished_letters_and_keeps_the_filters(letters, client_as, handler):
    s.case_decline(case=letters["land"], by=handler, reason="withdrawn", note="Rút đơn.")
    client = client_as(Role.HANDLING_OFFICER)
    assert (
        letters["land"].tracking_code
        in client.get("/staff/cases/", {"q": "giai phong"}).content.decode()
    )
    kinds = client.get("/staff/cases/", {"q": "giai phong", "kind": "feedback"}).content.decode()
    assert letters["land"].tracking_code not in kinds
    assert letters["loose"].tracking_code in kinds


def test_an_officer_never_finds_another_agencys_letters(letters, client_as):
    Case.objects.filter(pk=letters["land"].pk).update(agency=Agency.objects.get(code="hy-cong-an"))
    from danvan.language.search import index_document

    land = Case.objects.get(pk=letters["land"].pk)
    index_document(source="case", source_id=land.pk, scope_id=land.agency_id,
                   title=land.title, body=land.content)  # fmt: skip
    body = client_as(Role.HANDLING_OFFICER).get("/staff/cases/", {"q": "vanh dai"}).content.decode()
    assert land.tracking_code not in body
    auditor = client_as(Role.AUDITOR).get("/staff/cases/", {"q": "vanh dai"}).content.decode()
    assert land.tracking_code in auditor


def test_search_query_count_is_constant(letters, submit, client_as):
    """The same queries whether the search finds 2 letters or 12."""
    client = client_as(Role.HANDLING_OFFICER)
    codes: list[str] = []
    found: list[int] = []

    def search():
        page = client.get("/staff/cases/", {"q": "giai phong mat bang"}).content.decode()
        found.append(sum(code in page for code in codes))

    search()  # warm: the session's device and the reference data are read once
    codes += [submit(title=f"Giải phóng mặt bằng {n}").tracking_code for n in range(2)]
    few = queries_of(search)
    codes += [submit(title=f"Giải phóng mặt bằng {n}").tracking_code for n in range(2, 12)]
    many = queries_of(search)
    assert found == [0, 2, 12]
    assert few == many
