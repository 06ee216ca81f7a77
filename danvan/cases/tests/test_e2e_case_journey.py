"""The whole life of a complaint in Chromium: a citizen's phone, two officers' desks."""

import io
import re

import pytest
from django.utils import translation
from PIL import Image

from danvan.cases.actions import ACTIONS
from testsupport.platform import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.e2e
PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 800}
ANSWER = "Ủy ban đã kiểm tra hiện trường và điều chỉnh đơn giá bồi thường cho gia đình ông."


def photo(tmp_path):
    path = tmp_path / "hien-truong.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "olive").save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def act(page, case_url, action, fill=None):
    """Open the action's panel on the case page, fill it and confirm."""
    form = page.locator(f"form[action='{case_url}{action}/']")
    form.locator("xpath=..").locator("summary").click()
    for name, value in (fill or {}).items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
    with translation.override("vi"):
        done = str(ACTIONS[action].done)
    page.get_by_text(done).wait_for()


def citizen_files_a_complaint(page, base, tmp_path):
    page.goto(base + "/gui-don/")
    assert serious_accessibility_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("input[name=kind][value=complaint]").check()
    page.locator("select[name=unit]").select_option(label="Phường Phố Hiến")
    page.locator("textarea[name=content]").fill(
        "Tôi khiếu nại đơn giá bồi thường 360 m² đất nông nghiệp, thấp hơn các hộ liền kề."
    )
    page.locator("input[name=attachments]").set_input_files(str(photo(tmp_path)))
    page.locator("input[name=name]").fill("Lê Văn Cảnh")
    page.locator("input[name=phone]").fill("0978 221 045")
    page.locator("input[name=address]").fill("Thôn Tân Dân, phường Phố Hiến")
    page.get_by_role("button", name="Gửi", exact=True).click()
    # The subject was forgotten: the form comes back with the photo still attached.
    page.get_by_text("Vui lòng viết tiêu đề ngắn.").wait_for()
    assert page.get_by_label(re.compile(r"^Bỏ tệp hien-truong\.jpg \(")).is_visible()
    assert serious_accessibility_violations(page) == []
    page.locator("input[name=title]").fill("Khiếu nại đơn giá bồi thường")
    page.get_by_role("button", name="Gửi", exact=True).click()
    page.wait_for_url(re.compile(r".*/tra-cuu/[0-9A-Z-]{14}/$"))
    code = page.locator(".tracking-code").inner_text()
    assert serious_accessibility_violations(page) == []
    return code


def open_case(page, base, code):
    page.goto(base + "/staff/cases/")
    page.get_by_role("link", name=code).click()
    page.wait_for_url(re.compile(r".*/staff/cases/\d+/$"))
    return page.url.removeprefix(base)


def test_a_complaint_from_a_phone_to_a_rated_answer(new_page, live_platform, tmp_path):
    base = live_platform
    citizen = new_page(PHONE)
    code = citizen_files_a_complaint(citizen, base, tmp_path)

    reception = new_page(DESK)
    sign_in(reception, base, "tiepdan@demo.danvan.vn")
    case_url = open_case(reception, base, code)
    assert "hien-truong.jpg" in reception.content()
    act(reception, case_url, "classify", {"topic": "Bồi thường, hỗ trợ, tái định cư"})
    reception.locator(f"form[action='{case_url}assign/'] >> xpath=..").locator("summary").click()
    reception.locator("select[name=assignee]").select_option(label="Lê Văn Cường")
    reception.get_by_role("button", name="Giao", exact=True).click()
    reception.get_by_text("Đã lưu.").wait_for()
    assert serious_accessibility_violations(reception) == []

    handler = new_page(DESK)
    sign_in(handler, base, "xuly@demo.danvan.vn")
    handler.goto(base + case_url)
    act(handler, case_url, "accept")
    act(handler, case_url, "start")
    act(handler, case_url, "extend", {"note": "Cần xác minh giá đất tại nhiều vị trí."})
    act(handler, case_url, "resolve", {"answer": ANSWER})
    assert "van-ban-tra-loi" in handler.content()
    assert serious_accessibility_violations(handler) == []

    citizen.goto(f"{base}/tra-cuu/{code}/")
    assert ANSWER in citizen.content()
    document = citizen.get_by_role("link", name=re.compile("van-ban-tra-loi"))
    response = citizen.request.get(base + document.get_attribute("href"))
    assert response.ok
    assert response.body()[:2] == b"PK"  # a DOCX (zip) file
    citizen.locator("input[name=rating][value='5']").check()
    citizen.locator("textarea[name=comment]").fill("Trả lời rõ ràng, đúng hạn.")
    citizen.get_by_role("button", name=re.compile("Gửi đánh giá")).click()
    citizen.get_by_text("Đánh giá của bạn: Rất hài lòng").wait_for()
    assert serious_accessibility_violations(citizen) == []
