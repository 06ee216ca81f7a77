"""The evaluation in Chromium: the commune's head finishes the self-assessment from a phone
with a file as evidence and sends it; the supervisor lowers one indicator with a reason,
finishes the review, approves; the ranking shows and its XLSX opens."""

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from danvan.core.tests.pdfs import written
from testsupport.platform import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.e2e
PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 800}
PDF = written(pages=1)  # a real PDF: the upload check reads it with strict pypdf
REASON = "Kế hoạch ban hành muộn so với hướng dẫn của tỉnh."


def head_finishes_the_self_assessment(page, base, tmp_path):
    page.goto(base + "/staff/")
    page.get_by_role("link", name="Đánh giá công tác dân vận chính quyền").click()
    page.get_by_role(
        "link", name=re.compile("Kết quả đánh giá của Ủy ban nhân dân Phường Phố Hiến")
    ).click()
    page.wait_for_url(re.compile(r".*/staff/evaluation/assessments/\d+/$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    line = page.locator("article", has_text="Báo cáo công tác dân vận chính quyền đầy đủ")
    line.get_by_label("Điểm tự chấm").fill("5,5")
    line.get_by_label("Ghi chú").fill("Đã gửi đủ 4 báo cáo quý.")
    report = tmp_path / "bao-cao-quy.pdf"
    report.write_bytes(PDF)
    line.locator("input[type=file]").set_input_files(str(report))
    line.get_by_role("button", name="Lưu điểm tự chấm của dòng này").click()
    page.wait_for_load_state()
    assert "bao-cao-quy.pdf" in page.content()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Gửi kết quả tự đánh giá").click()
    page.wait_for_load_state()
    assert "Đã gửi kết quả tự đánh giá để thẩm định." in page.content()
    return page.url


def supervisor_reviews_and_approves(page, base, assessment_url):
    page.goto(base + "/staff/evaluation/")
    page.get_by_role("link", name="Mở trang đợt đánh giá").first.click()
    page.get_by_role("button", name="Kết thúc tự đánh giá và bắt đầu thẩm định").click()
    page.wait_for_load_state()
    page.goto(assessment_url)
    line = page.locator("article", has_text="Ban hành kế hoạch thực hiện công tác dân vận")
    line.get_by_label("Điểm thẩm định").fill("3")
    line.get_by_role("button", name="Lưu điểm thẩm định của dòng này").click()
    page.wait_for_load_state()
    assert "Nêu lý do thay đổi" in page.content()  # no reason: refused, said on the line
    line = page.locator("article", has_text="Ban hành kế hoạch thực hiện công tác dân vận")
    line.get_by_label("Điểm thẩm định").fill("3")
    line.get_by_label("Lý do thay đổi").fill(REASON)
    line.get_by_role("button", name="Lưu điểm thẩm định của dòng này").click()
    page.wait_for_load_state()
    assert REASON in page.content()
    page.get_by_role("button", name="Kết thúc thẩm định đơn vị này").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Kết thúc thẩm định các đơn vị còn lại").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Phê duyệt kết quả").click()
    page.wait_for_load_state()
    assert "Kết quả đã được phê duyệt và khóa." in page.content()


def test_a_commune_self_assesses_and_the_supervisor_reviews_approves_and_ranks(
    new_page, live_platform, tmp_path
):
    base = live_platform
    head = new_page(PHONE)
    sign_in(head, base, "chutich@demo.danvan.vn")
    assessment_url = head_finishes_the_self_assessment(head, base, tmp_path)

    supervisor = new_page(DESK)
    sign_in(supervisor, base, "danvan@demo.danvan.vn")
    supervisor_reviews_and_approves(supervisor, base, assessment_url)
    supervisor.get_by_role("link", name="Bảng xếp hạng", exact=True).first.click()
    supervisor.wait_for_url(re.compile(r".*/ranking/$"))
    assert "Ủy ban nhân dân Phường Phố Hiến" in supervisor.content()
    assert serious_accessibility_violations(supervisor) == []
    with supervisor.expect_download() as download:
        supervisor.get_by_role("link", name="Bảng kết quả (XLSX)").click()
    book = load_workbook(BytesIO(download.value.path().read_bytes()))
    names = [row[2] for row in book["Kết quả"].iter_rows(min_row=4, values_only=True)]
    assert "Ủy ban nhân dân Phường Phố Hiến" in names
