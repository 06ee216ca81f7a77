"""The number and header of an agency's next official document (NĐ 30/2020).

Each agency numbers its documents in one series a year; the symbol joins the type of the
document and the agency's abbreviation ("12/TB-UBND", Phụ lục III).
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F

from danvan.places.models import Agency

from .filling import DocumentKind
from .models import DocumentNumber
from .services import official_header

# Kind of document -> type in its symbol (NĐ 30/2020 Phụ lục III): TB notice, PC slip.
SYMBOL_TYPE = {DocumentKind.ACCEPTANCE_NOTICE: "TB", DocumentKind.FORWARDING_SLIP: "PC",
               DocumentKind.DECLINE_NOTICE: "TB", DocumentKind.ANSWER: "",
               DocumentKind.CONCLUSION_NOTICE: "TB"}  # fmt: skip
_LEVEL_WORDS = ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ", "Thị trấn ")


def agency_header(
    agency: Agency, kind: str, on: date, *, kind_type: str | None = None
) -> dict[str, Any]:
    """The NĐ 30/2020 header of `agency`'s next document of `kind`, numbered in its yearly
    series (the number is taken: a document abandoned after this leaves a gap). `kind_type`
    overrides the kind's type in the symbol (an answer that is a decision: "QĐ")."""
    abbreviation = _abbreviation(agency)
    if kind_type is None:
        kind_type = SYMBOL_TYPE[DocumentKind(kind)]
    return official_header(
        superior=agency.parent.name if agency.parent else "",
        agency=agency.name,
        number=str(number_take(agency, on.year)),
        symbol=f"{kind_type}-{abbreviation}" if kind_type else abbreviation,
        place=place_name(agency.home_unit.name),
        on=on,
    )


def number_take(agency: Agency, year: int) -> int:
    """The next number of the agency's series for the year, taken for good."""
    with transaction.atomic():
        DocumentNumber.objects.get_or_create(agency=agency, year=year)
        DocumentNumber.objects.filter(agency=agency, year=year).update(last=F("last") + 1)
        return DocumentNumber.objects.get(agency=agency, year=year).last


def place_name(unit_name: str) -> str:
    """The place a document is dated at: the unit's name without its level ("Phố Hiến")."""
    for word in _LEVEL_WORDS:
        if unit_name.startswith(word):
            return unit_name[len(word) :]
    return unit_name


def _abbreviation(agency: Agency) -> str:
    if agency.type == Agency.Type.PEOPLES_COMMITTEE:
        return "UBND"
    if agency.type == Agency.Type.INSPECTORATE:
        return "TTr"
    return agency.short_name or agency.code.upper()
