"""Reception and a dialogue in Chromium: a citizen books a reception slot and asks a question
from a phone; the secretary records the answer and a commitment; the owner keeps it with
evidence; the public accountability page shows it."""

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from testsupport.platform import serious_accessibility_violations, sign_in

pytestmark = pytest.mark.e2e
PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 800}
QUESTION = "Khi nào sửa xong mương thoát nước tổ dân phố 3 bị lấp khi thi công đường?"
PROMISE = "Nạo vét mương thoát nước tổ dân phố 3"
BOOKER = "Lê Thị Hồng Nhung"
MATTER = "Đề nghị cấp lại giấy chứng nhận quyền sử dụng đất bị mất."


def today():
    return datetime.now(tz=ZoneInfo("Asia/Ho_Chi_Minh")).date()


def citizen_books_a_reception_slot(page, base):
    """From the public schedule, the commune's next session; returns its day (ISO)."""
    page.goto(base + "/lich-tiep-cong-dan/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    session = page.locator("li.reception-session", has_text="Phường Phố Hiến").first
    day = session.locator("time").get_attribute("datetime")
    session.get_by_role("link", name=re.compile("Đăng ký tiếp")).click()
    page.get_by_label("Họ và tên").fill(BOOKER)
    page.get_by_label("Số điện thoại di động").fill("0912 345 678")
    page.get_by_label("Nội dung vụ việc, tóm tắt trong vài dòng").fill(MATTER)
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    page.wait_for_url(base + "/lich-tiep-cong-dan/")
    assert "Bạn đã đăng ký tiếp công dân ngày" in page.content()
    assert serious_accessibility_violations(page) == []
    return day


def organiser_opens_a_dialogue(page, base):
    page.goto(base + "/staff/dialogues/new/")
    page.locator("input[name=title]").fill("Đối thoại với hộ dân dự án đường vành đai 4")
    page.locator("select[name=organiser]").select_option(index=1)
    page.locator("select[name=chair]").select_option(label="Phạm Thị Dung")
    page.locator("input[name=issue_group]").fill("Hộ dân bị ảnh hưởng giải phóng mặt bằng")
    page.locator("input[name=day]").fill((today() + timedelta(days=7)).isoformat())
    page.locator("input[name=time]").fill("08:00")
    page.locator("input[name=place]").fill("Hội trường UBND phường Phố Hiến")
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/staff/dialogues/\d+/$"))
    page.locator("button[name=status][value=open]").click()
    page.wait_for_url(re.compile(r".*/staff/dialogues/\d+/$"))
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def evidence(tmp_path):
    path = tmp_path / "bien-ban-nghiem-thu.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "teal").save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_citizen_books_and_asks_from_a_phone_and_the_promise_is_kept_with_evidence(
    new_page, live_platform, tmp_path
):
    base = live_platform
    citizen = new_page(PHONE)
    day = citizen_books_a_reception_slot(citizen, base)

    secretary = new_page(DESK)
    sign_in(secretary, base, "tiepdan@demo.danvan.vn")
    secretary.goto(f"{base}/staff/reception/?day={day}")
    booked = secretary.locator("section.card", has_text=BOOKER)
    assert MATTER in booked.inner_text()
    assert "0912 345 678" in booked.inner_text()  # national format, not +84
    pk = organiser_opens_a_dialogue(secretary, base)

    citizen.goto(f"{base}/doi-thoai/{pk}/")
    assert citizen.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    citizen.locator("textarea[name=text]").fill(QUESTION)
    citizen.locator("#ask + .card button[type=submit]").click()
    citizen.wait_for_url(f"{base}/doi-thoai/{pk}/")
    assert QUESTION in citizen.content()
    assert serious_accessibility_violations(citizen) == []

    secretary.goto(f"{base}/staff/dialogues/{pk}/")
    minutes = secretary.locator(f"form[action='/staff/dialogues/{pk}/minutes/']")
    minutes.locator("select[name=question]").select_option(index=1)
    minutes.locator("textarea[name=answer]").fill("Phường yêu cầu nhà thầu nạo vét trong tháng.")
    minutes.locator("select[name=answered_by]").select_option(label="Phạm Thị Dung")
    minutes.locator("select[name=agency]").select_option(index=1)
    minutes.locator("input[name=promises]").check()
    minutes.locator("textarea[name=commitment]").fill(PROMISE)
    minutes.locator("select[name=owner]").select_option(label="Ủy ban nhân dân Phường Phố Hiến")
    minutes.locator("input[name=due_on]").fill((today() + timedelta(days=20)).isoformat())
    minutes.locator("button[type=submit]").click()
    secretary.wait_for_url(f"{base}/staff/dialogues/{pk}/")
    assert PROMISE in secretary.content()

    owner = new_page(DESK)
    sign_in(owner, base, "xuly@demo.danvan.vn")
    owner.goto(base + "/staff/commitments/")
    owner.get_by_role("link", name=PROMISE).click()
    owner.wait_for_url(re.compile(r".*/staff/commitments/\d+/$"))
    owner.locator("textarea[name=text]").fill("Đã nạo vét 400 m mương, nghiệm thu ngày hôm nay.")
    owner.locator("input[name=evidence]").set_input_files(str(evidence(tmp_path)))
    owner.locator("input[name=close]").check()
    owner.locator("form.stacked button[type=submit]").click()
    owner.wait_for_load_state()
    assert "bien-ban-nghiem-thu.jpg" in owner.content()

    citizen.goto(f"{base}/doi-thoai/{pk}/cam-ket/")
    row = citizen.locator("tr", has_text=PROMISE)
    assert "nghiệm thu" in row.inner_text()
    assert "overdue" not in (row.get_attribute("class") or "")
