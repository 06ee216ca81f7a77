"""An officer opens a new letter, sees its suggested topic and likely duplicate, links them."""

import re

import pytest

from danvan.cases.tests.test_e2e_case_journey import DESK, PHONE, sign_in
from testsupport.platform import serious_accessibility_violations

pytestmark = pytest.mark.e2e

ACCENTED = ("Xe tải chở đất của công trình khu đô thị mới chạy qua đường liên thôn Đông làm rơi "
            "vãi đất cát, bụi mù mịt, ô nhiễm không khí; đề nghị kiểm tra và yêu cầu che chắn.")  # fmt: skip
UNACCENTED = ("Xe tai cho dat cua cong trinh khu do thi moi chay qua duong lien thon Dong lam roi "
              "vai dat cat, bui mu mit, o nhiem khong khi; de nghi kiem tra va yeu cau che chan.")  # fmt: skip


def send(page, base, content, name, phone):
    page.goto(base + "/gui-don/")
    page.locator("input[name=kind][value=feedback]").check()
    page.locator("select[name=unit]").select_option(label="Phường Phố Hiến")
    page.locator("input[name=title]").fill("Xe chở đất gây bụi")
    page.locator("textarea[name=content]").fill(content)
    page.locator("input[name=name]").fill(name)
    page.locator("input[name=phone]").fill(phone)
    page.get_by_role("button", name="Gửi", exact=True).click()
    page.wait_for_url(re.compile(r".*/tra-cuu/[0-9A-Z-]{14}/$"))
    return page.locator(".tracking-code").inner_text()


def test_officer_sees_the_suggestion_and_the_duplicate_and_links_them(new_page, live_platform):
    base = live_platform
    citizen = new_page(PHONE)
    first = send(citizen, base, ACCENTED, "Nguyễn Văn Hùng", "0912 000 111")
    second = send(citizen, base, UNACCENTED, "Tran Thi Mai", "0913 000 222")

    officer = new_page(DESK)
    sign_in(officer, base, "xuly@demo.danvan.vn")
    officer.goto(base + "/staff/cases/")
    officer.get_by_role("link", name=second).click()
    page = officer.content()
    assert "gợi ý" in page
    assert "Ô nhiễm không khí, nước, tiếng ồn" in page
    duplicates = officer.locator("ul.duplicates")
    assert first in duplicates.inner_text()
    assert serious_accessibility_violations(officer) == []
    duplicates.get_by_role("button", name="Cùng nội dung: liên kết").click()
    officer.get_by_text("Đã lưu.").wait_for()

    for code, other in ((first, second), (second, first)):
        citizen.goto(f"{base}/tra-cuu/{code}/")
        timeline = citizen.locator("ol.timeline").inner_text()
        assert "Được xem xét cùng một đơn khác có cùng nội dung" in timeline
        assert other not in citizen.content()  # never the other letter's code
