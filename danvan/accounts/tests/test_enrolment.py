"""Two-step enrolment only through an administrator's one-time code; recovery codes."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import DEMO_PASSWORD
from danvan.accounts import enrolment, onetime, twofactor
from danvan.accounts.models import EnrolmentCode, User
from danvan.accounts.roles import Role
from danvan.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
ENROL = "/accounts/two-factor/enrol/"
SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/"
RECOVERY = "/accounts/two-factor/recovery/"
USERS = "/admin/accounts/user/"
AFTER = "?next=%2Fafter-login%2F"
CODE = re.compile(r"<code>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</code>")


def vi(msgid: str) -> str:
    with translation.override("vi"):
        return gettext(msgid)


def code_of(device: TOTPDevice) -> str:
    counter = int(timezone.now().timestamp()) // device.step
    return f"{hotp(device.bin_key, counter, digits=device.digits):06d}"


def without_device(user: User) -> User:
    TOTPDevice.objects.filter(user=user).delete()
    return user


def signed_in(user: User) -> Client:
    """A client past the password step only (the official has no device)."""
    client = Client()
    response = client.post(LOGIN, {"username": user.email, "password": DEMO_PASSWORD})
    assert response.url == ENROL + AFTER
    return client


def second_administrator() -> User:
    existing = User.objects.filter(email="quantri2@demo.danvan.vn").first()
    if existing is not None:
        return existing
    admin = User.objects.create_user(
        "quantri2@demo.danvan.vn", DEMO_PASSWORD, full_name="Lê Văn Quản", is_staff=True,
        is_superuser=True,
    )  # fmt: skip
    twofactor.device_ensure(admin, secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return admin


def issue_in_admin(admin_client: Client, user: User) -> str:
    response = admin_client.post(USERS, {"action": "issue_enrolment_code",
                                         "_selected_action": [user.pk]})  # fmt: skip
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    [code] = CODE.findall(response.content.decode())
    return str(code)


def issue(user: User) -> str:
    return enrolment.enrolment_code_issue(user=user, by=second_administrator()).code


def test_an_official_without_a_device_gets_no_qr_code_from_a_password(demo_user):
    user = without_device(demo_user(Role.HANDLING_OFFICER))
    client = signed_in(user)
    page = client.get(ENROL + AFTER)
    html = page.content.decode()
    assert page.status_code == 200
    assert vi("Enrolment code") in html
    assert "<svg" not in html
    assert client.get(SETUP + AFTER).url == ENROL + AFTER
    assert client.post(SETUP + AFTER, {"code": "123456"}).url == ENROL + AFTER
    assert client.get("/staff/").url == ENROL + "?next=%2Fstaff%2F"
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_the_administrators_code_opens_the_qr_code_and_one_app_code_confirms(client_as, demo_user):
    user = without_device(demo_user(Role.HEAD))
    code = issue_in_admin(client_as(Role.ADMINISTRATOR), user)
    row = EnrolmentCode.objects.get(user=user)
    assert row.code_hash == onetime.digest(code) != code
    assert row.expires_at == timezone.now() + timedelta(hours=72)

    client = signed_in(user)
    response = client.post(ENROL + AFTER, {"code": code.lower().replace("-", " ")})
    assert response.url == SETUP + AFTER
    page = client.get(SETUP + AFTER)
    assert "no-store" in page["Cache-Control"]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert twofactor.grouped(twofactor.secret_of(device)) in page.content.decode()
    assert 'class="qr"' in page.content.decode()

    done = client.post(SETUP + AFTER, {"code": code_of(device)})
    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]
    shown = re.findall(r"<code>([A-Z2-9-]{14})</code>", done.content.decode())
    assert len(shown) == len(set(shown)) == 10
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert stored == {enrolment.recovery_digest(c) for c in shown}
    assert not stored & set(shown)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/staff/").status_code == 200
    actions = list(AuditEntry.objects.filter(object_id=str(user.pk), action__startswith="two_factor")
                   .order_by("seq").values_list("action", flat=True))  # fmt: skip
    assert actions == ["two_factor.enrolment_code.issue", "two_factor.enrolment_code.use",
                       "two_factor.enrol"]  # fmt: skip


def test_an_expired_code_is_refused(demo_user, frozen_time):
    user = without_device(demo_user(Role.AUDITOR))
    code = issue(user)
    frozen_time.shift(timedelta(hours=72, seconds=1))
    client = signed_in(user)
    response = client.post(ENROL + AFTER, {"code": code})
    assert response.status_code == 422
    assert vi("This enrolment code has expired. Ask the administrator for a new one.") in (
        response.content.decode()
    )
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get(SETUP + AFTER).url == ENROL + AFTER


def test_a_code_works_once_and_only_for_the_session_that_entered_it(demo_user):
    user = without_device(demo_user(Role.SUPERVISOR))
    code = issue(user)
    first, second = signed_in(user), signed_in(user)
    assert first.post(ENROL + AFTER, {"code": code}).url == SETUP + AFTER
    assert second.get(SETUP + AFTER).url == ENROL + AFTER  # the other session sees no key
    response = second.post(ENROL + AFTER, {"code": code})
    assert response.status_code == 422
    assert vi("This enrolment code was already used. Ask the administrator for a new one.") in (
        response.content.decode()
    )
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert first.get(SETUP + AFTER).status_code == 200


def test_wrong_codes_are_counted_and_revoke_the_open_code(demo_user, settings):
    user = without_device(demo_user(Role.RECEPTION_OFFICER))
    code = issue(user)
    client = signed_in(user)
    wrong = "ABCD-EFGH-JKLM" if code != "ABCD-EFGH-JKLM" else "ABCD-EFGH-JKLN"
    wrong_message = vi(
        "This enrolment code is wrong. Check it (letters and digits, for example"
        " ABCD-EFGH-JKLM) or ask the administrator for a new one."
    )
    for attempt in range(1, settings.DANVAN_ENROLMENT_CODE_ATTEMPTS):
        response = client.post(ENROL + AFTER, {"code": wrong})
        assert response.status_code == 422
        assert wrong_message in response.content.decode()
        assert EnrolmentCode.objects.get(user=user).failed_attempts == attempt
    response = client.post(ENROL + AFTER, {"code": wrong})
    assert (
        vi(
            "Too many wrong codes: your enrolment code was revoked. Ask the administrator for"
            " a new one."
        )
        in response.content.decode()
    )
    response = client.post(ENROL + AFTER, {"code": code})  # the right one, too late
    assert response.status_code == 422
    assert vi("This enrolment code was revoked. Ask the administrator for a new one.") in (
        response.content.decode()
    )
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="two_factor.enrolment_code.revoke",
                                     note="too many wrong codes").count() == 1  # fmt: skip


@pytest.mark.parametrize("typed", ["", "ABCD", "ABCD-EFGH-JKL0", "ABCD-EFGH-JKLM-N"])
def test_a_malformed_code_is_refused_without_counting(demo_user, typed):
    user = without_device(demo_user(Role.HEAD))
    issue(user)
    response = signed_in(user).post(ENROL + AFTER, {"code": typed})
    assert response.status_code == 422
    assert EnrolmentCode.objects.get(user=user).failed_attempts == 0


def test_an_administrator_cannot_issue_a_code_for_their_own_account(client_as, demo_user):
    admin = demo_user(Role.ADMINISTRATOR)
    client = client_as(Role.ADMINISTRATOR)
    for path, field in ((USERS, "action"), (f"{USERS}{admin.pk}/change/", "CHANGE_FORM-action")):
        response = client.post(path, {field: "issue_enrolment_code",
                                      "_selected_action": [admin.pk]}, follow=True)  # fmt: skip
        assert response.status_code == 200
        assert (
            vi(
                "You cannot issue an enrolment code for your own account: another administrator"
                " must do it."
            )
            in response.content.decode()
        )
    assert not EnrolmentCode.objects.filter(user=admin).exists()
    assert not AuditEntry.objects.filter(action="two_factor.enrolment_code.issue").exists()
    # Another administrator can, once the device is gone.
    TOTPDevice.objects.filter(user=admin).delete()
    other = Client()
    other.force_login(second_administrator())
    assert CODE.findall(other.post(f"{USERS}{admin.pk}/change/", {
        "CHANGE_FORM-action": "issue_enrolment_code", "_selected_action": [admin.pk],
    }).content.decode())  # fmt: skip
    assert EnrolmentCode.objects.filter(user=admin, issued_by__email="quantri2@demo.danvan.vn")


def test_no_code_for_a_citizen_or_an_official_who_has_a_device(client_as, demo_user):
    client = client_as(Role.ADMINISTRATOR)
    for role, message in (
        (Role.CITIZEN, "%(name)s does not use two-step verification (a citizen's account)."),
        (Role.HEAD, "%(name)s already has two-step verification. Reset it first if the phone"
                    " was lost."),
    ):  # fmt: skip
        user = demo_user(role)
        response = client.post(USERS, {"action": "issue_enrolment_code",
                                       "_selected_action": [user.pk]}, follow=True)  # fmt: skip
        assert vi(message) % {"name": user.full_name} in response.content.decode()
    assert EnrolmentCode.objects.count() == 0


def test_a_new_code_revokes_the_earlier_one(demo_user):
    user = without_device(demo_user(Role.HEAD))
    first = issue(user)
    second = issue(user)
    client = signed_in(user)
    assert client.post(ENROL + AFTER, {"code": first}).status_code == 422
    assert client.post(ENROL + AFTER, {"code": second}).url == SETUP + AFTER


def test_an_administrator_revokes_an_open_code(client_as, demo_user):
    user = without_device(demo_user(Role.HEAD))
    code = issue(user)
    row = EnrolmentCode.objects.get(user=user)
    admin = client_as(Role.ADMINISTRATOR)
    page = admin.get("/admin/accounts/enrolmentcode/")
    assert page.status_code == 200
    assert code not in page.content.decode()
    admin.post("/admin/accounts/enrolmentcode/", {"action": "revoke",
                                                  "_selected_action": [row.pk]})  # fmt: skip
    row.refresh_from_db()
    assert row.revoked_at == timezone.now()
    assert signed_in(user).post(ENROL + AFTER, {"code": code}).status_code == 422
    assert admin.get("/admin/accounts/enrolmentcode/add/").status_code == 403


def test_devices_cannot_be_added_or_edited_in_the_admin(client_as, demo_user):
    admin = client_as(Role.ADMINISTRATOR)
    device = twofactor.confirmed_device(demo_user(Role.HEAD))
    key = device.key
    assert admin.get("/admin/accounts/authenticatorapp/add/").status_code == 403
    assert admin.get("/admin/otp_static/staticdevice/").status_code == 404  # no page at all
    admin.post(f"/admin/accounts/authenticatorapp/{device.pk}/change/", {"key": "ab" * 20})
    device.refresh_from_db()
    assert device.key == key
    assert admin.get("/admin/accounts/authenticatorapp/").status_code == 200


def enrolled_with_recovery_codes(user: User) -> tuple[Client, list[str]]:
    without_device(user)
    client = signed_in(user)
    client.post(ENROL + AFTER, {"code": issue(user)})
    device = TOTPDevice.objects.get(user=user)
    done = client.post(SETUP + AFTER, {"code": code_of(device)})
    return client, re.findall(r"<code>([A-Z2-9-]{14})</code>", done.content.decode())


def sign_in_to_verify(user: User) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": user.email, "password": DEMO_PASSWORD})
    assert response.url == VERIFY + AFTER
    return client


def test_a_recovery_code_passes_the_second_step_once_and_the_rest_are_counted(demo_user):
    user = demo_user(Role.HANDLING_OFFICER)
    _client, codes = enrolled_with_recovery_codes(user)
    client = sign_in_to_verify(user)
    response = client.post(RECOVERY + AFTER, {"code": codes[3]}, follow=True)
    assert response.redirect_chain[0][0] == "/after-login/"
    with translation.override("vi"):
        left = translation.ngettext(
            "You signed in with a recovery code. %(count)d recovery code is left; each works once.",
            "You signed in with a recovery code. %(count)d recovery codes are left; each works"
            " once.",
            9,
        ) % {"count": 9}
    assert left in response.content.decode()
    assert client.get("/staff/").status_code == 200

    again = sign_in_to_verify(user)
    refused = again.post(RECOVERY + AFTER, {"code": codes[3]})
    assert refused.status_code == 422
    assert (
        vi(
            "This recovery code is wrong or was already used. Each code works once; check it and"
            " try another."
        )
        in refused.content.decode()
    )
    assert again.get("/staff/").status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_the_reset_action_revokes_the_recovery_codes(client_as, demo_user):
    user = demo_user(Role.SUPERVISOR)
    _client, codes = enrolled_with_recovery_codes(user)
    client_as(Role.ADMINISTRATOR).post(USERS, {"action": "reset_two_factor",
                                               "_selected_action": [user.pk]})  # fmt: skip
    assert not StaticDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    client = Client()
    assert client.post(LOGIN, {"username": user.email, "password": DEMO_PASSWORD}).url == (
        ENROL + AFTER
    )
    refused = client.post(RECOVERY + AFTER, {"code": codes[0]})
    assert refused.status_code == 422
    assert (
        vi(
            "This account has no recovery codes left. Ask the platform administrator to reset your"
            " two-step verification and to issue you an enrolment code."
        )
        in refused.content.decode()
    )
    assert client.get("/staff/").url == ENROL + "?next=%2Fstaff%2F"


def test_the_command_issues_a_code_for_the_first_administrator(demo_user):
    admin = without_device(demo_user(Role.ADMINISTRATOR))
    out = StringIO()
    call_command("issue_enrolment_code", admin.email, stdout=out)
    [code] = re.findall(r"^([A-Z2-9-]{14})  \(expires 26/11/2026 09:00\)$", out.getvalue())
    assert EnrolmentCode.objects.get(user=admin).code_hash == onetime.digest(code)
    entry = AuditEntry.objects.get(action="two_factor.enrolment_code.issue")
    assert entry.actor_label == "command:issue_enrolment_code"
    with pytest.raises(CommandError):
        call_command("issue_enrolment_code", "0912345678", stdout=StringIO())  # a citizen


def test_two_codes_issued_at_the_same_moment_leave_one_and_say_so(demo_user, monkeypatch):
    user = without_device(demo_user(Role.HEAD))
    admin = second_administrator()
    enrolment.enrolment_code_issue(user=user, by=admin)
    # The other administrator's row is not seen yet: the database refuses the second one.
    monkeypatch.setattr(enrolment, "_revoke", lambda codes, *, reason: 0)
    with pytest.raises(enrolment.EnrolmentRefused):
        enrolment.enrolment_code_issue(user=user, by=admin)
    assert EnrolmentCode.objects.filter(user=user).count() == 1
    assert AuditEntry.objects.filter(action="two_factor.enrolment_code.issue").count() == 1
