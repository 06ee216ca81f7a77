"""An administrator never grants themselves a power: another administrator must."""

from datetime import date

import pytest
from django.utils import timezone

from danvan.accounts.models import Membership, User
from danvan.accounts.roles import Role
from danvan.audit.models import AuditEntry
from danvan.places.models import Agency

pytestmark = pytest.mark.django_db

REFUSED = (
    "Bạn không thể tự thay đổi vai trò, tư cách thành viên cơ quan hoặc quyền quản trị của"
    " chính tài khoản mình. Việc này phải do một quản trị viên khác thực hiện."
)


def user_form(user, **changes):
    """What the admin's user change page posts, with `changes` (no memberships added)."""
    joined = timezone.localtime(user.date_joined)
    data = {
        "full_name": user.full_name, "email": user.email or "", "phone": user.phone or "",
        "is_active": "on", "date_joined_0": joined.date().isoformat(),
        "date_joined_1": joined.time().isoformat(timespec="seconds"),
        "last_login_0": "", "last_login_1": "",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for flag in ("is_staff", "is_superuser"):
        if getattr(user, flag):
            data[flag] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def with_membership(data, agency, role="auditor"):
    return {**data, "memberships-TOTAL_FORMS": "1", "memberships-0-agency": agency.pk,
            "memberships-0-role": role, "memberships-0-title": "",
            "memberships-0-started_on": "2026-11-23", "memberships-0-ended_on": ""}  # fmt: skip


@pytest.fixture
def inspectorate():
    return Agency.objects.get(code="hy-thanh-tra")


@pytest.fixture
def second_admin():
    return User.objects.create_superuser("quantri2@demo.danvan.vn", "x", full_name="Lý Văn Mười")


def refusals():
    return AuditEntry.objects.filter(action="admin.self_change_refused")


def test_an_administrator_cannot_make_themselves_an_auditor(client_as, demo_user, inspectorate):
    me = demo_user(Role.ADMINISTRATOR)
    response = client_as(Role.ADMINISTRATOR).post(
        f"/admin/accounts/user/{me.pk}/change/", with_membership(user_form(me), inspectorate)
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not Membership.objects.filter(user=me).exists()
    [entry] = refusals()
    assert (entry.actor_id, entry.object_id) == (me.pk, str(me.pk))
    assert entry.changes["fields"][0] == "memberships"


@pytest.mark.parametrize(
    "changes", [{"is_superuser": None}, {"is_staff": None, "is_superuser": None}]
)
def test_an_administrator_cannot_change_their_own_rights(client_as, demo_user, changes):
    me = demo_user(Role.ADMINISTRATOR)
    response = client_as(Role.ADMINISTRATOR).post(
        f"/admin/accounts/user/{me.pk}/change/", user_form(me, **changes)
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    me.refresh_from_db()
    assert (me.is_staff, me.is_superuser) == (True, True)
    assert refusals().count() == 1


def test_an_administrator_cannot_add_a_membership_for_themselves(
    client_as, demo_user, inspectorate
):
    me = demo_user(Role.ADMINISTRATOR)
    data = {"user": me.pk, "agency": inspectorate.pk, "role": "auditor", "title": "",
            "started_on": "2026-11-23", "ended_on": ""}  # fmt: skip
    response = client_as(Role.ADMINISTRATOR).post("/admin/accounts/membership/add/", data)
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not Membership.objects.filter(user=me).exists()
    assert refusals().count() == 1


def test_another_administrator_grants_it_and_the_grant_is_audited(
    client, demo_user, second_admin, inspectorate
):
    me = demo_user(Role.ADMINISTRATOR)
    client.force_login(second_admin, backend="danvan.accounts.backends.EmailOrPhoneBackend")
    response = client.post(
        f"/admin/accounts/user/{me.pk}/change/", with_membership(user_form(me), inspectorate)
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=me)
    assert (membership.role, membership.started_on) == ("auditor", date(2026, 11, 23))
    [added] = AuditEntry.objects.filter(action="membership.add", object_id=str(membership.pk))
    assert added.actor_id == second_admin.pk
    assert not refusals().exists()


def test_an_administrator_still_edits_their_own_name(client_as, demo_user):
    me = demo_user(Role.ADMINISTRATOR)
    response = client_as(Role.ADMINISTRATOR).post(
        f"/admin/accounts/user/{me.pk}/change/", user_form(me, full_name="Đỗ Văn Hải (IT)")
    )
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.full_name == "Đỗ Văn Hải (IT)"
    assert not refusals().exists()
