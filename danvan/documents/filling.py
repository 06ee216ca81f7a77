"""The document kinds, the fields each one needs, and filling a DOCX template with them.

Kept apart from `models` and `services` so that the model can check an uploaded template
with the same code that fills it, without importing the services.
"""

from collections.abc import Mapping
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import IO

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from danvan.core.text import clean_output

DEFAULT_DIR = Path(__file__).resolve().parent / "templates_docx"


class DocumentKind(models.TextChoices):
    ACCEPTANCE_NOTICE = "acceptance_notice", _("Acceptance notice")  # Thông báo thụ lý
    FORWARDING_SLIP = "forwarding_slip", _("Forwarding slip")  # Phiếu chuyển đơn
    DECLINE_NOTICE = "decline_notice", _("Decline notice")  # Thông báo không thụ lý
    ANSWER = "answer", _("Answer or decision")  # Văn bản trả lời / quyết định giải quyết
    CONCLUSION_NOTICE = "conclusion_notice", _("Reception conclusion notice")  # TB kết luận
    # Quyết định công bố kết quả đánh giá, xếp loại công tác dân vận chính quyền.
    EVALUATION_DECISION = "evaluation_decision", _("Decision on the evaluation results")
    # Báo cáo định kỳ công tác tiếp công dân, xử lý đơn thư, giải quyết khiếu nại, tố cáo.
    PERIODIC_REPORT = "periodic_report", _("Periodic report on reception and letters")


# Every document has the NĐ 30/2020 header (`official_header` builds it) and closing block.
HEADER = ["superior", "agency", "number", "symbol", "place", "day", "month", "year"]
CLOSING = ["recipients", "signer_title", "signer_name"]
_LETTER = ["recipient", "petitioner", "kind_label", "tracking_code", "received_date", "subject"]

FIELDS: dict[str, list[str]] = {
    DocumentKind.ACCEPTANCE_NOTICE: [*HEADER, *_LETTER, "legal_basis", "deadline", *CLOSING],
    DocumentKind.FORWARDING_SLIP: [*HEADER, *_LETTER, "legal_basis", *CLOSING],
    DocumentKind.DECLINE_NOTICE: [*HEADER, *_LETTER, "legal_basis", "reason", *CLOSING],
    DocumentKind.ANSWER: [*HEADER, "title", *_LETTER, "legal_basis", "answer", *CLOSING],
    # After a reception session chaired by the head (TT 04/2021): what the head concluded.
    DocumentKind.CONCLUSION_NOTICE: [
        *HEADER,
        "leader",
        "session_date",
        "session_place",
        "conclusion",
        *CLOSING,
    ],
    # A draft for the provincial People's Committee to number and sign: the results of a
    # round of evaluation, the emulation flags proposed and the table of every unit.
    DocumentKind.EVALUATION_DECISION: [
        *HEADER,
        "authority",
        "round_year",
        "bases",
        "set_name",
        "count",
        "flags",
        "ineligible",
        "rows",
        *CLOSING,
    ],
    # The province's (or an agency's) periodic report for a month, quarter, half or year:
    # sections of text, a table per kind of letter, and an annex with every agency.
    DocumentKind.PERIODIC_REPORT: [*HEADER, "period", "sections", "kinds", "agencies", *CLOSING],
}

# Values an uploaded template is tried with before it is accepted.
SAMPLE: dict[str, object] = {
    "superior": "Ủy ban nhân dân tỉnh Hưng Yên",
    "agency": "Ủy ban nhân dân phường Phố Hiến",
    "number": "12",
    "symbol": "TB-UBND",
    "place": "Phố Hiến",
    "day": "23",
    "month": "11",
    "year": "2026",
    "title": "Văn bản trả lời",
    "recipient": "Ông Nguyễn Văn An",
    "petitioner": "Ông Nguyễn Văn An",
    "kind_label": "đơn kiến nghị",
    "tracking_code": "HY-2026-000123",
    "received_date": date(2026, 11, 20),
    "subject": "Kiến nghị sửa chữa đường giao thông thôn 3.",
    "legal_basis": "Điều 27 Luật Khiếu nại năm 2011",
    "deadline": date(2026, 12, 21),
    "reason": "Đơn không ghi rõ họ tên, địa chỉ của người gửi.",
    "answer": "Đoạn thứ nhất.\nĐoạn thứ hai.",
    "leader": "Chủ tịch Ủy ban nhân dân phường Phố Hiến Phạm Thị Dung",
    "session_date": date(2026, 11, 20),
    "session_place": "Trụ sở tiếp công dân phường Phố Hiến",
    "conclusion": "Giao Phòng Kinh tế kiểm tra, báo cáo trước ngày 30/11/2026.",
    "authority": "Chủ tịch Ủy ban nhân dân tỉnh Hưng Yên",
    "round_year": "2026",
    "bases": ["Luật Tổ chức chính quyền địa phương;", "Đề nghị của Giám đốc Sở Nội vụ."],
    "set_name": "Bộ tiêu chí đánh giá công tác dân vận chính quyền",
    "count": "2",
    "flags": ["Hạng Nhất: Ủy ban nhân dân phường Phố Hiến"],
    "ineligible": ["Ủy ban nhân dân xã Tân Hưng: để xảy ra khiếu nại đông người kéo dài."],
    "rows": [
        {
            "rank": "1",
            "name": "Ủy ban nhân dân phường Phố Hiến",
            "group": "Xã, phường",
            "score": "92,50",
            "tier": "Xuất sắc",
            "flag": "Hạng Nhất",
        },
        {
            "rank": "2",
            "name": "Ủy ban nhân dân xã Tân Hưng",
            "group": "Xã, phường",
            "score": "70,00",
            "tier": "Không đủ điều kiện xếp loại",
            "flag": "",
        },
    ],
    "period": "quý IV năm 2026",
    "sections": [{"heading": "I. Công tác tiếp công dân", "lines": ["Tiếp 12 lượt công dân."]}],
    "kinds": [
        {
            "kind": "Khiếu nại",
            "received": "12",
            "on_time": "10",
            "late": "2",
            "on_time_pct": "83,3",
            "open": "4",
            "overdue": "1",
        }
    ],
    "agencies": [
        {
            "n": "1",
            "name": "Ủy ban nhân dân phường Phố Hiến",
            "received": "40",
            "on_time_pct": "90,0",
            "open": "5",
            "overdue": "1",
            "rating": "4,20",
            "reception": "3/3",
        }
    ],
    "recipients": ["Như trên;", "Lưu: VT."],
    "signer_title": "TM. Ủy ban nhân dân\nChủ tịch",
    "signer_name": "Phạm Thị Dung",
}


class MissingField(LookupError):
    """The context lacks a field the document needs: better no document than one with holes."""

    def __init__(self, kind: str, missing: list[str]) -> None:
        super().__init__(f"{kind} needs {', '.join(missing)}")
        self.kind = kind
        self.missing = missing


def sample_context(kind: str) -> dict[str, object]:
    return {key: SAMPLE[key] for key in FIELDS[kind]}


def default_template(kind: str) -> Path:
    return DEFAULT_DIR / f"{DocumentKind(kind).value}.docx"


def fill(kind: str, source: Path | IO[bytes], context: Mapping[str, object]) -> bytes:
    """The template filled with the context, as DOCX bytes; MissingField if a field is absent."""
    missing = [key for key in FIELDS[kind] if context.get(key) is None]
    if missing:
        raise MissingField(kind, missing)
    from docxtpl import DocxTemplate

    template = DocxTemplate(source)
    template.render({key: clean(value) for key, value in context.items()}, _environment())
    out = BytesIO()
    template.save(out)
    return out.getvalue()


def template_problem(kind: str, data: bytes) -> str:
    """Why a template cannot fill a document of this kind with sample values ("" if it can)."""
    try:
        fill(kind, BytesIO(data), sample_context(kind))
    # An upload can fail in the zip, the XML, Jinja or docxtpl, each with exceptions of its
    # own; any of them means the file is refused, and its message tells the administrator why.
    except Exception as error:
        return str(error) or type(error).__name__
    return ""


def clean(value: object) -> object:
    """A context value made safe and printable inside the document's XML.

    Line breaks become "\\a", which docxtpl turns into a new paragraph with the same
    formatting, so a multi-line answer keeps its lines and each line its indent.
    """
    if isinstance(value, str):
        # A control character makes Word refuse the whole file; a bidi override would
        # turn a name around in a state document. Text stored before the edge cleaned it
        # may still hold either.
        return clean_output(value).strip().replace("\n", "\a")
    if isinstance(value, datetime):
        return f"{timezone.localtime(value) if timezone.is_aware(value) else value:%d/%m/%Y}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, list | tuple):
        return [clean(item) for item in value]
    if isinstance(value, Mapping):
        return {key: clean(item) for key, item in value.items()}
    return value


def _environment() -> SandboxedEnvironment:
    # Autoescape keeps "<" and "&" in a citizen's text from breaking the XML; the sandbox and
    # StrictUndefined keep an uploaded template from reaching Python internals or printing
    # a field that does not exist.
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
