"""A round's files: the results table (XLSX) and the draft decision publishing the results
(DOCX, NĐ 30/2020 layout, entirely in Vietnamese, left unnumbered for the clerk)."""

from decimal import Decimal
from io import BytesIO

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from danvan.documents.services import DocumentKind, official_header, render_document
from danvan.documents.sheets import sheet_style
from danvan.places.models import Agency

from .models import Group, Round
from .results import Row, lines_of, round_ranking
from .sets import Tree

FLAG_NAMES = {"nhat": "Hạng Nhất", "nhi": "Hạng Nhì", "ba": "Hạng Ba", "": ""}
GROUP_NAMES = {Group.COMMUNE: "Xã, phường", Group.PROVINCIAL: "Sở, ban, ngành tỉnh"}
RESULT_HEADINGS = ["Hạng", "Mã đơn vị", "Cơ quan, đơn vị, địa phương", "Nhóm", "Hạng trong nhóm",
                   "Điểm tiêu chí", "Điểm tính từ số liệu", "Điểm thưởng", "Điểm trừ", "Tổng điểm",
                   "Xếp loại", "Cờ thi đua", "Lý do không xếp loại"]  # fmt: skip


def number(value: Decimal) -> str:
    """Points as Vietnamese documents print them: 87,50."""
    return f"{value:.2f}".replace(".", ",")


# The results table --------------------------------------------------------------------


def results_xlsx(round_: Round) -> bytes:
    """One sheet of results (best first) and one of every unit's points per line."""
    rows = round_ranking(round_)
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "Kết quả"
    _results_sheet(sheet, round_, rows)
    _lines_sheet(book.create_sheet("Điểm từng tiêu chí"), round_, rows)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _results_sheet(sheet: Worksheet, round_: Round, rows: list[Row]) -> None:
    status = "chính thức" if round_.is_final else "tạm tính, chưa phê duyệt"
    sheet.append([f"Kết quả đánh giá công tác dân vận chính quyền năm {round_.year} ({status})"])
    sheet.append([round_.criteria_set.name])
    sheet.append(RESULT_HEADINGS)
    for row in rows:
        a, r = row.assessment, row.ranked
        sheet.append([
            r.rank, a.agency.code, a.agency.name, GROUP_NAMES[Group(a.group)], r.group_rank,
            float(r.unit.standard), float(r.unit.computed), float(r.unit.bonus),
            float(r.unit.penalty), float(r.total), row.tier_label, FLAG_NAMES[r.flag],
            a.ineligible_reason,
        ])  # fmt: skip
    sheet_style(sheet, heading_row=3, widths=[7, 16, 44, 20, 10, 12, 12, 10, 10, 10, 24, 12, 40])


def _lines_sheet(sheet: Worksheet, round_: Round, rows: list[Row]) -> None:
    tree = Tree.of(round_.criteria_set)
    leaves = tree.leaves()
    sheet.append(["Mã đơn vị", "Cơ quan, đơn vị, địa phương", *[leaf.code for leaf in leaves]])
    sheet.append(["", "Điểm tối đa", *[float(leaf.max_points) for leaf in leaves]])
    for row in rows:
        finals = {line.criterion.pk: line.final for line in lines_of(row.assessment, tree)}
        sheet.append([row.assessment.agency.code, row.assessment.agency.name,
                      *[float(finals[leaf.pk]) for leaf in leaves]])  # fmt: skip
    sheet_style(sheet, heading_row=1, widths=[16, 44] + [8] * len(leaves))


# The decision -----------------------------------------------------------------------------


def decision_docx(round_: Round) -> bytes:
    rows = round_ranking(round_)
    committee = Agency.objects.get(type=Agency.Type.PEOPLES_COMMITTEE, home_unit=round_.province)
    with translation.override("vi"):
        context = {
            **official_header(superior="", agency=committee.name, number="      ",
                              symbol="QĐ-UBND", place=_place(round_.province.name),
                              on=timezone.localdate()),
            "authority": f"Chủ tịch {committee.name}",
            "round_year": str(round_.year),
            "bases": _bases(round_),
            "set_name": round_.criteria_set.name,
            "count": str(len(rows)),
            "flags": [_flag_line(row) for row in rows if row.flag],
            "ineligible": [f"{r.assessment.agency.name}: {r.assessment.ineligible_reason}"
                           for r in rows if not r.assessment.eligible],
            "rows": [_table_row(n, row) for n, row in enumerate(rows, 1)],
            "recipients": ["Như Điều 4;", "Ban Dân vận Tỉnh ủy;", "Sở Nội vụ;", "Lưu: VT."],
            "signer_title": f"TM. {committee.name}\nChủ tịch",
            "signer_name": "",
        }  # fmt: skip
    return render_document(DocumentKind.EVALUATION_DECISION, context)


def _place(name: str) -> str:
    for word in ("Tỉnh ", "Thành phố "):
        if name.startswith(word):
            return name[len(word) :]
    return name


def _bases(round_: Round) -> list[str]:
    criteria_set = round_.criteria_set
    issued = f" ban hành kèm theo {criteria_set.legal_basis}" if criteria_set.legal_basis else ""
    return [
        "Luật Tổ chức chính quyền địa phương;",
        f"{criteria_set.name}{issued};",
        f"Kết quả tự đánh giá của các cơ quan, đơn vị, địa phương và kết quả thẩm định năm "
        f"{round_.year}.",
    ]


def _flag_line(row: Row) -> str:
    group = GROUP_NAMES[Group(row.assessment.group)].lower()
    return f"{FLAG_NAMES[row.flag]} nhóm {group}: {row.assessment.agency.name}"


def _table_row(n: int, row: Row) -> dict[str, str]:
    return {
        "rank": str(n),
        "name": row.assessment.agency.name,
        "group": GROUP_NAMES[Group(row.assessment.group)],
        "score": number(row.ranked.total),
        "tier": row.tier_label,
        "flag": FLAG_NAMES[row.flag],
    }
