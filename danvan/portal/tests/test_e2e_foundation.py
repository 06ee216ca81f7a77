"""Browser journeys on the served platform: a citizen on a phone, an official at a desk."""

import pytest
from django.conf import settings

from conftest import DEMO_PASSWORD
from testsupport.platform import second_factor, serious_accessibility_violations

pytestmark = pytest.mark.e2e
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_citizen_on_a_phone_switches_language(page, live_platform):
    page.goto(live_platform + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Tiếng nói của bạn")
    assert serious_accessibility_violations(page) == []
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Your voice")
    assert serious_accessibility_violations(page) == []

    page.get_by_role("button", name="Tiếng Việt").click()
    assert page.locator("html").get_attribute("lang") == "vi"


def test_citizen_looks_up_an_old_commune_without_accents(page, live_platform):
    page.goto(live_platform + "/units/")
    page.get_by_label("Tên xã, phường hoặc tỉnh").fill("hien nam")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_text("Phường Phố Hiến").first.wait_for()
    assert serious_accessibility_violations(page) == []


def test_official_signs_in_and_reaches_the_staff_home(page, live_platform):
    page.goto(live_platform + "/accounts/login/")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Email hoặc số điện thoại di động").fill("chutich@demo.danvan.vn")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()
    page.wait_for_url(live_platform + "/accounts/two-factor/?next=%2Fafter-login%2F")
    assert serious_accessibility_violations(page) == []  # the second step: the TOTP code
    second_factor(page, str(settings.DANVAN_DEMO_TOTP_SECRET))
    page.wait_for_url(live_platform + "/staff/")
    assert "Ủy ban nhân dân Phường Phố Hiến" in page.content()
    assert serious_accessibility_violations(page) == []


def test_wrong_password_shows_a_vietnamese_message(page, live_platform):
    page.goto(live_platform + "/accounts/login/")
    page.get_by_label("Email hoặc số điện thoại di động").fill("0912 345 678")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").last.click()
    assert page.get_by_role("alert").inner_text().startswith("Email/số điện thoại hoặc mật khẩu")
    assert serious_accessibility_violations(page) == []
