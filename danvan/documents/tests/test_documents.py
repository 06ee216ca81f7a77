import zipfile
from datetime import date
from io import BytesIO

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from danvan.documents.build_templates import KINDS, build
from danvan.documents.filling import default_template
from danvan.documents.models import DocumentTemplate
from danvan.documents.services import (
    FIELDS,
    DocumentKind,
    MissingField,
    official_header,
    render_document,
)

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
VALUES = {
    "title": "Quyết định",
    "recipient": "Bà Trần Thị Mai",
    "petitioner": "Bà Trần Thị Mai",
    "kind_label": "đơn khiếu nại",
    "tracking_code": "HY-2026-004711",
    "received_date": date(2026, 11, 2),
    "subject": "Khiếu nại quyết định thu hồi đất số 88/QĐ-UBND.",
    "legal_basis": "Điều 27 Luật Khiếu nại năm 2011",
    "deadline": date(2026, 12, 31),
    "reason": "Đơn đã được giải quyết lần hai.",
    "answer": "Giữ nguyên quyết định số 88/QĐ-UBND.",
    "recipients": ["Như trên;", "Lưu: VT."],
    "signer_title": "TM. Ủy ban nhân dân\nChủ tịch",
    "signer_name": "Phạm Thị Dung",
}


def context(kind, **changes):
    header = official_header(
        superior="Ủy ban nhân dân tỉnh Hưng Yên",
        agency="Ủy ban nhân dân phường Phố Hiến",
        number="12",
        symbol="TB-UBND",
        place="Phố Hiến",
        on=timezone.localdate(),
    )
    values = {**header, **VALUES, **changes}
    return {key: values[key] for key in FIELDS[kind]}


def paragraphs(data):
    """Every paragraph's text, the body's and the tables' in document order."""
    document = docx.Document(BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [p.text for cell in table.rows[0].cells for p in cell.paragraphs]
    return texts


def unzipped(data):
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return {info.filename: (info.date_time, archive.read(info)) for info in archive.infolist()}


def docx_with(*lines):
    document = docx.Document()
    for text in lines:
        document.add_paragraph(text)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


LETTER_KINDS = [
    kind
    for kind in DocumentKind.values
    if kind
    not in (
        DocumentKind.CONCLUSION_NOTICE,
        DocumentKind.EVALUATION_DECISION,
        DocumentKind.PERIODIC_REPORT,
    )
]


@pytest.mark.django_db
def test_the_periodic_report_renders_its_sections_and_tables():
    from danvan.documents.filling import sample_context

    data = render_document("periodic_report", sample_context("periodic_report"))
    texts = paragraphs(data)
    body = "\n".join(texts)
    assert "BÁO CÁO" in texts
    assert "quý IV năm 2026" in body
    assert "I. Công tác tiếp công dân" in texts
    assert "Tiếp 12 lượt công dân." in texts
    cells = [
        c.text for t in docx.Document(BytesIO(data)).tables[1:] for r in t.rows for c in r.cells
    ]
    assert "Khiếu nại" in cells
    assert "83,3" in cells
    assert "Ủy ban nhân dân phường Phố Hiến" in cells
    assert "{{" not in body
    assert "{%" not in body


@pytest.mark.django_db
def test_the_conclusion_notice_renders_the_heads_conclusions():
    values = {
        "leader": "Chủ tịch Ủy ban nhân dân phường Phố Hiến Phạm Thị Dung",
        "session_date": date(2026, 11, 20),
        "session_place": "Trụ sở tiếp công dân phường Phố Hiến",
        "conclusion": "Giao Công an phường kiểm tra.\nBáo cáo trước ngày 30/11/2026.",
    }
    texts = paragraphs(render_document("conclusion_notice", context("conclusion_notice", **values)))
    body = "\n".join(texts)
    assert "THÔNG BÁO" in texts
    assert "Kết luận tại buổi tiếp công dân ngày 20/11/2026" in texts
    assert "Số: 12/TB-UBND" in texts
    assert "Giao Công an phường kiểm tra." in texts  # each line its own paragraph
    assert "Báo cáo trước ngày 30/11/2026." in texts
    assert "Trụ sở tiếp công dân phường Phố Hiến" in body


@pytest.mark.django_db
@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_each_kind_renders_in_the_official_format(kind):
    texts = paragraphs(render_document(kind, context(kind)))
    for expected in [
        MOTTO,
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN",
        "ỦY BAN NHÂN DÂN PHƯỜNG PHỐ HIẾN",
        "Số: 12/TB-UBND",
        "Phố Hiến, ngày 23 tháng 11 năm 2026",
        "Nội dung: Khiếu nại quyết định thu hồi đất số 88/QĐ-UBND.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Phạm Thị Dung",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
    ]:
        assert expected in texts
    body = "\n".join(texts)
    for value in ["HY-2026-004711", "Ngày 02/11/2026", "Bà Trần Thị Mai", "Điều 27 Luật Khiếu nại"]:
        assert value in body
    assert "{{" not in body
    assert "{%" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (DocumentKind.ACCEPTANCE_NOTICE, "Về việc thụ lý giải quyết đơn khiếu nại"),
        (DocumentKind.ACCEPTANCE_NOTICE, "Thời hạn giải quyết đến hết ngày 31/12/2026."),
        (DocumentKind.FORWARDING_SLIP, "PHIẾU CHUYỂN ĐƠN"),
        (DocumentKind.DECLINE_NOTICE, "Về việc không thụ lý giải quyết đơn khiếu nại"),
        (DocumentKind.DECLINE_NOTICE, "Đơn đã được giải quyết lần hai."),
        (DocumentKind.ANSWER, "QUYẾT ĐỊNH"),
        (DocumentKind.ANSWER, "Giữ nguyên quyết định số 88/QĐ-UBND."),
    ],
)
def test_each_kind_says_what_it_is_for(kind, expected):
    assert expected in "\n".join(paragraphs(render_document(kind, context(kind))))


@pytest.mark.django_db
def test_a_multi_line_answer_keeps_its_lines_as_paragraphs():
    answer = "Điều 1. Giữ nguyên quyết định.\r\nĐiều 2. Giao Phòng Tài nguyên thực hiện.\nĐiều 3. Hiệu lực."
    texts = paragraphs(render_document("answer", context("answer", answer=answer)))
    start = texts.index("Điều 1. Giữ nguyên quyết định.")
    assert texts[start : start + 3] == [
        "Điều 1. Giữ nguyên quyết định.",
        "Điều 2. Giao Phòng Tài nguyên thực hiện.",
        "Điều 3. Hiệu lực.",
    ]


@pytest.mark.django_db
def test_an_answer_without_addressee_leaves_out_kinh_gui():
    with_addressee = paragraphs(render_document("answer", context("answer")))
    without = paragraphs(render_document("answer", context("answer", recipient="")))
    assert "Kính gửi: Bà Trần Thị Mai" in with_addressee
    assert not any(text.startswith("Kính gửi") for text in without)


@pytest.mark.django_db
def test_citizen_text_cannot_break_the_xml():
    subject = "<b>&</b> \"x\" 'y'\x00\x07\x0b\x1b\ufffe end"
    data = render_document("decline_notice", context("decline_notice", subject=subject))
    assert "Nội dung: <b>&</b> \"x\" 'y' end" in paragraphs(data)
    xml = zipfile.ZipFile(BytesIO(data)).read("word/document.xml").decode()
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in xml


@pytest.mark.parametrize(
    ("on", "day", "month"),
    [
        (date(2026, 2, 5), "05", "02"),
        (date(2026, 1, 31), "31", "01"),
        (date(2026, 3, 9), "09", "3"),
        (date(2026, 10, 10), "10", "10"),
        (date(2026, 11, 23), "23", "11"),
    ],
)
def test_day_below_10_and_months_1_and_2_take_a_leading_zero(on, day, month):
    header = official_header(superior="", agency="", number="1", symbol="", place="", on=on)
    assert (header["day"], header["month"], header["year"]) == (day, month, str(on.year))


@pytest.mark.parametrize(("number", "expected"), [("5", "05"), ("12", "12"), ("123", "123")])
def test_a_number_below_10_takes_a_leading_zero(number, expected):
    header = official_header(
        superior="", agency="", number=number, symbol="", place="", on=date(2026, 1, 1)
    )
    assert header["number"] == expected


@pytest.mark.django_db
def test_the_date_line_prints_the_leading_zeros():
    header = official_header(
        superior="Ủy ban nhân dân tỉnh Hưng Yên",
        agency="Ủy ban nhân dân phường Phố Hiến",
        number="5",
        symbol="TB-UBND",
        place="Phố Hiến",
        on=date(2026, 2, 5),
    )
    texts = paragraphs(render_document("forwarding_slip", {**context("forwarding_slip"), **header}))
    assert "Phố Hiến, ngày 05 tháng 02 năm 2026" in texts
    assert "Số: 05/TB-UBND" in texts


@pytest.mark.django_db
def test_a_missing_field_is_an_error_not_a_hole():
    values = context("acceptance_notice")
    del values["deadline"]
    values["signer_name"] = None
    with pytest.raises(MissingField) as raised:
        render_document("acceptance_notice", values)
    assert raised.value.missing == ["deadline", "signer_name"]


def test_an_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="not a valid DocumentKind"):
        render_document("summons", {})


@pytest.mark.django_db
def test_an_uploaded_template_replaces_the_default_while_in_use():
    upload = SimpleUploadedFile(
        "mau.docx", docx_with("Mẫu của tỉnh", "Mã hồ sơ: {{ tracking_code }}")
    )
    template = DocumentTemplate(kind="acceptance_notice", file=upload, note="Mẫu của tỉnh")
    template.full_clean()
    template.save()

    texts = paragraphs(render_document("acceptance_notice", context("acceptance_notice")))
    assert texts == ["Mẫu của tỉnh", "Mã hồ sơ: HY-2026-004711"]

    template.is_active = False
    template.save()
    assert MOTTO in paragraphs(render_document("acceptance_notice", context("acceptance_notice")))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("Mã hồ sơ: {{ tracking_code }}".encode(), "File is not a zip file"),
        (docx_with("{{ tracking_code "), "unexpected"),
        (docx_with("{{ password }}"), "'password' is undefined"),
        (docx_with("{{ tracking_code.__class__.__mro__ }}"), "__class__"),
    ],
)
def test_a_file_that_cannot_be_filled_is_refused(content, reason):
    template = DocumentTemplate(kind="answer", file=SimpleUploadedFile("mau.docx", content))
    with pytest.raises(ValidationError) as raised:
        template.clean()
    [message] = raised.value.message_dict["file"]
    assert message.startswith("Tệp này không phải là mẫu Word (.docx) có thể điền dữ liệu: ")
    assert reason in message


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_default_templates_follow_the_page_and_font_of_nd_30(kind):
    document = docx.Document(str(default_template(kind)))
    section = document.sections[0]
    mm = {
        name: round(getattr(section, name).mm)
        for name in [
            "page_width",
            "page_height",
            "top_margin",
            "bottom_margin",
            "left_margin",
            "right_margin",
        ]
    }
    assert (mm["page_width"], mm["page_height"]) == (210, 297)  # A4
    assert 20 <= mm["top_margin"] <= 25
    assert 20 <= mm["bottom_margin"] <= 25
    assert 30 <= mm["left_margin"] <= 35
    assert 15 <= mm["right_margin"] <= 20
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size.pt) == ("Times New Roman", 14)
    runs = [run for p in document.paragraphs for run in p.runs]
    runs += [
        run
        for t in document.tables
        for c in t.rows[0].cells
        for p in c.paragraphs
        for run in p.runs
    ]
    assert {run.font.name for run in runs} == {None}  # every run inherits Times New Roman
    assert {(run.font.size or normal.size).pt for run in runs if run.text} <= {11, 12, 13, 14}


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_default_header_sizes_follow_nd_30(kind):
    left, right = docx.Document(str(default_template(kind))).tables[0].rows[0].cells
    runs = {p.text: p.runs[0].font for p in [*left.paragraphs, *right.paragraphs] if p.text}
    assert runs["{{ agency|upper }}"].bold
    assert runs[MOTTO].bold
    assert runs[MOTTO].size.pt in (12, 13)
    assert runs["Độc lập - Tự do - Hạnh phúc"].bold
    assert runs["Độc lập - Tự do - Hạnh phúc"].size.pt in (13, 14)
    assert runs["{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year }}"].italic


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_the_default_templates_are_what_the_script_builds(kind):
    # Compared member by member: another zlib may compress the same bytes differently.
    assert unzipped(default_template(kind).read_bytes()) == unzipped(build(kind))


def test_the_script_builds_every_kind():
    assert set(KINDS) == set(DocumentKind.values)


@pytest.mark.django_db
def test_an_administrator_downloads_a_default_and_uploads_a_replacement(client_as, demo_user):
    client = client_as("administrator")
    response = client.get(reverse("admin:documents_documenttemplate_default", args=["answer"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename=\"answer.docx\"; filename*=UTF-8''answer.docx"
    )
    assert response.content == default_template("answer").read_bytes()
    assert (
        client.get(reverse("admin:documents_documenttemplate_default", args=["x"])).status_code
        == 404
    )

    upload = SimpleUploadedFile("mau.docx", docx_with("{{ tracking_code }}"))
    response = client.post(
        reverse("admin:documents_documenttemplate_add"),
        {"kind": "answer", "file": upload, "is_active": "on", "note": ""},
    )
    assert response.status_code == 302
    template = DocumentTemplate.objects.get()
    assert template.uploaded_by == demo_user("administrator")
    assert template.uploaded_at == timezone.now()


@pytest.mark.django_db
def test_only_staff_reach_the_default_templates(client_as):
    url = reverse("admin:documents_documenttemplate_default", args=["answer"])
    assert client_as("head").get(url).status_code == 302  # to the admin login
