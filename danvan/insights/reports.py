"""The periodic report (month, quarter, six months, year) on reception, letters, complaints
and denunciations, as XLSX and as DOCX (NĐ 30/2020 layout, in Vietnamese), read by the
same queries as the overview (queries.py), with the same filters and scope."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from danvan.cases.workflow import Kind
from danvan.documents.services import DocumentKind, official_header, render_document
from danvan.documents.sheets import sheet_style
from danvan.places.models import Agency, Unit

from .access import Scope
from .queries import Figures, Filters, letters_by, overview

KIND_NAMES = {Kind.FEEDBACK: "Phản ánh", Kind.PETITION: "Kiến nghị", Kind.COMPLAINT: "Khiếu nại",
              Kind.DENUNCIATION: "Tố cáo"}  # fmt: skip
LETTER_HEADINGS = ["Tiếp nhận", "Đến hạn, giải quyết đúng hạn", "Trễ hạn",
                   "Tỷ lệ đúng hạn (%)", "Lượt đánh giá", "Điểm hài lòng bình quân (/5)",
                   "Đang giải quyết (hiện tại)", "Quá hạn (hiện tại)"]  # fmt: skip
AGENCY_HEADINGS = [*LETTER_HEADINGS, "Ngày tiếp dân phải tổ chức", "Ngày tiếp dân đã tổ chức",
                   "Cam kết hoàn thành đúng hạn", "Cam kết trễ hạn"]  # fmt: skip


@dataclass(frozen=True)
class ReportData:
    filters: Filters
    total: Figures
    kinds: list[tuple[str, Figures]]
    agencies: list[Figures]
    communes: list[Figures]
    trend: list[Figures]


def report_data(*, scope: Scope, filters: Filters) -> ReportData:
    found = overview(scope=scope, filters=filters)
    by_kind = letters_by(scope, filters, "kind")
    kinds = [(KIND_NAMES[k], by_kind.get(k.value) or Figures(k.value)) for k in Kind]
    return ReportData(filters, found.total, kinds, found.agencies, found.communes, found.trend)


def report_name(filters: Filters, fmt: str) -> str:
    return f"Báo cáo tiếp công dân và đơn thư {filters.period.code}.{fmt}"


def comma(value: Decimal | None) -> str:
    """A figure as Vietnamese documents print it: 83,3 ("" when nothing to measure)."""
    return "" if value is None else str(value).replace(".", ",")


def _letter_cells(row: Figures) -> list[object]:
    return [row.received, row.on_time, row.late, _float(row.on_time_pct), row.rated,
            _float(row.rating_avg), row.open, row.overdue]  # fmt: skip


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# XLSX -------------------------------------------------------------------------------------


def report_xlsx(*, scope: Scope, filters: Filters) -> bytes:
    data = report_data(scope=scope, filters=filters)
    book = Workbook()
    summary = book.worksheets[0]
    summary.title = "Tổng hợp"
    _summary_sheet(summary, data)
    _agencies_sheet(book.create_sheet("Theo cơ quan"), data)
    _named_sheet(book.create_sheet("Theo xã, phường"), "Xã, phường", data.communes)
    _trend_sheet(book.create_sheet("Theo tháng"), data)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _title(sheet: Worksheet, data: ReportData, what: str) -> None:
    sheet.append([f"{what} {data.filters.period.label_vi}"])
    sheet.append([f"Số liệu đến {timezone.localtime():%H:%M ngày %d/%m/%Y}"])


def _summary_sheet(sheet: Worksheet, data: ReportData) -> None:
    _title(sheet, data, "Báo cáo công tác tiếp công dân, xử lý đơn thư, khiếu nại, tố cáo")
    sheet.append(["Loại đơn", *LETTER_HEADINGS])
    for name, row in data.kinds:
        sheet.append([name, *_letter_cells(row)])
    sheet.append(["Tổng số", *_letter_cells(data.total)])
    sheet.append([])
    sheet.append(["Ngày tiếp công dân phải tổ chức", data.total.reception_required])
    sheet.append(["Ngày tiếp công dân đã tổ chức", data.total.reception_held])
    sheet_style(sheet, heading_row=3, widths=[34] + [14] * len(LETTER_HEADINGS))


def _agencies_sheet(sheet: Worksheet, data: ReportData) -> None:
    _title(sheet, data, "Số liệu theo cơ quan, đơn vị")
    sheet.append(["Cơ quan, đơn vị", *AGENCY_HEADINGS])
    for row in data.agencies:
        sheet.append([row.name, *_letter_cells(row), row.reception_required, row.reception_held,
                      row.commitments_on_time, row.commitments_late])  # fmt: skip
    sheet_style(sheet, heading_row=3, widths=[44] + [14] * len(AGENCY_HEADINGS))


def _named_sheet(sheet: Worksheet, heading: str, rows: list[Figures]) -> None:
    sheet.append([heading, *LETTER_HEADINGS])
    for row in rows:
        sheet.append([row.name or "Chưa xác định", *_letter_cells(row)])
    sheet_style(sheet, heading_row=1, widths=[34] + [14] * len(LETTER_HEADINGS))


def _trend_sheet(sheet: Worksheet, data: ReportData) -> None:
    sheet.append(["Tháng", "Tiếp nhận", "Đúng hạn", "Trễ hạn", "Tỷ lệ đúng hạn (%)"])
    for row in data.trend:
        month = row.key.strftime("%m/%Y") if isinstance(row.key, date) else ""
        sheet.append([month, row.received, row.on_time, row.late, _float(row.on_time_pct)])
    sheet_style(sheet, heading_row=1, widths=[12, 14, 14, 14, 18])


# DOCX -------------------------------------------------------------------------------------


def report_docx(*, scope: Scope, filters: Filters) -> bytes:
    data = report_data(scope=scope, filters=filters)
    province = Unit.objects.get(level=Unit.Level.PROVINCE, code=settings.DANVAN_PROVINCE_CODE,
                                valid_until__isnull=True)  # fmt: skip
    issuer = _issuer(scope, province)
    with translation.override("vi"):
        context = {
            **official_header(superior="", agency=issuer, number="      ", symbol="BC",
                              place=_place(province.name), on=timezone.localdate()),
            "period": data.filters.period.label_vi,
            "sections": _sections(data),
            "kinds": [_kind_row(name, row) for name, row in data.kinds]
            + [_kind_row("Tổng số", data.total)],
            "agencies": [_agency_row(n, row) for n, row in enumerate(data.agencies, 1)],
            "recipients": ["Ban Dân vận Tỉnh ủy;", "Thanh tra tỉnh;", "Lưu: VT."],
            "signer_title": f"TM. {issuer}",
            "signer_name": "",
        }  # fmt: skip
    return render_document(DocumentKind.PERIODIC_REPORT, context)


def _issuer(scope: Scope, province: Unit) -> str:
    if not scope.province and len(scope.agency_ids) == 1:
        return str(Agency.objects.get(pk=next(iter(scope.agency_ids))).name)
    committee = Agency.objects.filter(type=Agency.Type.PEOPLES_COMMITTEE, home_unit=province)
    return str(committee.values_list("name", flat=True).first() or province.name)


def _place(name: str) -> str:
    for word in ("Tỉnh ", "Thành phố "):
        if name.startswith(word):
            return name[len(word) :]
    return name


def _sections(data: ReportData) -> list[dict[str, object]]:
    t = data.total
    kinds = dict(data.kinds)
    complaints, denunciations = kinds["Khiếu nại"], kinds["Tố cáo"]
    return [
        {"heading": "I. Công tác tiếp công dân", "lines": [
            f"Lãnh đạo các cơ quan, đơn vị phải tổ chức {t.reception_required} ngày tiếp công "
            f"dân định kỳ; đã tổ chức {t.reception_held} ngày"
            + (f" (đạt {comma(t.reception_pct)}%)." if t.reception_pct is not None else ".")]},
        {"heading": "II. Tiếp nhận, xử lý đơn thư", "lines": [
            f"Tiếp nhận {t.received} đơn; {t.on_time + t.late} đơn đến hạn giải quyết trong "
            f"kỳ, trong đó {t.on_time} đơn đúng hạn, {t.late} đơn trễ hạn"
            + (f" (tỷ lệ đúng hạn {comma(t.on_time_pct)}%)." if t.on_time_pct is not None else "."),
            f"Hiện còn {t.open} đơn đang giải quyết, trong đó {t.overdue} đơn quá hạn."]},
        {"heading": "III. Giải quyết khiếu nại", "lines": [
            f"Tiếp nhận {complaints.received} đơn khiếu nại; thụ lý đúng hạn "
            f"{t.complaints_on_time} đơn, trễ hạn {t.complaints_late} đơn; giải quyết đúng hạn "
            f"{complaints.on_time} đơn, trễ hạn {complaints.late} đơn."]},
        {"heading": "IV. Giải quyết tố cáo", "lines": [
            f"Tiếp nhận {denunciations.received} đơn tố cáo; giải quyết đúng hạn "
            f"{denunciations.on_time} đơn, trễ hạn {denunciations.late} đơn; còn "
            f"{denunciations.open} đơn đang giải quyết. Thông tin người tố cáo được giữ bí mật "
            "theo quy định."]},
        {"heading": "V. Kết quả thực hiện cam kết tại hội nghị đối thoại", "lines": [
            f"{t.commitments_on_time} cam kết hoàn thành đúng hạn, {t.commitments_late} cam kết "
            "trễ hạn."]},
    ]  # fmt: skip


def _kind_row(name: str, row: Figures) -> dict[str, str]:
    return {"kind": name, "received": str(row.received), "on_time": str(row.on_time),
            "late": str(row.late), "on_time_pct": comma(row.on_time_pct), "open": str(row.open),
            "overdue": str(row.overdue)}  # fmt: skip


def _agency_row(n: int, row: Figures) -> dict[str, str]:
    return {"n": str(n), "name": row.name, "received": str(row.received),
            "on_time_pct": comma(row.on_time_pct), "open": str(row.open),
            "overdue": str(row.overdue), "rating": comma(row.rating_avg),
            "reception": f"{row.reception_held}/{row.reception_required}"}  # fmt: skip
