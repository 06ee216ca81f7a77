"""Personal data masked before a letter is shown publicly."""

import pytest

from danvan.language.pii import SENDER_LABEL, Match, find, mask, mask_contacts, mask_sender

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


# --- mask_contacts: log lines and the development backends -------------------------------

# (text, masked): every common writing of a phone, an ID number and an e-mail address.
CONTACTS = [
    ("0912_345_678", PHONE),
    ("0912/345/678", PHONE),
    ("0912 345 678", PHONE),
    ("0912-345-678", PHONE),
    ("0912.345.678", PHONE),
    ("０９１２３４５６７８", PHONE),  # full-width digits
    ("＋８４９１２３４５６７８", PHONE),
    ("+84 912 345 678", PHONE),
    ("(+84) 912.345.678", PHONE),
    ("0084912345678", PHONE),
    ("84-912-345-678", PHONE),
    ("SMS to +84913000111: received", f"SMS to {PHONE}: received"),
    ("(024) 3825 1234", PHONE),
    ("033.099.001.122", ID),
    ("033-099-001-122", ID),
    ("0330 9900 1122", ID),
    ("033099001122", ID),
    ("CMND 123456789", f"CMND {ID}"),
    ("To: binh@example.vn", f"To: {EMAIL}"),
    ("Binh.Tran+dv@So-TNMT.hungyen.gov.vn", EMAIL),
]


@pytest.mark.parametrize(("text", "masked"), CONTACTS + MASKED)
def test_contacts_are_masked_in_any_writing(text, masked):
    assert mask_contacts(text) == masked


@pytest.mark.parametrize(
    "text",
    [*KEPT, "GET /staff/cases/17/ 200 12.5ms", "ABCD-2345-6789", "2026-11-23T09:00:00+07:00"],
)
def test_mask_contacts_keeps_other_numbers(text):
    assert mask_contacts(text) == text


def test_masking_twice_changes_nothing():
    once = mask_contacts("0912_345_678, a@b.vn, 033.099.001.122")
    assert mask_contacts(once) == once == f"{PHONE}, {EMAIL}, {ID}"


# --- mask_sender: a denouncer's own details in the letter they wrote ------------------------

SENDER = {"name": "Trần Văn Bình", "phone": "+84913000111", "email": "binh@example.vn",
          "address": "Thôn Đông, Phố Hiến", "id_number": "033090001234"}  # fmt: skip
HIDDEN = SENDER_LABEL

# (text, masked): the sender's details whatever their accents, case, spacing and prefix.
SENDER_TEXTS = [
    ("Tôi là Trần Văn Bình.", f"Tôi là {HIDDEN}."),
    ("Tôi là TRAN VAN BINH.", f"Tôi là {HIDDEN}."),
    ("tôi, trần  văn\nbình, xin tố cáo", f"tôi, {HIDDEN}, xin tố cáo"),
    ("SĐT 0913 000 111", f"SĐT {HIDDEN}"),
    ("SĐT 913000111", f"SĐT {HIDDEN}"),
    ("SĐT +84-913-000-111", f"SĐT {HIDDEN}"),
    ("email BINH@EXAMPLE.VN.", f"email {HIDDEN}."),
    ("ở thôn Đông - Phố Hiến", f"ở {HIDDEN}"),
    ("CCCD 033 090 001 234", f"CCCD {HIDDEN}"),
    # Other people's contacts get their own label; a lone given name stays.
    ("Cán bộ C, SĐT 0988.777.666, nói với Bình", f"Cán bộ C, SĐT {PHONE}, nói với Bình"),
    ("Nhận 120.000.000 đồng ở Phố Hiến", "Nhận 120.000.000 đồng ở Phố Hiến"),
    ("Trần Văn Bảo là người khác", "Trần Văn Bảo là người khác"),
]


@pytest.mark.parametrize(("text", "masked"), SENDER_TEXTS)
def test_a_senders_own_details_are_masked_in_their_letter(text, masked):
    assert mask_sender(text, SENDER) == masked


def test_mask_sender_takes_several_senders_and_single_words_never_match():
    account = {"name": "Nguyễn Văn An", "phone": "+84912345678", "email": ""}
    text = "An và Nguyễn Văn An, 0912345678, (0912345678) cùng Trần Văn Bình"
    assert mask_sender(text, SENDER, account) == (
        f"An và {HIDDEN}, {HIDDEN}, ({HIDDEN}) cùng {HIDDEN}"
    )
    assert mask_sender("An ở đây", {"name": "An"}) == "An ở đây"
