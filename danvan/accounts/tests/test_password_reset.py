"""'Forgot password': a 6-digit code to the phone (SMS) or the email, then a new password."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from conftest import DEMO_PASSWORD
from danvan.accounts.models import ContactCode, User
from danvan.accounts.roles import Role
from danvan.accounts.tests.support import last_mail_code, last_sms_code, sms_to
from danvan.audit.models import AuditEntry
from danvan.core.sms import MemoryBackend

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
RESET, CODE = "/accounts/password-reset/", "/accounts/password-reset/code/"
NEW, RESEND = "/accounts/password-reset/new/", "/accounts/password-reset/resend/"
CITIZEN_PHONE = "+84912345678"
NEW_PASSWORD = "Song-Hong-chay-mai-2027"


def vi(msgid: str) -> str:
    with translation.override("vi"):
        return gettext(msgid)


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def signed_in(login: str) -> Client:
    client = Client()
    assert client.post(LOGIN, {"username": login, "password": DEMO_PASSWORD}).status_code == 302
    return client


def asked(post, login: str) -> Client:
    client = Client()
    response = post(client, RESET, {"login": login})
    assert response.url == CODE
    return client


def test_a_citizen_resets_the_password_by_a_code_sent_to_the_phone(post, demo_user):
    elsewhere = signed_in("0912345678")
    assert elsewhere.get("/accounts/").status_code == 200
    client = asked(post, "0912 345 678")
    [text] = sms_to(CITIZEN_PHONE)
    code = last_sms_code(CITIZEN_PHONE)
    assert text == vi(
        "%(site)s: your password reset code is %(code)s, valid for %(minutes)d minutes."
        " If you did not ask for it, ignore this message."
    ) % {"site": "Dân Vận", "code": code, "minutes": 10}
    assert "<strong>0912 345 678</strong>" in client.get(CODE).content.decode()
    assert client.get(NEW).url == RESET  # not before the code

    assert client.post(CODE, {"code": code}).url == NEW
    weak = client.post(NEW, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 422
    assert "Mật khẩu này hoàn toàn là số." in weak.content.decode()
    response = client.post(NEW, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
                           follow=True)  # fmt: skip
    assert response.redirect_chain == [(LOGIN, 302)]
    assert (
        vi(
            "Your password was changed and the account was signed out everywhere. Sign in with"
            " the new password."
        )
        in response.content.decode()
    )

    citizen = demo_user(Role.CITIZEN)
    assert citizen.check_password(NEW_PASSWORD)
    assert elsewhere.get("/accounts/").url == "/accounts/login/?next=/accounts/"  # signed out
    assert client.get(NEW).url == RESET  # the code is spent
    assert not AuditEntry.objects.filter(action="account.password_reset").exists()
    assert Client().post(LOGIN, {"username": "0912345678", "password": NEW_PASSWORD}).url == (
        "/after-login/"
    )


def test_an_official_resets_by_email_the_reset_is_audited_and_two_step_stays(post, demo_user):
    official = demo_user(Role.HANDLING_OFFICER)
    client = asked(post, "XuLy@demo.danvan.vn")
    [message] = mail.outbox
    assert message.subject == vi("%(site)s: your password reset code") % {"site": "Dân Vận"}
    assert client.post(CODE, {"code": last_mail_code(official.email)}).url == NEW
    client.post(NEW, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    entry = AuditEntry.objects.get(action="account.password_reset")
    assert entry.object_id == str(official.pk)
    assert entry.actor_id == official.pk
    response = Client().post(LOGIN, {"username": official.email, "password": NEW_PASSWORD})
    assert response.url == "/accounts/two-factor/?next=%2Fafter-login%2F"


def test_the_two_new_passwords_must_match(post):
    client = asked(post, "0912345678")
    client.post(CODE, {"code": last_sms_code(CITIZEN_PHONE)})
    response = client.post(NEW, {"new_password1": NEW_PASSWORD, "new_password2": "khac-han"})
    assert response.status_code == 422
    assert vi("The two passwords differ.") in response.content.decode()


def test_wrong_and_expired_codes_are_refused(post, frozen_time):
    client = asked(post, "0912345678")
    code = last_sms_code(CITIZEN_PHONE)
    response = client.post(CODE, {"code": wrong(code)})
    assert response.status_code == 422
    assert vi("This code is wrong. Check the message and enter its 6 digits.") in (
        response.content.decode()
    )
    frozen_time.shift(timedelta(minutes=10, seconds=1))
    response = client.post(CODE, {"code": code})
    assert response.status_code == 422
    assert vi("This code has expired. Ask for a new code.") in response.content.decode()
    assert client.get(NEW).url == RESET
    assert post(client, RESEND).url == CODE
    assert client.post(CODE, {"code": last_sms_code(CITIZEN_PHONE)}).url == NEW


def test_five_wrong_codes_spend_the_code(post):
    client = asked(post, "0912345678")
    code = last_sms_code(CITIZEN_PHONE)
    for _attempt in range(5):
        client.post(CODE, {"code": wrong(code)})
    response = client.post(CODE, {"code": code})
    assert vi("Too many wrong codes. Ask for a new code.") in response.content.decode()
    assert client.get(NEW).url == RESET


def test_the_time_to_choose_a_password_runs_out(post, frozen_time, demo_user):
    client = asked(post, "0912345678")
    client.post(CODE, {"code": last_sms_code(CITIZEN_PHONE)})
    frozen_time.shift(timedelta(minutes=10, seconds=1))
    response = client.post(NEW, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.url == RESET
    assert demo_user(Role.CITIZEN).check_password(DEMO_PASSWORD)


def test_resets_to_one_phone_are_throttled(post, frozen_time):
    client = asked(post, "0912345678")
    response = post(client, RESEND, follow=True)
    assert len(sms_to(CITIZEN_PHONE)) == 1
    assert "60 giây" in response.content.decode()
    for _sent in range(4):
        frozen_time.shift(timedelta(seconds=61))
        post(Client(), RESET, {"login": "0912345678"})
    assert len(sms_to(CITIZEN_PHONE)) == 5
    frozen_time.shift(timedelta(seconds=61))
    response = post(Client(), RESET, {"login": "0912345678"})
    assert response.status_code == 429
    assert len(sms_to(CITIZEN_PHONE)) == 5


@pytest.mark.parametrize("login", ["", "091234", "khong-phai-email"])
def test_a_malformed_login_is_refused_and_nothing_is_queued(post, login):
    response = post(Client(), RESET, {"login": login})
    assert response.status_code == 422
    assert not ContactCode.objects.exists()


def test_an_inactive_account_gets_no_code(post, demo_user):
    User.objects.filter(pk=demo_user(Role.CITIZEN).pk).update(is_active=False)
    client = asked(post, "0912345678")
    assert MemoryBackend.outbox == []
    assert client.post(CODE, {"code": "123456"}).status_code == 422
