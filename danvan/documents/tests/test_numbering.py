"""Numbering an agency's documents: one series a year, a symbol by kind and agency."""

from datetime import date

import pytest

from danvan.documents.filling import DocumentKind
from danvan.documents.numbering import agency_header, number_take, place_name
from danvan.places.models import Agency


@pytest.mark.parametrize(
    ("unit", "place"),
    [("Phường Phố Hiến", "Phố Hiến"), ("Xã Minh Tân", "Minh Tân"), ("Tỉnh Hưng Yên", "Hưng Yên"),
     ("Thành phố Hà Nội", "Hà Nội"), ("Đặc khu Côn Đảo", "Côn Đảo"), ("Hưng Yên", "Hưng Yên")],
)  # fmt: skip
def test_a_document_is_dated_at_the_units_name_without_its_level(unit, place):
    assert place_name(unit) == place


@pytest.fixture
def committee(db):
    return Agency.objects.filter(
        type=Agency.Type.PEOPLES_COMMITTEE, home_unit__level="commune", parent__isnull=False
    ).first()


def test_each_agency_numbers_its_documents_in_a_series_a_year(committee):
    other = Agency.objects.exclude(pk=committee.pk).first()
    assert other is not None
    assert [number_take(committee, 2026) for _ in range(3)] == [1, 2, 3]
    assert number_take(other, 2026) == 1
    assert number_take(committee, 2027) == 1
    assert number_take(committee, 2026) == 4


@pytest.mark.parametrize(
    ("kind", "symbol"),
    [(DocumentKind.ACCEPTANCE_NOTICE, "TB-UBND"), (DocumentKind.FORWARDING_SLIP, "PC-UBND"),
     (DocumentKind.ANSWER, "UBND")],
)  # fmt: skip
def test_the_header_takes_the_next_number_and_the_symbol_of_the_kind(committee, kind, symbol):
    first = agency_header(committee, kind, date(2026, 2, 5))
    second = agency_header(committee, kind, date(2026, 11, 23))
    assert (first["number"], first["symbol"], first["day"], first["month"]) == (
        "01",
        symbol,
        "05",
        "02",
    )
    assert second["number"] == "02"
    assert first["agency"] == committee.name
    assert first["superior"] == committee.parent.name
    assert first["place"] == place_name(committee.home_unit.name)
