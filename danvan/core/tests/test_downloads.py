"""Every file goes out as a download with a safe name and our own content type. No database;
the walk over every download view of the platform is danvan/demo/tests/test_downloads.py."""

import pytest

from danvan.core.downloads import (
    DOCX,
    JSON,
    SANDBOX,
    attachment_disposition,
    file_response,
)


@pytest.mark.parametrize(
    ("name", "ascii_name", "utf8_name"),
    [
        ("don.pdf", "don.pdf", "don.pdf"),
        # Vietnamese, with đ (which has no decomposition) and capitals kept.
        (
            "Đơn kiến nghị.pdf",
            "Don kien nghi.pdf",
            "%C4%90%C6%A1n%20ki%E1%BA%BFn%20ngh%E1%BB%8B.pdf",
        ),
        ("Báo cáo (1).docx", "Bao cao (1).docx", "B%C3%A1o%20c%C3%A1o%20%281%29.docx"),
        # Quotes, separators and ; would end or bend the header's parameters.
        ('a"b;c.pdf', "a_b_c.pdf", "a_b_c.pdf"),
        ("..\\windows/x.pdf", "_windows_x.pdf", "_windows_x.pdf"),
        ("100%.pdf", "100_.pdf", "100_.pdf"),
        # Controls (header injection) and bidi overrides ("gpj.exe" read as "exe.jpg").
        ("thu\r\nSet-Cookie: a=b.pdf", "thu Set-Cookie_ a_b.pdf", "thu%20Set-Cookie_%20a%3Db.pdf"),
        ("\u202egpj.exe", "gpj.exe", "gpj.exe"),
        # Nothing left, or nothing Latin.
        ("", "tep-tai-ve", "tep-tai-ve"),
        (" . ", "tep-tai-ve", "tep-tai-ve"),
        ("中文.pdf", "__.pdf", "%E4%B8%AD%E6%96%87.pdf"),
    ],
)
def test_names_come_out_safe_in_ascii_and_in_utf8(name, ascii_name, utf8_name):
    expected = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{utf8_name}"
    assert attachment_disposition(name) == expected


def test_a_long_name_is_cut_keeping_its_extension():
    disposition = attachment_disposition("a" * 300 + ".pdf")
    assert (
        disposition == f"attachment; filename=\"{'a' * 146}.pdf\"; filename*=UTF-8''{'a' * 146}.pdf"
    )


@pytest.mark.parametrize(
    ("stored", "sent"),
    [
        ("image/jpeg", "image/jpeg"),
        ("application/pdf", "application/pdf"),
        (DOCX, DOCX),
        (JSON, JSON),
        # Never produced by our checks: a row from before them, or a client's claim.
        ("text/html", "application/octet-stream"),
        ("image/svg+xml", "application/octet-stream"),
        ("application/pdf; charset=utf-7", "application/octet-stream"),
        ("", "application/octet-stream"),
    ],
)
def test_the_content_type_is_one_we_produce_or_octet_stream(stored, sent):
    response = file_response(b"x", name="a.pdf", content_type=stored)
    assert response["Content-Type"] == sent


def test_a_file_response_carries_every_header():
    response = file_response(b"%PDF-1.7", name="Đơn.pdf", content_type="application/pdf")
    assert response.status_code == 200
    assert response.content == b"%PDF-1.7"
    assert dict(response.headers) == {
        "Content-Type": "application/pdf",
        "Content-Disposition": "attachment; filename=\"Don.pdf\"; filename*=UTF-8''%C4%90%C6%A1n.pdf",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": SANDBOX,
        "Cache-Control": "private, no-store",
    }
