"""The province overview in Chromium: the supervisor opens it from the workspace, reads a
chart and the table beside it, narrows it to denunciations, and drills down from a number
to the letters behind it, which list no sender and no link to a letter it may not open."""

import re

import pytest

from testsupport.platform import run_command, serious_accessibility_violations, sign_in

pytestmark = pytest.mark.e2e
DESK = {"width": 1280, "height": 800}


def test_the_supervisor_drills_down_from_the_overview_to_the_letters(new_page, live_platform):
    base = live_platform
    page = new_page(DESK)
    run_command(base, "refresh_insights")  # other journeys changed letters since the last run
    sign_in(page, base, "danvan@demo.danvan.vn")
    page.goto(base + "/staff/")
    page.get_by_role("link", name="Tình hình toàn tỉnh").first.click()
    page.wait_for_url(re.compile(r".*/staff/insights/$"))
    assert page.get_by_role("heading", name="Tình hình toàn tỉnh", level=1).is_visible()
    assert page.locator("svg.chart").count() >= 2
    assert page.get_by_role("table").first.is_visible()
    assert serious_accessibility_violations(page) == []

    agencies = page.locator("section[aria-labelledby=h-agencies]")
    row = agencies.locator("tr", has_text="Ủy ban nhân dân Phường Phố Hiến")
    open_link = row.get_by_role("link").nth(1)  # received, open, overdue
    open_count = int(open_link.inner_text())
    assert open_count > 0
    open_link.click()
    page.wait_for_url(re.compile(r".*/staff/insights/letters/\?.*what=open.*"))
    assert "Đơn đang giải quyết" in page.content()
    rows = page.locator("tbody tr")
    assert rows.count() == min(open_count, 50)
    assert page.locator("tbody a").count() == 0  # the supervisor opens no letter
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Quay lại tình hình toàn tỉnh").click()
    page.get_by_label("Loại đơn").select_option(label="Tố cáo")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url(re.compile(r".*kind=denunciation.*"))
    assert page.get_by_role("heading", name="Theo cơ quan, đơn vị").is_visible()
