"""Browser journeys on the served platform: a citizen on a phone asks for a password reset
and signs up; both reach the page that asks for the code sent by SMS."""

import pytest

from testsupport.platform import serious_accessibility_violations

pytestmark = pytest.mark.e2e
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_citizen_on_a_phone_asks_for_a_password_reset_from_the_login_page(page, live_platform):
    page.goto(live_platform + "/accounts/login/")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    page.wait_for_url(live_platform + "/accounts/password-reset/")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Email hoặc số điện thoại di động").fill("0912 345 678")
    page.get_by_role("button", name="Gửi mã").click()
    page.wait_for_url(live_platform + "/accounts/password-reset/code/")
    assert page.locator("main strong").inner_text() == "0912 345 678"
    assert page.locator("input[name=code]").get_attribute("autocomplete") == "one-time-code"
    assert serious_accessibility_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_citizen_on_a_phone_signs_up_and_is_asked_for_the_code(page, live_platform):
    page.goto(live_platform + "/accounts/signup/")
    page.get_by_label("Họ và tên").fill("Phạm Thị Hoa")
    page.get_by_label("Số điện thoại di động").fill("0987 111 222")
    page.get_by_label("Mật khẩu", exact=True).fill("Hoa-sen-trong-ao-2026")
    page.get_by_label("Nhập lại mật khẩu").fill("Hoa-sen-trong-ao-2026")
    page.locator("input[name=consent]").check()
    page.get_by_role("button", name="Tạo tài khoản").click()
    page.wait_for_url(live_platform + "/accounts/signup/confirm/")
    assert page.locator("main strong").inner_text() == "0987 111 222"
    assert page.get_by_label("Mã gửi tới số điện thoại của bạn").is_visible()
    assert serious_accessibility_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
