import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import DEMO_PASSWORD
from danvan.accounts.models import PendingSignup, User
from danvan.accounts.roles import Role
from danvan.accounts.tests.support import last_mail_code, last_sms_code
from danvan.core.sms import MemoryBackend
from testsupport.platform import totp_code

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
SIGNUP = "/accounts/signup/"


def _signup_data(**overrides):
    data = {
        "full_name": "Nguyễn Thị Mai",
        "email": "",
        "phone": "0987 654 321",
        "password1": "Hoa-sen-trong-ao-2026",
        "password2": "Hoa-sen-trong-ao-2026",
        "consent": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("login", ["0912345678", "0912 345 678", "+84912345678"])
def test_citizen_signs_in_with_any_written_form_of_the_phone(login):
    response = Client().post(LOGIN, {"username": login, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("portal:after-login")


def test_official_signs_in_by_email_in_any_case_and_lands_on_staff_home():
    client = Client()
    response = client.post(
        LOGIN, {"username": "XuLy@demo.danvan.vn", "password": DEMO_PASSWORD}, follow=True
    )
    # The password is the first step; the demo key's code is the second.
    assert response.redirect_chain[-1][0] == "/accounts/two-factor/?next=%2Fafter-login%2F"
    code = totp_code(settings.DANVAN_DEMO_TOTP_SECRET)
    response = client.post(response.redirect_chain[-1][0], {"code": code}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:staff-home")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"username": "0912345678", "password": "wrong"},
            "Email/số điện thoại hoặc mật khẩu không đúng",
        ),
        ({"username": "091234", "password": "x"}, "số điện thoại di động Việt Nam gồm 10 chữ số"),
        ({"username": "", "password": ""}, "Vui lòng nhập email hoặc số điện thoại di động."),
        ({"username": "0912345678", "password": ""}, "Vui lòng nhập mật khẩu."),
    ],
)
def test_bad_login_gets_a_vietnamese_message_and_no_session(data, message):
    client = Client()
    response = client.post(LOGIN, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"phone": "012345"}, "gồm 10 chữ số"),
        (
            {"phone": "", "email": ""},
            "Vui lòng nhập email hoặc số điện thoại di động (hoặc cả hai).",
        ),
        ({"email": "khong-phai-email"}, "Vui lòng nhập địa chỉ email hợp lệ"),
        ({"full_name": ""}, "Vui lòng nhập họ và tên."),
        ({"password2": "khac"}, "Hai mật khẩu không khớp nhau."),
        ({"password1": "123", "password2": "123"}, "Mật khẩu"),
        ({"consent": ""}, "Bạn cần đồng ý cho xử lý dữ liệu cá nhân"),
    ],
)
def test_bad_signup_gets_a_vietnamese_message_and_creates_nothing(overrides, message, post):
    before = User.objects.count()
    response = post(Client(), SIGNUP, _signup_data(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert User.objects.count() == before
    assert not PendingSignup.objects.exists()
    assert MemoryBackend.outbox == []


def test_signup_creates_a_citizen_with_a_normalized_phone_and_signs_in(post):
    client = Client()
    response = post(client, SIGNUP, _signup_data(email="Mai@Example.VN"))
    assert response.url == "/accounts/signup/confirm/"
    assert not User.objects.filter(phone="+84987654321").exists()
    codes = {"phone": last_sms_code("+84987654321"), "email": last_mail_code("mai@example.vn")}
    response = client.post("/accounts/signup/confirm/", codes)
    assert response.url == "/accounts/"
    user = User.objects.get(phone="+84987654321")
    assert user.email == "mai@example.vn"
    assert user.full_name == "Nguyễn Thị Mai"
    assert user.check_password("Hoa-sen-trong-ao-2026")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_repeated_failed_logins_are_throttled_even_with_the_right_password_after():
    client = Client()
    statuses = [
        client.post(LOGIN, {"username": "0912 345 678", "password": f"wrong{n}"}).status_code
        for n in range(6)
    ]
    assert statuses[:4] == [200] * 4
    assert statuses[-1] == 429
    locked = client.post(LOGIN, {"username": "+84912345678", "password": DEMO_PASSWORD})
    assert locked.status_code == 429
    assert "Bạn đã đăng nhập sai quá nhiều lần" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_throttling_is_per_account_so_others_can_still_sign_in(demo_user):
    client = Client()
    for n in range(6):
        client.post(LOGIN, {"username": "0912345678", "password": f"wrong{n}"})
    other = client.post(LOGIN, {"username": "xuly@demo.danvan.vn", "password": DEMO_PASSWORD})
    assert other.status_code == 302


def test_the_login_page_offers_a_password_reset():
    page = Client().get(LOGIN).content.decode()
    assert '<a href="/accounts/password-reset/">Quên mật khẩu?</a>' in page


def test_english_messages_when_english_is_chosen():
    with translation.override("en"):
        response = Client(headers={"accept-language": "en"}).post(
            LOGIN, {"username": "", "password": ""}
        )
    assert "Enter your email or mobile number." in response.content.decode()


def test_signed_in_account_page_shows_roles(client_as):
    response = client_as(Role.HEAD).get("/accounts/")
    text = response.content.decode()
    assert "Thủ trưởng cơ quan" in text
    assert "Ủy ban nhân dân Phường Phố Hiến" in text
