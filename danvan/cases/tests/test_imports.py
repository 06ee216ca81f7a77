"""Bulk import of an old logbook: reading, row checks with their messages, idempotent writes."""

import codecs
import io
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.utils import translation

from danvan.accounts.roles import Role
from danvan.cases.imports import COLUMNS, RowError, cases_import, columns
from danvan.cases.models import Case, CaseEvent, DenouncerIdentity
from danvan.cases.workflow import Kind
from danvan.core import sealed

from .import_files import GOOD, HEADERS, cells, csv_file, row

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
D = date.fromisoformat
SAMPLE = Path(__file__).resolve().parents[3] / "docs" / "samples" / "import-cases.csv"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def officer(demo_user):
    return demo_user(Role.RECEPTION_OFFICER)


@pytest.fixture
def run(officer):
    def make(data: bytes, **options):
        return cases_import(file=data, by=officer, **options)

    return make


def messages(report) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, str(e.message)) for e in report.errors]


# Good files ---------------------------------------------------------------------------------


def test_good_rows_become_cases_with_their_kind_unit_topic_received_date_and_deadline(run, officer):
    complaint = row(
        reference="02/2026", received="04/05/2026", kind="Khiếu nại", subject="",
        content="Khiếu nại quyết định thu hồi đất.\nĐơn giá bồi thường thấp.",
        commune="Minh Tân (Hưng Hà)", topic="Bồi thường, hỗ trợ, tái định cư",
        email="canh@example.vn", signers="3",
    )  # fmt: skip
    report = run(csv_file([row(), complaint]))
    assert (report.rows_total, report.created, report.skipped_existing, report.errors) == (
        2, 2, 0, [],
    )  # fmt: skip
    feedback, second = Case.objects.order_by("received_at")
    assert report.cases == [feedback, second]
    assert (feedback.kind, feedback.unit.code, feedback.topic.code) == (
        "feedback",
        "11953",
        "ha-tang",
    )
    assert feedback.received_at == datetime(2026, 3, 2, 8, tzinfo=HCM)
    # DON-1: 10 working days from Monday 2 March 2026.
    assert (feedback.process_rule, feedback.process_due, feedback.due_on) == (
        "DON-1", D("2026-03-16"), D("2026-03-16"),
    )  # fmt: skip
    assert (feedback.rulebook_edition, feedback.channel) == (D("2026-01-01"), "import")
    assert (feedback.submitter_name, feedback.submitter_phone, feedback.anonymous) == (
        "Nguyễn Thị Hoa", "+84987654321", False,
    )  # fmt: skip
    assert feedback.idempotency_key == "import:11953:2026:01/2026"
    # A pre-2025 commune with its old district: today's Xã Lê Quý Đôn.
    assert (second.kind, second.unit.code, second.topic.code) == (
        "complaint",
        "12676",
        "boi-thuong",
    )
    assert (second.title, second.complaint_round, second.people_count) == (
        "Khiếu nại quyết định thu hồi đất.", 1, 3,
    )  # fmt: skip
    # KN-1: 10 calendar days from 4 May 2026.
    assert (second.process_rule, second.process_due) == ("KN-1", D("2026-05-14"))
    events = CaseEvent.objects.filter(case__in=report.cases)
    assert sorted(events.values_list("case_id", "action", "actor")) == [
        (feedback.pk, "submit", officer.pk),
        (second.pk, "submit", officer.pk),
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Phản ánh", Kind.FEEDBACK),
        ("kiến nghị", Kind.PETITION),
        ("KHIEU NAI", Kind.COMPLAINT),
        ("Đơn tố cáo", Kind.DENUNCIATION),
        ("petition", Kind.PETITION),
        ("Denunciation", Kind.DENUNCIATION),
    ],
)
def test_kinds_are_read_in_vietnamese_or_as_codes(run, text, kind):
    report = run(csv_file([row(kind=text)]), dry_run=True)
    assert [r.kind for r in report.rows] == [kind]


@pytest.mark.parametrize(
    "text", ["05/03/2026", "5/3/2026", "05-03-2026", "05.03.2026", "2026-03-05", "46086"]
)
def test_dates_are_read_day_first_or_iso_or_as_an_excel_serial(run, text):
    report = run(csv_file([row(received=text)]), dry_run=True)
    assert [r.received for r in report.rows] == [D("2026-03-05")]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Phường Phố Hiến", "11953"),
        ("pho hien", "11953"),
        ("P. Phố Hiến", "11953"),
        ("Phố Hiến, Hưng Yên", "11953"),
        ("11983", "11983"),
        # Pre-2025 communes, to the unit in force that took them over.
        ("Phường An Tảo", "11953"),
        ("Lam Sơn", "11983"),
        ("Minh Tân (Hưng Hà)", "12676"),
        ("xã Minh Tân, huyện Kiến Xương, tỉnh Thái Bình", "13183"),
        ("12670", "12676"),
    ],
)
def test_communes_resolve_to_the_unit_in_force_including_old_names(run, text, code):
    report = run(csv_file([row(commune=text)]), dry_run=True)
    assert report.errors == []
    assert [r.unit.code for r in report.rows] == [code]


# Bad rows -----------------------------------------------------------------------------------

BAD_ROWS = [
    pytest.param(
        {"phone": "0123 456"},
        "Điện thoại",
        "Enter a Vietnamese mobile number of 10 digits, for example 0912 345 678.",
        id="bad-phone",
    ),
    pytest.param(
        {"commune": "Vạn Lý Trường Thành"},
        "Xã/Phường",
        "No commune or ward “Vạn Lý Trường Thành” in Tỉnh Hưng Yên.",
        id="unknown-commune",
    ),
    pytest.param(
        {"commune": "Pho Hein"},
        "Xã/Phường",
        "No commune or ward “Pho Hein” in Tỉnh Hưng Yên. Did you mean: Phường Phố Hiến?",
        id="misspelt-commune",
    ),
    pytest.param(
        {"commune": "Minh Tân"},
        "Xã/Phường",
        "“Minh Tân” may be any of: Xã Minh Tân (Huyện Phù Cừ) → Xã Quang Hưng; "
        "Xã Minh Tân (Huyện Hưng Hà) → Xã Lê Quý Đôn; "
        "Xã Minh Tân (Huyện Đông Hưng) → Xã Tiên Hưng; "
        "Xã Minh Tân (Huyện Kiến Xương) → Xã Bình Thanh. "
        "Add the old district in brackets, for example “Minh Tân (Hưng Hà)”, or write the code.",
        id="ambiguous-old-commune",
    ),
    pytest.param(
        {"content": "  "}, "Nội dung", "Write the content of the letter.", id="empty-content"
    ),
    pytest.param(
        {"kind": "đơn thư"},
        "Loại đơn",
        "Unknown kind of letter “đơn thư”. Write phản ánh, kiến nghị, khiếu nại or tố cáo.",
        id="unknown-kind",
    ),
    pytest.param(
        {"received": "31/02/2026"},
        "Ngày nhận",
        "“31/02/2026” is not a date. Write it as dd/mm/yyyy, for example 05/03/2024.",
        id="bad-date",
    ),
    pytest.param(
        {"received": "24/11/2026"}, "Ngày nhận", "The date received is in the future.", id="future"
    ),
    pytest.param(
        {"received": "31/12/2014"},
        "Ngày nhận",
        "Letters received before 01/01/2015 cannot be imported.",
        id="too-old",
    ),
    pytest.param(
        {"received": "01/06/2020"},
        "Ngày nhận",
        "No deadline rule for this kind of letter was in force on 01/06/2020.",
        id="before-the-rule",
    ),
    pytest.param(
        {"email": "an@"},
        "Email",
        "Enter a valid email address, for example ten@example.com.",
        id="bad-email",
    ),
    pytest.param(
        {"signers": "hai"},
        "Số người",
        "Write the number of signers as a whole number, 1 or more.",
        id="bad-signers",
    ),
    pytest.param(
        {"kind": "khiếu nại", "name": ""},
        "Họ tên",
        "A complaint must carry the complainant's name and address (Luật Khiếu nại Art. 8).",
        id="anonymous-complaint",
    ),
    pytest.param(
        {"reference": "01/2026"}, "Số hiệu", "This letter repeats row 2.", id="same-reference"
    ),
    pytest.param(
        {"content": "Đèn\x01 hỏng"},
        "Nội dung",
        "The text contains an invisible control character (U+0001, character 4) that cannot"
        " be typed on purpose. Delete it and send again.",
        id="control-character",
    ),
    pytest.param(
        {"signers": "²"},
        "Số người",
        "Write the number of signers as a whole number, 1 or more.",
        id="superscript-digit",
    ),
]


@pytest.mark.parametrize(("changes", "column", "message"), BAD_ROWS)
def test_a_bad_row_gets_a_clear_message_and_nothing_of_the_file_is_stored(
    run, changes, column, message
):
    report = run(csv_file([row(), row(**{"reference": "02/2026", **changes})]))
    assert messages(report) == [(3, column, message)]
    assert (report.created, Case.objects.count(), CaseEvent.objects.count()) == (0, 0, 0)


def test_invisible_formatting_in_a_cell_is_not_imported(run):
    report = run(csv_file([row(name="Nguyễn\u202e Thị\u200b Hoa", subject="Đèn\ufeff hỏng")]))
    assert (report.created, report.errors) == (1, [])
    case = Case.objects.get()
    assert (case.submitter_name, case.title) == ("Nguyễn Thị Hoa", "Đèn hỏng")


def test_an_unknown_topic_lists_the_topic_codes(run):
    report = run(csv_file([row(topic="cầu cống")]))
    [(number, column, message)] = messages(report)
    assert (number, column) == (2, "Lĩnh vực")
    assert message.startswith("Unknown topic “cầu cống”. Use a code or a name from the list: ")
    assert "ha-tang" in message
    assert not Case.objects.exists()


def test_every_error_of_a_row_is_reported_with_its_column(run):
    report = run(csv_file([row(kind="", content="", phone="12", topic="?")]))
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "Loại đơn"), (2, "Nội dung"), (2, "Điện thoại"), (2, "Lĩnh vực"),
    ]  # fmt: skip
    assert report.rows_with_errors == 1
    assert str(report.errors[1]) == "Row 2, column “Nội dung”: Write the content of the letter."


def test_partial_mode_imports_the_good_rows_only(run):
    bad = row(reference="02/2026", phone="0123")
    report = run(csv_file([row(), bad, row(reference="03/2026")]), all_or_nothing=False)
    assert (report.created, [(e.row, e.column) for e in report.errors]) == (
        2, [(3, "Điện thoại")],
    )  # fmt: skip
    assert set(Case.objects.values_list("idempotency_key", flat=True)) == {
        "import:11953:2026:01/2026",
        "import:11953:2026:03/2026",
    }


def test_a_dry_run_checks_and_previews_without_writing(run):
    run(csv_file([row()]))
    report = run(csv_file([row(), row(reference="02/2026")]), dry_run=True)
    assert (report.rows_total, len(report.rows), report.created) == (2, 2, 0)
    assert (report.skipped_existing, report.dry_run) == (1, True)
    assert Case.objects.count() == 1


# Importing again ----------------------------------------------------------------------------


def test_importing_the_same_file_again_creates_nothing(run):
    data = csv_file([row(), row(reference="", subject="Không số hiệu")])
    first, again = run(data), run(data)
    assert (first.created, first.skipped_existing) == (2, 0)
    assert (again.created, again.skipped_existing, again.errors) == (0, 2, [])
    assert Case.objects.count() == 2


def test_a_corrected_file_imports_only_what_was_missing(run):
    rows = [row(), row(reference="02/2026", phone="0123")]
    assert run(csv_file(rows), all_or_nothing=False).created == 1
    rows[1]["phone"] = "0356 112 233"
    report = run(csv_file(rows))
    assert (report.created, report.skipped_existing) == (1, 1)
    assert Case.objects.count() == 2


def test_the_same_logbook_number_in_another_year_is_another_letter(run):
    report = run(csv_file([row(), row(received="02/03/2025")]))
    assert (report.created, report.errors) == (2, [])


def test_a_row_repeated_without_a_reference_is_reported(run):
    report = run(csv_file([row(reference=""), row(reference="")]))
    assert messages(report) == [(3, "", "This letter repeats row 2.")]


# Files --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1258", ";"), ("utf-16", "\t")],
)
def test_csv_in_usual_encodings_and_separators(run, encoding, delimiter):
    data = csv_file([row()], encoding=encoding, delimiter=delimiter)
    if encoding == "utf-8-sig":
        assert data.startswith(codecs.BOM_UTF8)
    report = run(data)
    assert (report.created, report.errors) == (1, [])
    case = Case.objects.get()
    assert (case.title, case.submitter_name) == ("Đèn đường hỏng", "Nguyễn Thị Hoa")


def test_english_headers_are_accepted(run):
    english = {name: name.capitalize() for name in HEADERS}
    report = run(csv_file([row()], headers=english))
    assert (report.created, report.errors) == (1, [])


def test_header_aliases_do_not_collide():
    for column in COLUMNS:
        for alias in (column.header, column.field, *column.aliases):
            assert columns.HEADERS[columns.header_key(alias)] is column


def test_xlsx_with_title_rows_date_cells_and_numbers_typed_as_numbers(run):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["SỔ THEO DÕI ĐƠN THƯ NĂM 2026"])
    sheet.append([])
    sheet.append(["STT", *HEADERS.values()])
    good = cells(row())
    good[1], good[8], good[11], good[5] = D("2026-03-02"), 987654321, 3, 11953
    sheet.append([1, *good])
    future = cells(row(reference="02/2026"))
    future[1] = D("2026-12-01")  # saved as a date cell
    sheet.append([2, *future])
    sheet.append([3, *cells(row(reference="03/2026"))])
    out = io.BytesIO()
    book.save(out)
    report = run(out.getvalue(), all_or_nothing=False)
    assert messages(report) == [(5, "Ngày nhận", "The date received is in the future.")]
    assert report.created == 2
    case = Case.objects.get(idempotency_key="import:11953:2026:01/2026")
    assert (case.received_at, case.submitter_phone, case.people_count) == (
        datetime(2026, 3, 2, 8, tzinfo=HCM), "+84987654321", 3,
    )  # fmt: skip


def test_too_many_rows_imports_nothing(run, settings):
    settings.DANVAN_IMPORT_MAX_ROWS = 2
    report = run(csv_file([row(), row(reference="2"), row(reference="3")]))
    assert messages(report) == [
        (0, "", "The file has more than 2 letters. Split it into smaller files.")
    ]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"", (0, "The file is empty."), id="empty"),
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            (0, "This is an old Excel file (.xls). Save it as .xlsx or CSV UTF-8."),
            id="xls",
        ),
        pytest.param(
            b"PK\x03\x04broken",
            (0, "The spreadsheet cannot be read. Save it again as .xlsx."),
            id="broken-xlsx",
        ),
        pytest.param(
            b"a,b,c\n1,2,3\n",
            (
                1,
                "No header row found. The first row must name the columns: "
                "ngày nhận, loại đơn, nội dung, xã phường...",
            ),
            id="no-header",
        ),
        pytest.param(
            "Ngày nhận,Loại đơn,Xã phường\n02/03/2026,phản ánh,Phố Hiến\n".encode(),
            (1, "Columns missing from the header row: nội dung."),
            id="missing-column",
        ),
    ],
)
def test_an_unusable_file_is_refused_with_a_message(run, data, expected):
    report = run(data)
    assert [(e.row, str(e.message)) for e in report.errors] == [expected]
    assert not Case.objects.exists()


def test_a_file_over_the_size_limit_is_refused(run, settings):
    settings.DANVAN_IMPORT_MAX_BYTES = 100
    report = run(io.BytesIO(csv_file([row()])))
    assert messages(report) == [
        (0, "", "The file is larger than 100\xa0bytes. Split it into smaller files.")
    ]


def test_the_sample_file_is_valid(run):
    report = run(SAMPLE.read_bytes(), dry_run=True)
    assert (report.rows_total, report.errors) == (5, [])
    assert [r.unit.code for r in report.rows] == ["11953", "11953", "12676", "11983", "11983"]


# Denunciations ------------------------------------------------------------------------------


def test_a_denouncers_identity_is_sealed_and_never_lands_in_plain_fields(run):
    data = csv_file([row(kind="tố cáo", email="dung@example.vn", address="Thôn Đông")])
    assert run(data).created == 1
    case = Case.objects.get()
    sealed_row = DenouncerIdentity.objects.get(case=case)
    assert case.identity_sealed is True
    assert sealed.open_json(bytes(sealed_row.sealed)) == {
        "name": "Nguyễn Thị Hoa", "phone": "+84987654321", "email": "dung@example.vn",
        "address": "Thôn Đông", "id_number": "", "title": GOOD["subject"],
        "content": GOOD["content"],
    }  # fmt: skip
    plain = (case.submitter_name, case.submitter_phone, case.submitter_email)
    assert (case.kind, plain, case.submitter_address) == ("denunciation", ("", "", ""), "")
    assert case.anonymous is False
    stored = repr(list(CaseEvent.objects.values())) + repr(Case.objects.values().get())
    for secret in ("Nguyễn Thị Hoa", "987654321", "dung@example.vn", "Thôn Đông"):
        assert secret not in stored


def test_a_denunciation_without_a_name_is_anonymous(run):
    run(csv_file([row(kind="tố cáo", name="", phone="")]))
    assert Case.objects.get().anonymous is True


def test_row_error_text_for_the_whole_file_and_a_whole_row():
    assert str(RowError(0, "", "The file is empty.")) == "The file is empty."
    assert str(RowError(4, "", "This letter repeats row 2.")) == "Row 4: This letter repeats row 2."
