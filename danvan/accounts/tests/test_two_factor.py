"""Two-step verification (TOTP) of officials: enrolment, verification, the workspace gate."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import DEMO_PASSWORD
from danvan.accounts import twofactor
from danvan.accounts.roles import Role
from testsupport.platform import totp_code

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-factor/"
SETUP = "/accounts/two-factor/setup/"
ENROL = "/accounts/two-factor/enrol/"
RECOVERY = "/accounts/two-factor/recovery/"
OFFICIALS = [r for r in Role if r != Role.CITIZEN]
WRONG = (
    "This code is wrong, has expired or was already used."
    " Enter the 6 digits your authenticator app shows now."
)


def code_of(device: TOTPDevice, *, steps: int = 0) -> str:
    """The device's code at the (frozen) current time, or `steps` steps away."""
    counter = int(timezone.now().timestamp()) // device.step + steps
    return f"{hotp(device.bin_key, counter, digits=device.digits):06d}"


def vietnamese(msgid: str) -> str:
    with translation.override("vi"):
        return gettext(msgid)


def unverified(client: Client) -> Client:
    """Take off the mark the test fixtures put on an official's session."""
    session = client.session
    session.pop(DEVICE_ID_SESSION_KEY, None)
    session.save()
    return client


def sign_in_with_password(login: str) -> tuple[Client, str]:
    client = Client()
    response = client.post(LOGIN, {"username": login, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client, response.url


def workspace_routes() -> list[tuple[str, str]]:
    """Every named route of the URL confs under a workspace prefix, with sample arguments."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str, ns: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif p.name and route.startswith("staff/"):
                found.append((ns + p.name, "/" + route))

    walk(get_resolver().url_patterns, "", "")
    return found


def sample_path(route: str) -> str:
    """A concrete path for a route: the gate answers before the view looks the object up."""
    for converter, value in (("<int:", "1"), ("<str:", "nhan")):
        while converter in route:
            start = route.index(converter)
            route = route[:start] + value + route[route.index(">", start) + 1 :]
    return route


def test_the_url_confs_have_workspace_pages_and_they_all_sit_under_the_gate():
    routes = workspace_routes()
    names = {name for name, _ in routes}
    assert {"portal:staff-home", "cases:queue", "cases:detail", "reception:today",
            "dialogues:staff-list", "dialogues:commitments"} <= names  # fmt: skip
    assert all(twofactor.is_workspace_path(path) for _, path in routes)


@pytest.mark.parametrize("role", [Role.RECEPTION_OFFICER, Role.ADMINISTRATOR])
def test_an_unverified_official_is_sent_to_verify_from_every_workspace_url(client_as, role):
    client = unverified(client_as(role))
    paths = [sample_path(path) for _, path in workspace_routes()]
    paths += ["/admin/", "/admin/accounts/user/", "/admin/accounts/authenticatorapp/"]
    for path in paths:
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 302, path
            assert response.url.startswith(VERIFY + "?next="), path
    assert client.get("/staff/cases/?status=new").url == VERIFY + "?next=" + quote(
        "/staff/cases/?status=new", safe=""
    )


def test_htmx_requests_are_sent_to_verify_as_a_whole_page(client_as):
    client = unverified(client_as(Role.HANDLING_OFFICER))
    response = client.get("/staff/cases/", headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"].startswith(VERIFY)


def test_an_official_without_a_device_is_sent_to_enrol_from_the_workspace(client_as, demo_user):
    client = unverified(client_as(Role.HEAD))
    TOTPDevice.objects.filter(user=demo_user(Role.HEAD)).delete()
    assert client.get("/staff/").url == ENROL + "?next=%2Fstaff%2F"
    assert client.get(VERIFY).url == ENROL + "?next=%2Fafter-login%2F"
    assert client.get(SETUP).url == ENROL + "?next=%2Fafter-login%2F"  # no code, no QR


@pytest.mark.parametrize("role", OFFICIALS)
def test_each_official_role_signs_in_with_password_then_code(demo_user, role):
    user = demo_user(role)
    client, url = sign_in_with_password(user.email)
    assert url == VERIFY + "?next=%2Fafter-login%2F"
    assert client.get("/staff/").status_code == 302
    page = client.get(url)
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    device = twofactor.confirmed_device(user)
    response = client.post(url, {"code": code_of(device)}, follow=True)
    assert response.redirect_chain == [("/after-login/", 302), ("/staff/", 302)]
    assert client.get("/staff/").status_code == 200
    if role == Role.ADMINISTRATOR:
        assert client.get("/admin/").status_code == 200


def test_a_code_one_step_early_or_late_is_accepted_two_steps_is_not(demo_user, frozen_time):
    user = demo_user(Role.HANDLING_OFFICER)
    device = twofactor.confirmed_device(user)
    client, url = sign_in_with_password(user.email)
    assert client.post(url, {"code": code_of(device, steps=2)}).status_code == 422
    frozen_time.shift(timedelta(seconds=2))  # past the throttle's first second
    assert client.post(url, {"code": code_of(device, steps=1)}).status_code == 302
    other = demo_user(Role.RECEPTION_OFFICER)
    client, url = sign_in_with_password(other.email)
    late = code_of(twofactor.confirmed_device(other), steps=-1)
    assert client.post(url, {"code": late}).status_code == 302


def test_a_code_is_accepted_once(demo_user):
    user = demo_user(Role.SUPERVISOR)
    code = code_of(twofactor.confirmed_device(user))
    first, url = sign_in_with_password(user.email)
    assert first.post(url, {"code": code}).status_code == 302
    second, url = sign_in_with_password(user.email)
    response = second.post(url, {"code": code})
    assert response.status_code == 422
    assert vietnamese(WRONG) in response.content.decode()
    assert second.get("/staff/").status_code == 302


def test_a_wrong_code_is_refused_in_vietnamese_then_throttled(demo_user, frozen_time):
    user = demo_user(Role.AUDITOR)
    device = twofactor.confirmed_device(user)
    client, url = sign_in_with_password(user.email)
    response = client.post(url, {"code": "000000" if code_of(device) != "000000" else "111111"})
    assert response.status_code == 422
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert vietnamese(WRONG) in html
    assert client.get("/staff/").status_code == 302  # nothing changed
    # The right code at once is throttled (1 s after one failure, then 2, 4, 8 …).
    response = client.post(url, {"code": code_of(device)})
    assert response.status_code == 422
    with translation.override("vi"):
        throttled = ngettext(
            "Too many wrong codes. Wait %(seconds)d second, then enter the new code.",
            "Too many wrong codes. Wait %(seconds)d seconds, then enter the new code.",
            1,
        ) % {"seconds": 1}
    assert throttled in response.content.decode()
    frozen_time.shift(timedelta(seconds=3))
    assert client.post(url, {"code": code_of(device)}).status_code == 302
    assert client.get("/staff/").status_code == 200


@pytest.mark.parametrize("code", ["", "12345", "12a456", "1234567"])
def test_a_malformed_code_is_refused_without_counting(demo_user, code):
    user = demo_user(Role.HEAD)
    client, url = sign_in_with_password(user.email)
    assert client.post(url, {"code": code}).status_code == 422
    assert twofactor.confirmed_device(user).throttling_failure_count == 0


def test_a_citizen_never_sees_two_factor(client_as, demo_user):
    client, url = sign_in_with_password("0912345678")
    assert url == "/after-login/"
    assert client.get(url).url == "/accounts/"
    assert client.get("/staff/").status_code == 403
    for page in (VERIFY, SETUP, ENROL, RECOVERY):
        assert client.get(page).url == "/after-login/", page
    assert not TOTPDevice.objects.filter(user=demo_user(Role.CITIZEN)).exists()


def test_the_public_site_and_the_api_ignore_the_second_factor(client_as):
    client = unverified(client_as(Role.HANDLING_OFFICER))
    for path in ("/", "/gui-don/", "/tra-cuu/", "/accounts/", "/api/v1/topics"):
        assert client.get(path).status_code == 200, path


def test_the_demo_officials_hold_the_published_key(demo_user):
    key = twofactor.key_from_secret(settings.DANVAN_DEMO_TOTP_SECRET)
    for role in OFFICIALS:
        assert twofactor.confirmed_device(demo_user(role)).key == key
    device = twofactor.confirmed_device(demo_user(Role.HEAD))
    assert totp_code(settings.DANVAN_DEMO_TOTP_SECRET) == code_of(device)


@pytest.mark.parametrize(("hint", "shown"), [(True, True), (False, False)])
def test_the_demo_code_shows_only_when_the_settings_say_demo(demo_user, settings, hint, shown):
    settings.DANVAN_DEMO_TOTP_HINT = hint
    client, url = sign_in_with_password(demo_user(Role.HEAD).email)
    page = client.get(url).content.decode()
    assert (totp_code(settings.DANVAN_DEMO_TOTP_SECRET) in page) is shown


def test_the_demo_code_never_shows_for_another_key(demo_user, settings):
    settings.DANVAN_DEMO_TOTP_HINT = True
    user = demo_user(Role.HEAD)
    TOTPDevice.objects.filter(user=user).update(key="ab" * 20)
    client, url = sign_in_with_password(user.email)
    page = client.get(url).content.decode()
    assert totp_code(settings.DANVAN_DEMO_TOTP_SECRET) not in page


def test_an_administrator_resets_a_lost_device_in_the_admin(client_as, demo_user):
    officer = demo_user(Role.HANDLING_OFFICER)
    officer_client, url = sign_in_with_password(officer.email)
    device = twofactor.confirmed_device(officer)
    assert officer_client.post(url, {"code": code_of(device)}).status_code == 302
    assert officer_client.get("/staff/").status_code == 200

    admin = client_as(Role.ADMINISTRATOR)
    response = admin.post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [officer.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=officer).exists()
    # The verified session lapses at once; the next sign-in asks for an enrolment code.
    assert officer_client.get("/staff/").url == ENROL + "?next=%2Fstaff%2F"
    _client, url = sign_in_with_password(officer.email)
    assert url == ENROL + "?next=%2Fafter-login%2F"
