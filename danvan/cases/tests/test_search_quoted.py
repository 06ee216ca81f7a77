"""The queue's search box finds a letter by what a caller quotes: code, phone or name."""

import re

import pytest

from danvan.accounts.roles import Role
from danvan.cases.models import Case
from danvan.places.models import Agency
from testsupport.queries import queries_of

pytestmark = pytest.mark.django_db


def _rows(client, words: str) -> str:
    """The result rows only: the search box above them repeats the words typed."""
    page = client.get("/staff/cases/", {"q": words}).content.decode()
    [rows] = re.findall(r'<tbody id="queue-rows">.*?</tbody>', page, re.DOTALL)
    return str(rows)


@pytest.fixture
def letters(submit):
    return {
        "an": submit(title="Đèn đường hỏng"),
        "binh": submit(title="Rác thải ven sông", name="Trần Thị Bình", phone="+84987654321"),
        "sealed": submit(kind="denunciation", title="Cán bộ địa chính nhận tiền",
                         name="Phạm Thị Hoa", phone="+84977111222"),
    }  # fmt: skip


@pytest.mark.parametrize("spelled", ["upper", "lower", "spaced", "bare"])
def test_a_tracking_code_is_found_however_it_is_typed(letters, client_as, spelled):
    code = letters["binh"].tracking_code
    bare = code.replace("-", "")
    typed = {"upper": code, "lower": code.lower(), "spaced": " ".join(re.findall("....", bare)),
             "bare": f"  {bare.lower()} "}[spelled]  # fmt: skip
    page = _rows(client_as(Role.HANDLING_OFFICER), typed)
    assert code in page
    assert letters["an"].tracking_code not in page


@pytest.mark.parametrize(
    "typed", ["0987 654 321", "0987.654.321", "0987-654-321", "+84987654321", "84987654321",
              "(0987) 654321"],
)  # fmt: skip
def test_a_phone_is_found_in_any_common_format(letters, client_as, typed):
    page = _rows(client_as(Role.HANDLING_OFFICER), typed)
    assert letters["binh"].tracking_code in page
    assert letters["an"].tracking_code not in page


def test_a_name_is_found_in_any_case_and_spacing(letters, client_as):
    page = _rows(client_as(Role.HANDLING_OFFICER), "trần  Thị Bình")
    assert letters["binh"].tracking_code in page
    assert letters["an"].tracking_code not in page


@pytest.mark.parametrize("role", [Role.HANDLING_OFFICER, Role.HEAD, Role.AUDITOR])
def test_a_sealed_letter_is_never_found_by_its_denouncer(letters, client_as, role):
    client = client_as(role)
    for typed in ("Phạm Thị Hoa", "pham thi hoa", "0977 111 222", "+84977111222"):
        assert letters["sealed"].tracking_code not in _rows(client, typed), typed


def test_a_reclassified_sealed_letter_stays_unfound_by_identity(letters, client_as):
    # Even if the plain columns were ever refilled, identity_sealed keeps the letter out.
    Case.objects.filter(pk=letters["sealed"].pk).update(kind="complaint",
                                                        submitter_name="Phạm Thị Hoa")  # fmt: skip
    page = _rows(client_as(Role.HANDLING_OFFICER), "Phạm Thị Hoa")
    assert letters["sealed"].tracking_code not in page


def test_quoted_search_stays_within_the_officers_scope(letters, client_as):
    other = Agency.objects.get(code="hy-cong-an")
    Case.objects.filter(pk=letters["binh"].pk).update(agency=other)
    client = client_as(Role.HANDLING_OFFICER)
    for typed in (letters["binh"].tracking_code, "0987654321", "Trần Thị Bình"):
        assert letters["binh"].tracking_code not in _rows(client, typed), typed
    assert letters["binh"].tracking_code in _rows(client_as(Role.AUDITOR), "0987654321")


def test_quoted_search_query_count_is_constant(submit, client_as):
    """The same queries whether a phone names 2 letters or 12."""
    client = client_as(Role.HANDLING_OFFICER)
    codes: list[str] = []
    found: list[int] = []

    def search():
        page = _rows(client, "0966 000 111")
        found.append(sum(code in page for code in codes))

    search()  # warm: the session's device and the reference data are read once
    codes += [submit(title=f"Ổ gà {n}", phone="+84966000111").tracking_code for n in range(2)]
    few = queries_of(search)
    codes += [submit(title=f"Ổ gà {n}", phone="+84966000111").tracking_code for n in range(2, 12)]
    many = queries_of(search)
    assert found == [0, 2, 12]
    assert few == many
