"""Every page of the foundation × every role: the exact status code each one gets."""

import pytest

from danvan.accounts.roles import Role

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/units/?q=pho",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/",
    "/staff/",
    "/admin/",
]
OK, REDIRECT, FORBIDDEN = 200, 302, 403
OFFICIAL = [OK, OK, REDIRECT, REDIRECT, OK, OK, REDIRECT]

# Signed-in users are sent away from the login and sign-up pages; the admin site sends
# non-administrators to its own login page, except auditors (the identity access log).
MATRIX = {
    None: [OK, OK, OK, OK, REDIRECT, REDIRECT, REDIRECT],
    Role.CITIZEN: [OK, OK, REDIRECT, REDIRECT, OK, FORBIDDEN, REDIRECT],
    Role.RECEPTION_OFFICER: OFFICIAL,
    Role.HANDLING_OFFICER: OFFICIAL,
    Role.HEAD: OFFICIAL,
    Role.SUPERVISOR: OFFICIAL,
    Role.AUDITOR: [*OFFICIAL[:-1], OK],
    Role.ADMINISTRATOR: [OK, OK, REDIRECT, REDIRECT, OK, OK, OK],
}


@pytest.mark.parametrize("role", list(MATRIX), ids=lambda r: str(r or "anonymous"))
def test_role_by_page(role, client_as):
    client = client_as(role)
    got = [client.get(page).status_code for page in PAGES]
    assert dict(zip(PAGES, got, strict=True)) == dict(zip(PAGES, MATRIX[role], strict=True))


def test_the_matrix_covers_every_role():
    assert set(MATRIX) == {None, *Role}


def test_anonymous_is_sent_to_login_with_next(client_as):
    response = client_as(None).get("/staff/")
    assert response.url == "/accounts/login/?next=/staff/"


def test_forbidden_page_explains_in_vietnamese(client_as):
    response = client_as(Role.CITIZEN).get("/staff/")
    assert "Bạn không có quyền mở trang này" in response.content.decode()


def test_staff_home_names_the_officials_agency(client_as):
    response = client_as(Role.SUPERVISOR).get("/staff/")
    assert "Ban Dân vận Tỉnh ủy Hưng Yên" in response.content.decode()


def test_admin_site_speaks_vietnamese(client_as):
    response = client_as(Role.ADMINISTRATOR).get("/admin/")
    text = response.content.decode()
    assert "Quản trị Dân Vận" in text
    assert "Địa bàn và cơ quan" in text


@pytest.mark.parametrize(
    "page",
    [
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/places/agency/",
        "/admin/places/agency/add/",
        "/admin/places/unit/?q=hien",
        "/admin/accounts/membership/",
    ],
)
def test_admin_configuration_pages_open_for_the_administrator(page, client_as):
    assert client_as(Role.ADMINISTRATOR).get(page).status_code == 200


def test_administrator_creates_an_official_in_the_admin(client_as):
    from danvan.accounts.models import User

    response = client_as(Role.ADMINISTRATOR).post(
        "/admin/accounts/user/add/",
        {
            "full_name": "Ngô Văn Khoa",
            "email": "khoa@example.vn",
            "phone": "0933 111 222",
            "password1": "Mat-khau-rat-dai-2026",
            "password2": "Mat-khau-rat-dai-2026",
            "usable_password": "true",
            "_save": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="khoa@example.vn")
    assert user.phone == "+84933111222"


def test_administrator_edits_an_official_and_the_phone_is_normalized(client_as, demo_user):
    official = demo_user(Role.HANDLING_OFFICER)
    url = f"/admin/accounts/user/{official.pk}/change/"
    client = client_as(Role.ADMINISTRATOR)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "full_name": official.full_name,
            "email": official.email,
            "phone": "0977.000.111",
            "is_active": "on",
            "date_joined_0": "2025-07-01",
            "date_joined_1": "08:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "_save": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    official.refresh_from_db()
    assert official.phone == "+84977000111"
