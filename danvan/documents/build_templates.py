"""Build the default DOCX templates in the format of Nghị định 30/2020/NĐ-CP, Phụ lục I.

Run `python -m danvan.documents.build_templates` after changing this file and commit the
files it writes to `templates_docx/`: the script is the reviewable source, the .docx files
are its output, and the same script always writes the same bytes.

The layout (Phụ lục I, Mục II and the sample in Mục IV):
- A4; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman; body 14 pt,
  justified, first line indented 1 cm; page numbers centred at the top from page 2.
- a header table without borders: superior body (uppercase, 12 pt), issuing agency
  (uppercase, bold, 12 pt) with a short rule under it, "Số: .../..." (13 pt); the national
  motto (uppercase, bold, 12 pt) and slogan (bold, 13 pt) with a rule as long as it, then
  place and date in italics (14 pt);
- the title (uppercase, bold, 14 pt) and its summary (bold, 14 pt) with a short rule;
- "Nơi nhận:" (bold italic, 12 pt; items 11 pt) bottom left; the signature block bottom
  right (authority and title uppercase bold 14 pt, name bold 14 pt).

Fields are docxtpl (Jinja) tags; `filling.FIELDS` lists those each kind receives.
"""

import sys
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Length, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

OUTPUT_DIR = Path(__file__).resolve().parent / "templates_docx"
FONT = "Times New Roman"
TEXT_WIDTH = Mm(210 - 30 - 15)  # A4 less the left and right margins
LEFT_COLUMN = Mm(65)  # the right column takes the rest of the text width
# Fixed so that a rebuild changes no byte unless the layout changed.
BUILT_AT = datetime(2026, 1, 1, tzinfo=UTC)

Block = _Cell | DocumentObject


def new_document(title: str) -> DocumentObject:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    _normal_style(doc)
    _page_numbers(doc)
    _metadata(doc, title)
    return doc


def _normal_style(doc: DocumentObject) -> None:
    # The document defaults name theme fonts (Calibri) and English; Vietnamese text in any
    # script slot must fall back to Times New Roman and be spell-checked as Vietnamese.
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    fonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    fonts.attrib.clear()
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)
    defaults.find(qn("w:rPr")).find(qn("w:lang")).set(qn("w:val"), "vi-VN")
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0


def _page_numbers(doc: DocumentObject) -> None:
    # NĐ 30: the page number is centred in the top margin and not shown on the first page.
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", ""), ("", "PAGE"), ("end", "")):
        run = paragraph.add_run()
        if kind:
            field = _element("w:fldChar", fldCharType=kind)
        else:
            field = _element("w:instrText")
            field.text = text
        run._r.append(field)


def _metadata(doc: DocumentObject, title: str) -> None:
    props = doc.core_properties
    props.title, props.author, props.comments = title, "Dân Vận", "NĐ 30/2020/NĐ-CP"
    props.last_modified_by, props.revision = "Dân Vận", 1
    props.created = props.modified = BUILT_AT
    package = doc.part.package
    for key, rel in list(package.rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:  # python-docx's own preview picture
            del package.rels[key]


def line(
    block: Block,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align: str = "center",
) -> Paragraph:
    """A paragraph of one run; `align` is center, left or justify (a body paragraph)."""
    paragraph = block.add_paragraph()
    if align == "justify":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(1)
        paragraph.paragraph_format.space_before = Pt(6)
    else:
        paragraph.alignment = getattr(WD_ALIGN_PARAGRAPH, align.upper())
    run = paragraph.add_run(text)
    run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    return paragraph


def rule(block: Block, *, indent: float) -> None:
    """A horizontal line under the text above, `indent` mm short of each side of the column.

    An empty paragraph with a top border: the border runs between the indents, and a
    2 pt paragraph mark keeps it close to the text.
    """
    paragraph = block.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Mm(indent)
    properties = paragraph._p.get_or_add_pPr()
    borders = _element("w:pBdr")
    borders.append(_element("w:top", val="single", sz="6", space="1", color="auto"))
    properties.insert_element_before(borders, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc")
    mark = _element("w:rPr")
    mark.append(_element("w:sz", val="4"))
    properties.insert_element_before(mark, "w:sectPr", "w:pPrChange")


def _element(tag: str, **attributes: str) -> BaseOxmlElement:
    element: BaseOxmlElement = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def two_columns(doc: DocumentObject, left: Length = LEFT_COLUMN) -> tuple[_Cell, _Cell]:
    """A borderless table of one row whose cells start empty (no blank first paragraph)."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    borders = _element("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_element(f"w:{edge}", val="nil"))
    # Word rejects table properties out of the schema's order.
    table._tbl.tblPr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblLook")
    cells = table.rows[0].cells
    widths = (left, Mm(TEXT_WIDTH.mm - left.mm))
    for column, cell, width in zip(table.columns, cells, widths, strict=True):
        column.width = cell.width = width  # the grid for LibreOffice, the cell for Word
        cell._tc.remove(cell.paragraphs[0]._p)
    return cells[0], cells[1]


def header(doc: DocumentObject) -> None:
    left, right = two_columns(doc)
    line(left, "{{ superior|upper }}", size=12)
    line(left, "{{ agency|upper }}", size=12, bold=True)
    rule(left, indent=20)
    line(left, "Số: {{ number }}/{{ symbol }}", size=13)
    line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    line(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)
    rule(right, indent=18)
    line(right, "{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year }}", italic=True)


def title(doc: DocumentObject, name: str, summary: str = "") -> None:
    line(doc)
    line(doc, name, bold=True)
    if summary:
        line(doc, summary, bold=True)
    rule(doc, indent=62)


def addressee(doc: DocumentObject, *, optional: bool = False) -> None:
    if optional:
        doc.add_paragraph("{%p if recipient %}")
    line(doc, "Kính gửi: {{ recipient }}")
    if optional:
        doc.add_paragraph("{%p endif %}")


def body(doc: DocumentObject, *paragraphs: str) -> None:
    for text in paragraphs:
        line(doc, text, align="justify")


def closing(doc: DocumentObject) -> None:
    line(doc)
    left, right = two_columns(doc, left=Mm(80))
    line(left, "Nơi nhận:", size=12, bold=True, italic=True, align="left")
    left.add_paragraph("{%p for item in recipients %}")
    line(left, "- {{ item }}", size=11, align="left")
    left.add_paragraph("{%p endfor %}")
    line(right, "{{ signer_title|upper }}", bold=True)
    # Room for the signature and seal: a sample's "(Chữ ký, dấu)" is not printed on the real one.
    for _ in range(4):
        line(right)
    line(right, "{{ signer_name }}", bold=True)


RECEIVED = (
    "Ngày {{ received_date }}, {{ agency }} nhận được {{ kind_label }} của {{ petitioner }}, "
    "mã số hồ sơ {{ tracking_code }}."
)
SUBJECT = "Nội dung: {{ subject }}"


def acceptance_notice(doc: DocumentObject) -> None:
    title(doc, "THÔNG BÁO", "Về việc thụ lý giải quyết {{ kind_label }}")
    addressee(doc)
    body(
        doc,
        RECEIVED,
        SUBJECT,
        "Căn cứ {{ legal_basis }}, {{ agency }} thông báo đã thụ lý giải quyết "
        "{{ kind_label }} nêu trên. Thời hạn giải quyết đến hết ngày {{ deadline }}.",
        "{{ agency }} thông báo để {{ recipient }} biết./.",
    )


def forwarding_slip(doc: DocumentObject) -> None:
    title(doc, "PHIẾU CHUYỂN ĐƠN")
    addressee(doc)
    body(
        doc,
        RECEIVED,
        SUBJECT,
        "Căn cứ {{ legal_basis }}, {{ agency }} chuyển đơn đến {{ recipient }} để xem xét, "
        "giải quyết theo thẩm quyền và thông báo kết quả cho người gửi đơn./.",
    )


def decline_notice(doc: DocumentObject) -> None:
    title(doc, "THÔNG BÁO", "Về việc không thụ lý giải quyết {{ kind_label }}")
    addressee(doc)
    body(
        doc,
        RECEIVED,
        SUBJECT,
        "Căn cứ {{ legal_basis }}, {{ kind_label }} nêu trên không đủ điều kiện thụ lý "
        "giải quyết vì lý do sau:",
        "{{ reason }}",
        "{{ agency }} thông báo để {{ recipient }} biết./.",
    )


def answer(doc: DocumentObject) -> None:
    title(doc, "{{ title|upper }}", "Về việc giải quyết {{ kind_label }} của {{ petitioner }}")
    addressee(doc, optional=True)  # a decision names no addressee
    body(
        doc,
        RECEIVED,
        SUBJECT,
        "Căn cứ {{ legal_basis }}, {{ agency }} trả lời, giải quyết như sau:",
        "{{ answer }}",
        "Trên đây là nội dung trả lời, giải quyết của {{ agency }}./.",
    )


def conclusion_notice(doc: DocumentObject) -> None:
    title(doc, "THÔNG BÁO", "Kết luận tại buổi tiếp công dân ngày {{ session_date }}")
    body(
        doc,
        "Ngày {{ session_date }}, tại {{ session_place }}, {{ leader }} đã chủ trì tiếp công "
        "dân định kỳ theo quy định của Luật Tiếp công dân.",
        "Sau khi nghe công dân trình bày và ý kiến của các cơ quan, đơn vị có liên quan, "
        "{{ leader }} kết luận như sau:",
        "{{ conclusion }}",
        "{{ agency }} thông báo để các cơ quan, đơn vị và công dân có liên quan biết, thực hiện./.",
    )


def evaluation_decision(doc: DocumentObject) -> None:
    title(
        doc,
        "QUYẾT ĐỊNH",
        "Về việc công bố kết quả đánh giá, xếp loại công tác dân vận "
        "chính quyền năm {{ round_year }}",
    )
    line(doc, "{{ authority|upper }}", bold=True)
    line(doc)
    doc.add_paragraph("{%p for item in bases %}")
    line(doc, "Căn cứ {{ item }}", align="justify")
    doc.add_paragraph("{%p endfor %}")
    line(doc)
    line(doc, "QUYẾT ĐỊNH:", bold=True)
    body(
        doc,
        "Điều 1. Công bố kết quả đánh giá, xếp loại công tác dân vận chính quyền năm "
        "{{ round_year }} của {{ count }} cơ quan, đơn vị, địa phương theo {{ set_name }} "
        "(chi tiết tại Phụ lục kèm theo Quyết định này).",
        "Điều 2. Đề nghị tặng Cờ thi đua cho các tập thể sau:",
    )
    _items(doc, "flags", "Không có tập thể đủ điều kiện.")
    body(doc, "Điều 3. Các cơ quan, đơn vị không đủ điều kiện xếp loại:")
    _items(doc, "ineligible", "Không có.")
    body(
        doc,
        "Điều 4. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Ủy ban nhân dân "
        "tỉnh, Giám đốc Sở Nội vụ, thủ trưởng các cơ quan, đơn vị và chủ tịch Ủy ban nhân "
        "dân các xã, phường có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
    )


def _items(doc: DocumentObject, name: str, none: str) -> None:
    doc.add_paragraph(f"{{%p if {name} %}}")
    doc.add_paragraph(f"{{%p for item in {name} %}}")
    line(doc, "- {{ item }}", align="justify")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p else %}")
    line(doc, none, align="justify")
    doc.add_paragraph("{%p endif %}")


RESULT_COLUMNS = [("STT", 12), ("Cơ quan, đơn vị, địa phương", 62), ("Nhóm", 28),
                  ("Điểm", 18), ("Xếp loại", 26), ("Cờ thi đua", 19)]  # fmt: skip
RESULT_FIELDS = ["rank", "name", "group", "score", "tier", "flag"]


def results_annex(doc: DocumentObject) -> None:
    """The annex after the signature: every unit's score, tier and flag, one row each."""
    doc.add_page_break()  # type: ignore[no-untyped-call]
    line(doc, "Phụ lục", bold=True)
    line(doc, "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÔNG TÁC DÂN VẬN CHÍNH QUYỀN NĂM {{ round_year }}",
         bold=True)  # fmt: skip
    line(doc, "(Kèm theo Quyết định số {{ number }}/{{ symbol }} ngày {{ day }}/{{ month }}/"
         "{{ year }} của {{ agency }})", italic=True)  # fmt: skip
    line(doc)
    table = doc.add_table(rows=4, cols=len(RESULT_COLUMNS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for n, (heading, width) in enumerate(RESULT_COLUMNS):
        table.columns[n].width = Mm(width)
        for row in table.rows:
            row.cells[n].width = Mm(width)
        _cell(table.rows[0].cells[n], heading, bold=True)
        _cell(table.rows[2].cells[n], f"{{{{ row.{RESULT_FIELDS[n]} }}}}")
    _cell(table.rows[1].cells[0], "{%tr for row in rows %}")
    _cell(table.rows[3].cells[0], "{%tr endfor %}")


def _cell(cell: _Cell, text: str, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size, run.font.bold = Pt(12), bold


def periodic_report(doc: DocumentObject) -> None:
    title(
        doc,
        "BÁO CÁO",
        "Kết quả công tác tiếp công dân, tiếp nhận, xử lý đơn thư, "
        "giải quyết khiếu nại, tố cáo {{ period }}",
    )
    doc.add_paragraph("{%p for section in sections %}")
    line(doc, "{{ section.heading }}", bold=True, align="justify")
    doc.add_paragraph("{%p for item in section.lines %}")
    line(doc, "{{ item }}", align="justify")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    line(doc)
    _table(doc, KIND_COLUMNS, "kinds", "row")


KIND_COLUMNS = [("Loại đơn", 30, "kind"), ("Tiếp nhận", 20, "received"),
                ("Đúng hạn", 20, "on_time"), ("Trễ hạn", 20, "late"),
                ("Tỷ lệ đúng hạn (%)", 25, "on_time_pct"), ("Đang giải quyết", 25, "open"),
                ("Quá hạn", 20, "overdue")]  # fmt: skip
AGENCY_COLUMNS = [("STT", 10, "n"), ("Cơ quan, đơn vị", 50, "name"),
                  ("Tiếp nhận", 17, "received"), ("Đúng hạn (%)", 18, "on_time_pct"),
                  ("Đang giải quyết", 18, "open"), ("Quá hạn", 15, "overdue"),
                  ("Hài lòng (/5)", 17, "rating"), ("Ngày tiếp dân", 20, "reception")]  # fmt: skip


def _table(doc: DocumentObject, columns: list[tuple[str, int, str]], rows: str, row: str) -> None:
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for n, (heading, width, key) in enumerate(columns):
        table.columns[n].width = Mm(width)
        for each in table.rows:
            each.cells[n].width = Mm(width)
        _cell(table.rows[0].cells[n], heading, bold=True)
        _cell(table.rows[2].cells[n], f"{{{{ {row}.{key} }}}}")
    _cell(table.rows[1].cells[0], f"{{%tr for {row} in {rows} %}}")
    _cell(table.rows[3].cells[0], "{%tr endfor %}")


def agencies_annex(doc: DocumentObject) -> None:
    """After the signature: every agency's figures, one row each."""
    doc.add_page_break()  # type: ignore[no-untyped-call]
    line(doc, "Phụ lục", bold=True)
    line(doc, "SỐ LIỆU THEO CƠ QUAN, ĐƠN VỊ {{ period|upper }}", bold=True)
    line(doc, "(Kèm theo Báo cáo số {{ number }}/{{ symbol }} ngày {{ day }}/{{ month }}/"
         "{{ year }} của {{ agency }})", italic=True)  # fmt: skip
    line(doc)
    _table(doc, AGENCY_COLUMNS, "agencies", "row")


KINDS: dict[str, tuple[str, Callable[[DocumentObject], None]]] = {
    "acceptance_notice": ("Thông báo thụ lý", acceptance_notice),
    "forwarding_slip": ("Phiếu chuyển đơn", forwarding_slip),
    "decline_notice": ("Thông báo không thụ lý", decline_notice),
    "answer": ("Văn bản trả lời, quyết định giải quyết", answer),
    "conclusion_notice": ("Thông báo kết luận tiếp công dân", conclusion_notice),
    "evaluation_decision": ("Quyết định công bố kết quả đánh giá", evaluation_decision),
    "periodic_report": ("Báo cáo định kỳ tiếp công dân, xử lý đơn thư", periodic_report),
}
# Parts a kind adds after the closing block.
AFTER_CLOSING: dict[str, Callable[[DocumentObject], None]] = {
    "evaluation_decision": results_annex,
    "periodic_report": agencies_annex,
}


def build(kind: str) -> bytes:
    name, content = KINDS[kind]
    doc = new_document(name)
    header(doc)
    content(doc)
    closing(doc)
    if kind in AFTER_CLOSING:
        AFTER_CLOSING[kind](doc)
    out = BytesIO()
    doc.save(out)
    return _stable_zip(out.getvalue())


def _stable_zip(data: bytes) -> bytes:
    # python-docx stamps each zip member with the current time; a fixed stamp makes
    # the output depend on the layout only.
    out = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(member))
    return out.getvalue()


def main() -> None:
    OUTPUT_DIR.mkdir(exist_ok=True)
    for kind in KINDS:
        path = OUTPUT_DIR / f"{kind}.docx"
        path.write_bytes(build(kind))
        sys.stdout.write(f"{path}\n")


if __name__ == "__main__":
    main()
