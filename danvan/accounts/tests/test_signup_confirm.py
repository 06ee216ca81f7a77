"""Sign-up confirms the phone (and e-mail) by a 6-digit code before the account exists."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext, ngettext

from danvan.accounts import contact, onetime
from danvan.accounts.models import ContactCode, PendingSignup, User
from danvan.accounts.tests.support import last_mail_code, last_sms_code, sms_to
from danvan.core.sms import MemoryBackend

pytestmark = pytest.mark.django_db
SIGNUP, CONFIRM, RESEND = (
    "/accounts/signup/",
    "/accounts/signup/confirm/",
    "/accounts/signup/resend/",
)
PHONE = "+84987654321"
DATA = {
    "full_name": "Nguyễn Thị Mai",
    "email": "",
    "phone": "0987 654 321",
    "password1": "Hoa-sen-trong-ao-2026",
    "password2": "Hoa-sen-trong-ao-2026",
    "consent": "on",
}


def vi(msgid: str) -> str:
    with translation.override("vi"):
        return gettext(msgid)


def wait_message(seconds: int) -> str:
    with translation.override("vi"):
        return ngettext(
            "Wait %(seconds)d second before asking for another code.",
            "Wait %(seconds)d seconds before asking for another code.",
            seconds,
        ) % {"seconds": seconds}


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def started(post, **overrides) -> Client:
    client = Client()
    response = post(client, SIGNUP, {**DATA, **overrides})
    assert response.status_code == 302
    assert response.url == CONFIRM
    return client


def test_the_code_goes_to_the_phone_and_the_account_exists_only_once_it_is_entered(post):
    client = started(post)
    [text] = sms_to(PHONE)
    code = last_sms_code(PHONE)
    assert text == vi("%(site)s: your sign-up code is %(code)s, valid for %(minutes)d minutes."
                      " Never give it to anyone.") % {"site": "Dân Vận", "code": code,
                                                     "minutes": 10}  # fmt: skip
    assert not User.objects.filter(phone=PHONE).exists()
    pending = PendingSignup.objects.get(phone=PHONE)
    assert check_password(DATA["password1"], pending.password)
    row = ContactCode.objects.get(signup=pending)
    assert row.code_hash == onetime.keyed_digest(row.pk, code)
    assert code not in row.code_hash

    page = client.get(CONFIRM).content.decode()
    assert "<strong>0987 654 321</strong>" in page
    refused = client.post(CONFIRM, {"phone": wrong(code)})
    assert refused.status_code == 422
    assert vi("This code is wrong. Check the message and enter its 6 digits.") in (
        refused.content.decode()
    )
    assert not User.objects.filter(phone=PHONE).exists()

    response = client.post(CONFIRM, {"phone": code[:3] + " " + code[3:]})
    assert response.url == "/accounts/"
    user = User.objects.get(phone=PHONE)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.email is None
    assert not PendingSignup.objects.exists()
    assert client.get(CONFIRM).url == SIGNUP  # nothing left to confirm


def test_with_a_phone_and_an_email_both_codes_are_needed(post):
    client = started(post, email="mai@example.vn")
    phone_code, email_code = last_sms_code(PHONE), last_mail_code("mai@example.vn")
    [message] = mail.outbox
    assert message.subject == vi("%(site)s: your sign-up code") % {"site": "Dân Vận"}
    response = client.post(CONFIRM, {"phone": phone_code, "email": wrong(email_code)})
    assert response.status_code == 422
    assert not User.objects.filter(email="mai@example.vn").exists()
    response = client.post(CONFIRM, {"phone": phone_code, "email": email_code})
    assert response.url == "/accounts/"
    assert User.objects.get(email="mai@example.vn").phone == PHONE


def test_an_email_only_sign_up_confirms_the_email(post):
    client = started(post, phone="", email="mai@example.vn")
    assert MemoryBackend.outbox == []
    response = client.post(CONFIRM, {"email": last_mail_code("mai@example.vn")})
    assert response.url == "/accounts/"
    assert User.objects.get(email="mai@example.vn").phone is None


def test_a_code_expires_after_ten_minutes_and_a_new_one_works(post, frozen_time):
    client = started(post)
    old = last_sms_code(PHONE)
    frozen_time.shift(timedelta(minutes=10, seconds=1))
    response = client.post(CONFIRM, {"phone": old})
    assert response.status_code == 422
    assert vi("This code has expired. Ask for a new code.") in response.content.decode()
    assert post(client, RESEND).url == CONFIRM
    new = last_sms_code(PHONE)
    assert len(sms_to(PHONE)) == 2
    assert client.post(CONFIRM, {"phone": old if old != new else wrong(new)}).status_code == 422
    assert client.post(CONFIRM, {"phone": new}).url == "/accounts/"


def test_after_five_wrong_codes_even_the_right_one_is_refused(post):
    client = started(post)
    code = last_sms_code(PHONE)
    for _attempt in range(5):
        assert client.post(CONFIRM, {"phone": wrong(code)}).status_code == 422
    response = client.post(CONFIRM, {"phone": code})
    assert response.status_code == 422
    assert vi("Too many wrong codes. Ask for a new code.") in response.content.decode()
    assert not User.objects.filter(phone=PHONE).exists()


@pytest.mark.parametrize("typed", ["", "12345", "12a456", "1234567"])
def test_a_malformed_code_is_refused_without_counting(post, typed):
    client = started(post)
    assert client.post(CONFIRM, {"phone": typed}).status_code == 422
    assert ContactCode.objects.get().attempts == 0


def test_a_code_pasted_with_a_control_character_is_refused_by_name_without_counting(post):
    client = started(post)
    code = last_sms_code(PHONE)
    response = client.post(CONFIRM, {"phone": f"{code[:1]}\x1b{code[1:]}"})
    assert response.status_code == 422
    assert (
        vi(
            "The text contains an invisible control character (%(code_point)s, character"
            " %(position)s) that cannot be typed on purpose. Delete it and send again."
        )
        % {"code_point": "U+001B", "position": 2}
        in response.content.decode()
    )
    assert ContactCode.objects.get().attempts == 0
    assert not User.objects.filter(phone=PHONE).exists()


def test_a_code_pasted_with_invisible_formatting_is_the_same_code(post):
    client = started(post)
    code = last_sms_code(PHONE)
    response = client.post(CONFIRM, {"phone": f"\ufeff{code[:1]}\u202e{code[1:]}\u200b"})
    assert response.url == "/accounts/"
    assert User.objects.filter(phone=PHONE).exists()


def test_new_codes_wait_a_minute_and_at_most_five_an_hour_go_to_one_phone(post, frozen_time):
    client = started(post)
    response = post(client, RESEND, follow=True)
    assert wait_message(60) in response.content.decode()
    assert len(sms_to(PHONE)) == 1
    for _sent in range(4):
        frozen_time.shift(timedelta(seconds=61))
        post(client, RESEND)
    assert len(sms_to(PHONE)) == 5
    frozen_time.shift(timedelta(seconds=61))
    response = post(client, RESEND, follow=True)
    with translation.override("vi"):
        hourly = ngettext(
            "Too many codes were asked for. Try again in %(minutes)d minute.",
            "Too many codes were asked for. Try again in %(minutes)d minutes.",
            55,
        ) % {"minutes": 55}
    assert hourly in response.content.decode()
    assert len(sms_to(PHONE)) == 5
    # A fresh sign-up with the same phone counts against the same limit.
    again = post(Client(), SIGNUP, DATA)
    assert again.status_code == 429
    assert hourly in again.content.decode()


def test_one_client_address_cannot_send_codes_to_many_phones(post, settings):
    settings.DANVAN_CONTACT_CODES_PER_CLIENT_HOUR = 3
    for n in range(3):
        started(post, phone=f"0987 654 32{n}")
    response = post(Client(), SIGNUP, {**DATA, "phone": "0987 654 329"})
    assert response.status_code == 429
    assert len(MemoryBackend.outbox) == 3
    assert PendingSignup.objects.count() == 3


def test_an_abandoned_sign_up_lapses_after_an_hour_and_is_deleted(post, frozen_time):
    client = started(post)
    frozen_time.shift(timedelta(hours=1, seconds=1))
    response = client.get(CONFIRM, follow=True)
    assert response.redirect_chain == [(SIGNUP, 302)]
    assert vi("Your sign-up has expired. Fill in the form again.") in response.content.decode()
    started(post, phone="0987 000 111")  # the next sign-up clears the lapsed one
    assert list(PendingSignup.objects.values_list("phone", flat=True)) == ["+84987000111"]


def test_the_confirm_page_needs_a_sign_up_in_this_session(post):
    started(post)
    assert Client().get(CONFIRM).url == SIGNUP
    assert Client().post(CONFIRM, {"phone": last_sms_code(PHONE)}).url == SIGNUP
    assert not User.objects.filter(phone=PHONE).exists()


def test_a_task_queue_that_is_away_still_gives_the_same_page(post, monkeypatch):
    class Away:
        def enqueue(self, *args: object) -> None:
            raise ConnectionError("the task queue is restarting")

    monkeypatch.setattr(contact, "deliver_contact_code", Away())
    client = started(post)
    assert MemoryBackend.outbox == []
    assert ContactCode.objects.get().state == ContactCode.State.QUEUED
    assert client.get(CONFIRM).status_code == 200  # "send new codes" is there to try again


def test_a_code_is_sent_once_even_when_its_task_runs_twice(post):
    started(post)
    row = ContactCode.objects.get()
    assert row.state == ContactCode.State.SENT
    assert contact.deliver_contact_code.call(row.pk) == "already handled"
    assert len(sms_to(PHONE)) == 1
    assert MemoryBackend.references == [f"contact-code:{row.pk}"]


def test_one_ipv6_household_cannot_send_codes_to_many_phones(settings):
    """Each sign-up from a fresh address of one /64 counts against the same client limit."""
    from danvan.accounts.contact import Throttled
    from danvan.accounts.services import SignupDetails, signup_start
    from danvan.core.clients import household

    settings.DANVAN_CONTACT_CODES_PER_CLIENT_HOUR = 3

    def start(n: int) -> None:
        details = SignupDetails(full_name="Lê Văn Tám", phone=f"+8498765432{n}", email=None,
                                password="Matkhau@2026")  # fmt: skip
        signup_start(details=details, client_address=f"2001:db8:5:6::{n + 1:x}")

    for n in range(3):
        start(n)
    with pytest.raises(Throttled):
        start(3)
    assert ContactCode.objects.count() == 3
    kept = set(ContactCode.objects.values_list("client_address", flat=True))
    assert kept == {household("2001:db8:5:6::1")}  # the household, not each address
