"""Logbook files for the import tests: a good row, changed at will, written as CSV."""

import csv
import io
import unicodedata

HEADERS = {
    "reference": "Số hiệu", "received": "Ngày nhận", "kind": "Loại đơn", "subject": "Tiêu đề",
    "content": "Nội dung", "commune": "Xã/Phường", "topic": "Lĩnh vực", "name": "Họ tên",
    "phone": "Điện thoại", "email": "Email", "address": "Địa chỉ", "signers": "Số người",
}  # fmt: skip
GOOD = {
    "reference": "01/2026", "received": "02/03/2026", "kind": "Phản ánh",
    "subject": "Đèn đường hỏng", "commune": "Phường Phố Hiến", "topic": "ha-tang",
    "content": "Ba cột đèn trên phố Bãi Sậy không sáng từ đầu tháng, đề nghị phường cho sửa.",
    "name": "Nguyễn Thị Hoa", "phone": "0987 654 321", "email": "", "address": "Số 15 Bãi Sậy",
    "signers": "1",
}  # fmt: skip


def row(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


def cells(r: dict[str, str]) -> list[object]:
    return [r.get(name, "") for name in HEADERS]


def csv_file(rows, *, delimiter=",", encoding="utf-8", headers=HEADERS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers.values())
    writer.writerows([r.get(name, "") for name in headers] for r in rows)
    if encoding == "cp1258":  # Windows-1258 writes tone marks as combining characters
        return "".join(_cp1258(char) for char in out.getvalue()).encode("cp1258")
    return out.getvalue().encode(encoding)


def _cp1258(char: str) -> str:
    try:
        char.encode("cp1258")
    except UnicodeEncodeError:
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        return base + tones
    return char
