"""Reading a logbook file and its cells: pure Python, no database."""

import codecs
import io
from datetime import date

import openpyxl
import pytest
from django.utils import translation

from danvan.cases.imports import cells, reading
from danvan.cases.imports.checking import shown
from danvan.cases.imports.reading import Invalid, Text, sheet_read

HEADER = "Ngày nhận,Loại đơn,Nội dung,Xã/Phường"


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return "\r\n".join(lines).encode(encoding)


def refusal(data: bytes, max_rows: int = 10) -> Invalid:
    with pytest.raises(Invalid) as caught:
        sheet_read(data, max_rows=max_rows)
    return caught.value


def test_the_header_row_is_found_under_title_rows_and_maps_fields_to_columns():
    data = csv_bytes("SỔ TIẾP NHẬN ĐƠN,,,", ",,,", "STT;" + HEADER.replace(",", ";"),
                     "1;02/03/2026;Phản ánh;Đèn hỏng;Phố Hiến")  # fmt: skip
    sheet = sheet_read(data, max_rows=10)
    assert sheet.columns == {"received": 1, "kind": 2, "content": 3, "commune": 4}
    assert sheet.headers["commune"] == "Xã/Phường"
    assert sheet.rows == [(4, ["1", "02/03/2026", "Phản ánh", "Đèn hỏng", "Phố Hiến"])]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_csv_is_decoded_in_the_usual_encodings(encoding):
    data = csv_bytes(HEADER, "02/03/2026,Khieu nai,Noi dung,Phố Hiến", encoding=encoding)
    assert sheet_read(data, max_rows=10).rows[0][1][3] == "Phố Hiến"


def test_blank_rows_are_skipped_and_keep_the_row_numbers_of_the_sheet():
    data = csv_bytes(HEADER, "a,b,c,d", ",,,", "e,f,g,h")
    assert [number for number, _cells in sheet_read(data, max_rows=10).rows] == [2, 4]


def test_a_missing_required_column_names_it_and_the_header_row():
    error = refusal(csv_bytes("Ngày nhận,Loại đơn,Ghi chú", "02/03/2026,Phản ánh,x"))
    assert error.row == 1
    assert error.message == Text(
        "Columns missing from the header row: {columns}.",
        (("columns", "nội dung, xã phường"),),
    )


def test_too_many_rows_stop_the_reading():
    error = refusal(csv_bytes(HEADER, "a,b,c,d", "e,f,g,h"), max_rows=1)
    assert isinstance(error.message, Text)
    assert dict(error.message.params) == {"count": 1}


@pytest.mark.parametrize(
    ("data", "start"),
    [
        (b"\xd0\xcf\x11\xe0rest", "This is an old Excel file"),
        (b"PK\x03\x04broken", "The spreadsheet cannot be read"),
        (csv_bytes("Không có tiêu đề", "x"), "No header row found"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "The file is not in a known text encoding"),
    ],
)
def test_an_unreadable_file_is_refused_with_its_message(data, start):
    message = refusal(data).message
    assert isinstance(message, Text)
    assert message.template.startswith(start)


def test_xlsx_cells_keep_dates_and_read_whole_numbers_without_decimals():
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Ngày nhận", "Loại đơn", "Nội dung", "Xã/Phường", "Số người"])
    sheet.append([date(2026, 3, 2), "Phản ánh", "  Nội dung  ", 11935, 3.0])
    out = io.BytesIO()
    book.save(out)
    read = sheet_read(out.getvalue(), max_rows=10)
    assert read.rows == [(2, [date(2026, 3, 2), "Phản ánh", "Nội dung", "11935", "3"])]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("05/03/2024", date(2024, 3, 5)), ("5.3.2024", date(2024, 3, 5)),
     ("2024-03-05", date(2024, 3, 5)), ("2024-03-05 00:00:00", date(2024, 3, 5)),
     ("45356", date(2024, 3, 5)), (date(2024, 3, 5), date(2024, 3, 5))],
)  # fmt: skip
def test_dates_read_day_first_iso_or_as_an_excel_serial(cell, expected):
    assert cells.day(cell) == expected


@pytest.mark.parametrize("cell", ["31/02/2024", "03/2024", "hôm qua", "2024/03/05"])
def test_what_is_not_a_date_is_refused_naming_the_value(cell):
    with pytest.raises(Invalid) as caught:
        cells.day(cell)
    assert isinstance(caught.value.message, Text)
    assert dict(caught.value.message.params) == {"value": cell}


@pytest.mark.parametrize(("cell", "expected"), [("", 1), ("1", 1), ("32767", 32767)])
def test_signers_default_to_one(cell, expected):
    assert cells.signers(cell) == expected


@pytest.mark.parametrize("cell", ["0", "32768", "ba", "2.5"])
def test_signers_out_of_range_are_refused(cell):
    with pytest.raises(Invalid):
        cells.signers(cell)


def test_text_is_limited_and_kept_on_one_line_unless_multiline():
    assert cells.text_field(10)(" a \n b ") == "a b"
    assert cells.text_field(10, multiline=True)(" a \n b ") == "a \n b"
    assert cells.text_field(10)(date(2024, 3, 5)) == "05/03/2024"
    with pytest.raises(Invalid):
        cells.text_field(3)("abcd")
    with pytest.raises(Invalid) as caught:
        cells.text_field(3, "required")("  ")
    assert caught.value.message == "required"


@pytest.mark.parametrize(
    ("written", "expected"),
    [("Minh Tân (Hưng Hà)", ("minh tan", "hung ha")),
     ("xã Minh Tân, huyện Hưng Hà, tỉnh Thái Bình", ("xa minh tan", "hung ha")),
     ("Phường Phố Hiến", ("phuong pho hien", ""))],
)  # fmt: skip
def test_an_old_commune_is_read_with_its_district(written, expected):
    assert reading.commune_and_district(written) == expected
    assert reading.commune_bare(expected[0]) in {"minh tan", "pho hien"}


def test_a_reading_message_is_translated_where_it_is_shown():
    message = reading.text("Columns missing from the header row: {columns}.", columns="nội dung")
    with translation.override("vi"):
        assert str(shown(message)) == "Dòng tiêu đề thiếu các cột: nội dung."
    with translation.override("en"):
        assert str(shown(message)) == "Columns missing from the header row: nội dung."
