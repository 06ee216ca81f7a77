"""Personal data masked before a letter is shown publicly."""

import pytest

from danvan.language.pii import Match, find, mask

PHONE, ID, EMAIL = "[số điện thoại]", "[số định danh]", "[email]"

# (text, masked)
MASKED = [
    ("Gọi 0912345678 nhé", f"Gọi {PHONE} nhé"),
    ("SĐT: 0912 345 678.", f"SĐT: {PHONE}."),
    ("0912.345.678", PHONE),
    ("091-234-5678", PHONE),
    ("+84 912 345 678", PHONE),
    ("(+84) 912345678", PHONE),
    ("+84-912-345-678", PHONE),
    ("84912345678", PHONE),
    ("0084912345678", PHONE),
    ("máy bàn (024) 3825 1234", f"máy bàn {PHONE}"),
    ("02213 123 456", PHONE),
    ("ĐT0912345678", f"ĐT{PHONE}"),
    ("0912345678 và 0987654321", f"{PHONE} và {PHONE}"),
    ("CCCD 001203012345 cấp ngày 12/05/2021", f"CCCD {ID} cấp ngày 12/05/2021"),
    ("CCCD: 001 203 012 345", f"CCCD: {ID}"),
    ("0012 0301 2345", ID),
    ("CMND số 123456789.", f"CMND số {ID}."),
    ("thư gửi nguyen.van.a@gmail.com", f"thư gửi {EMAIL}"),
    ("a.b+c@so-tnmt.hungyen.gov.vn, cảm ơn", f"{EMAIL}, cảm ơn"),
    ("nguyen0912345678@gmail.com", EMAIL),
]

# Numbers that are not personal data.
KEPT = [
    "Diện tích 360 m², giá 1.200.000 đồng",
    "Số tiền 840000000 đồng",
    "Bồi thường 123456789đ",
    "mã hồ sơ 1234567890123 dài",
    "ngày 12/05/2024 và 12.05.2024",
    "năm 2020, 2021",
    "dân số 100.000.000 người",
    "123456789 m2",
    "tỉ lệ 0,912345678",
    "3.5 triệu",
    "tài khoản 0123456789012345",
    "số 0912345678901",
    "thửa đất số 123, tờ bản đồ số 45",
]


@pytest.mark.parametrize(("text", "masked"), MASKED)
def test_personal_data_is_masked(text, masked):
    assert mask(text) == masked


@pytest.mark.parametrize("text", KEPT)
def test_other_numbers_are_kept(text):
    assert mask(text) == text
    assert find(text) == []


def test_find_gives_kinds_and_offsets_in_order():
    text = "Tôi, CCCD 001203012345, ĐT 0912345678, thư a@b.vn"
    assert find(text) == [
        Match("id", 10, 22),
        Match("phone", 27, 37),
        Match("email", 43, 49),
    ]
    assert [text[m.start : m.end] for m in find(text)] == ["001203012345", "0912345678", "a@b.vn"]
