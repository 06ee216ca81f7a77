"""Sign-up, password reset and sign-in answer the same whether or not an account exists.

Each test runs the same request twice for the same phone or address: first while no account
uses it, then (an hour later, past the throttles) once an account does. Everything the
person sees is compared field by field: status, redirect, headers, the page that follows
(CSRF token aside), and the work done (queries).
"""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from conftest import DEMO_PASSWORD
from danvan.accounts.models import ContactCode, PendingSignup, User
from danvan.accounts.tests.support import last_mail_code, sms_to
from danvan.core.sms import MemoryBackend

pytestmark = pytest.mark.django_db
SIGNUP, CONFIRM = "/accounts/signup/", "/accounts/signup/confirm/"
RESET, RESET_CODE = "/accounts/password-reset/", "/accounts/password-reset/code/"
PHONE, EMAIL = "+84987654321", "mai@example.vn"
DATA = {
    "full_name": "Nguyễn Thị Mai", "email": "", "phone": "0987 654 321",
    "password1": "Hoa-sen-trong-ao-2026", "password2": "Hoa-sen-trong-ao-2026", "consent": "on",
}  # fmt: skip
CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')
VOLATILE_HEADERS = {"Set-Cookie", "X-Request-ID", "Content-Length"}


def vi(msgid: str) -> str:
    with translation.override("vi"):
        return gettext(msgid)


def seen(response: Any) -> dict[str, Any]:
    """What the person gets from one response, without the per-session CSRF token."""
    return {
        "status": response.status_code,
        "location": response.get("Location"),
        "headers": {k: v for k, v in response.items() if k not in VOLATILE_HEADERS},
        "body": CSRF.sub(r"\1csrf", response.content.decode()),
    }


def journey(post: Any, steps: list[tuple[str, str, dict[str, str]]]) -> list[dict[str, Any]]:
    """Run the steps in a fresh client; what each answered, and how many queries each made."""
    client, answers = Client(), []
    for method, path, data in steps:
        with CaptureQueriesContext(connection) as queries:
            response = post(client, path, data) if method == "post" else client.get(path)
        answers.append({**seen(response), "queries": len(queries)})
    return answers


def later(frozen_time: Any) -> None:
    """Two hours on, past the throttles, with the first run's abandoned sign-up cleared as the
    next request would clear it (so that both runs find the same rows)."""
    frozen_time.shift(timedelta(hours=2))
    PendingSignup.objects.all().delete()


def account_with(**contact: str) -> User:
    return User.objects.create_user(password=DEMO_PASSWORD, full_name="Trần Văn Bình", **contact)


def test_sign_up_with_a_phone_that_has_an_account_answers_as_a_fresh_one(post, frozen_time):
    steps = [("post", SIGNUP, DATA), ("get", CONFIRM, {}), ("post", CONFIRM, {"phone": "123456"})]
    fresh = journey(post, steps)
    code_sms = sms_to(PHONE)
    owner = account_with(phone=PHONE)
    later(frozen_time)
    taken = journey(post, steps)

    assert fresh == taken  # status, redirect, headers, page and queries, step by step
    assert fresh[0]["location"] == CONFIRM
    assert "<strong>0987 654 321</strong>" in taken[1]["body"]
    assert vi("This code is wrong. Check the message and enter its 6 digits.") in taken[2]["body"]
    # Each sent one SMS to the phone: the code first; then a notice to the owner, no code.
    assert len(code_sms) == 1
    [notice] = sms_to(PHONE)[1:]
    assert notice == vi(
        "%(site)s: someone tried to create an account with this phone number, which already"
        " has one. If it was you, sign in or use “Forgot password”: %(link)s."
        " If not, you need do nothing."
    ) % {"site": "Dân Vận", "link": "http://127.0.0.1:8000/accounts/password-reset/"}
    assert not re.search(r"\b\d{6}\b", notice)
    assert list(User.objects.filter(phone=PHONE)) == [owner]
    assert owner.check_password(DEMO_PASSWORD)


def test_sign_up_with_an_email_that_has_an_account_answers_as_a_fresh_one(post, frozen_time):
    data = {**DATA, "phone": "", "email": "Mai@Example.vn"}
    steps = [("post", SIGNUP, data), ("get", CONFIRM, {}), ("post", CONFIRM, {"email": "123456"})]
    fresh = journey(post, steps)
    account_with(email=EMAIL)
    later(frozen_time)
    taken = journey(post, steps)
    assert fresh == taken
    notice = [m for m in mail.outbox if m.to == [EMAIL]][-1]
    assert notice.subject == vi("%(site)s: someone tried to create an account") % {
        "site": "Dân Vận"
    }
    assert User.objects.filter(email=EMAIL).count() == 1


def test_the_owner_of_a_taken_phone_cannot_be_confirmed_even_with_every_code_sent(post):
    owner = account_with(phone=PHONE)
    client = Client()
    post(client, SIGNUP, {**DATA, "email": EMAIL})
    [notice] = sms_to(PHONE)
    # The e-mail got a real code, the phone only a notice: no code to enter for the phone.
    response = client.post(CONFIRM, {"phone": "123456", "email": last_mail_code(EMAIL)})
    assert response.status_code == 422
    assert list(User.objects.filter(phone=PHONE)) == [owner]
    assert not User.objects.filter(email=EMAIL).exists()
    assert "Dân Vận" in notice
    assert ContactCode.objects.filter(message=ContactCode.Message.TAKEN).count() == 1
    assert PendingSignup.objects.count() == 1


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_phone(post, frozen_time):
    steps = [("post", RESET, {"login": "0987654321"}), ("get", RESET_CODE, {}),
             ("post", RESET_CODE, {"code": "123456"})]  # fmt: skip
    unknown = journey(post, steps)
    assert MemoryBackend.outbox == []  # nobody to send to
    account_with(phone=PHONE)
    later(frozen_time)
    known = journey(post, steps)
    assert unknown == known
    assert unknown[0]["location"] == RESET_CODE
    assert len(sms_to(PHONE)) == 1  # the account's owner got the code
    assert list(ContactCode.objects.order_by("pk").values_list("message", "state")) == [
        ("none", "skipped"), ("code", "sent"),
    ]  # fmt: skip


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_email(post, frozen_time):
    steps = [("post", RESET, {"login": EMAIL}), ("get", RESET_CODE, {})]
    unknown = journey(post, steps)
    account_with(email=EMAIL)
    later(frozen_time)
    assert journey(post, steps) == unknown


def test_sign_in_errors_are_the_same_for_a_known_and_an_unknown_account():
    def attempt(password: str = "sai") -> dict[str, Any]:  # noqa: S107 (a wrong one)
        data = {"username": "0987 000 111", "password": password}
        return seen(Client().post("/accounts/login/", data))

    unknown = attempt()
    account = account_with(phone="+84987000111")
    assert attempt() == unknown
    assert unknown["status"] == 200
    assert (
        vi("The email or mobile number and password do not match. Check them and try again.")
        in unknown["body"]
    )
    User.objects.filter(pk=account.pk).update(is_active=False)
    assert attempt() == unknown
    assert attempt(DEMO_PASSWORD) == unknown  # a disabled account, even with its password
