"""Official documents in the format of Nghị định 30/2020/NĐ-CP, rendered as DOCX.

`render_document(kind, context)` fills the template an administrator uploaded for the kind,
or else the default one in `templates_docx/`. Every kind needs every key listed in `FIELDS`;
a key that is absent or None raises `MissingField`. An empty string or list leaves the part
out where the template allows it (`recipient` of an answer, which a decision has not).

Every kind:
    superior, agency, number, symbol, place, day, month, year
        the header; build them with `official_header`. `agency` is the issuing agency's
        name in ordinary case ("Ủy ban nhân dân phường Phố Hiến"): the header prints it in
        capitals and the body as it is.
    recipients
        list of lines of "Nơi nhận:" without the leading dash ("Như trên;", "Lưu: VT.").
    signer_title, signer_name
        "TM. Ủy ban nhân dân\\nChủ tịch" (printed in capitals, one line each), "Phạm Thị Dung".

The letter being answered, in every kind:
    recipient (the addressee of "Kính gửi:"; for a forwarding slip the competent agency),
    petitioner (who sent the letter), kind_label ("đơn khiếu nại", "đơn kiến nghị"),
    tracking_code, received_date, subject (what the letter asks), legal_basis (completes
    "Căn cứ ...": "Điều 27 Luật Khiếu nại năm 2011").

And by kind:
    acceptance_notice: deadline (the last day to resolve it)
    decline_notice:    reason (why it is not accepted)
    answer:            title ("Văn bản trả lời", "Quyết định"), answer (the text)

Dates (`date` or `datetime`) print as dd/mm/yyyy. A line break in any text starts a new
paragraph with the same formatting. Text is escaped and stripped of the control characters
XML cannot hold, so a citizen's words never break the file.
"""

from collections.abc import Mapping
from datetime import date
from io import BytesIO

from .filling import FIELDS, DocumentKind, MissingField, default_template, fill
from .models import DocumentTemplate

__all__ = ["FIELDS", "DocumentKind", "MissingField", "official_header", "render_document"]


def render_document(kind: str, context: Mapping[str, object]) -> bytes:
    """The document of this kind filled with the context, as the bytes of a DOCX file."""
    kind = DocumentKind(kind)
    uploaded = DocumentTemplate.objects.filter(kind=kind, is_active=True).first()
    if uploaded is None:
        return fill(kind, default_template(kind), context)
    with uploaded.file.open("rb") as handle:
        data = handle.read()
    return fill(kind, BytesIO(data), context)


def official_header(
    *, superior: str, agency: str, number: str, symbol: str, place: str, on: date
) -> dict[str, str]:
    """The header fields as NĐ 30/2020 writes them (Phụ lục I, Mục II.3 and II.4).

    A number below 10, a day below 10 and the months January and February take a leading
    zero: "Số: 05/TB-UBND", "ngày 05 tháng 02 năm 2026", but "ngày 23 tháng 11".
    """
    return {
        "superior": superior,
        "agency": agency,
        "number": number.zfill(2) if number.isdigit() else number,
        "symbol": symbol,
        "place": place,
        "day": f"{on.day:02d}",
        "month": f"{on.month:02d}" if on.month < 3 else str(on.month),
        "year": str(on.year),
    }
