"""What the audit log records about accounts (memberships, 2FA resets); its admin page."""

import pytest
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.accounts import twofactor
from danvan.accounts.models import Membership
from danvan.accounts.roles import Role
from danvan.audit.models import AuditEntry
from danvan.audit.services import record, snapshot, verify_chain
from danvan.places.models import Agency

pytestmark = pytest.mark.django_db


def _last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).order_by("-seq")[0]


def test_membership_changes_are_logged_whoever_makes_them(demo_user):
    officer = demo_user(Role.HANDLING_OFFICER)
    agency = Agency.objects.exclude(memberships__user=officer)[0]
    membership = Membership.objects.create(user=officer, agency=agency, role="auditor")
    assert _last("membership.add").object_id == str(membership.pk)
    membership.role = "supervisor"
    membership.save()
    assert _last("membership.change").changes["role"] == ["auditor", "supervisor"]
    membership.delete()
    assert _last("membership.delete").changes["role"] == ["supervisor", None]


def test_two_factor_resets_in_the_admin_are_logged(client_as, demo_user):
    officer = demo_user(Role.HANDLING_OFFICER)
    twofactor.device_ensure(officer, secret=settings.DANVAN_DEMO_TOTP_SECRET)
    admin = client_as(Role.ADMINISTRATOR)
    admin.post(
        "/admin/accounts/user/", {"action": "reset_two_factor", "_selected_action": [officer.pk]}
    )
    assert not TOTPDevice.objects.filter(user=officer).exists()
    reset = _last("two_factor.reset")
    assert reset.object_id == str(officer.pk)
    assert reset.actor_id == demo_user(Role.ADMINISTRATOR).pk
    assert _last("admin.action.reset_two_factor").changes["selected"] == [str(officer.pk)]


def test_passwords_and_totp_keys_are_masked(demo_user):
    officer = demo_user(Role.HANDLING_OFFICER)
    device = twofactor.device_ensure(officer, secret=settings.DANVAN_DEMO_TOTP_SECRET)
    assert snapshot(officer)["password"].startswith("sha256:")
    assert snapshot(device)["key"].startswith("sha256:")
    assert device.key not in str(snapshot(device))


def test_the_audit_log_is_read_only_in_the_admin_even_for_a_superuser(client_as):
    entry = record("test.write", actor="test")
    admin = client_as(Role.ADMINISTRATOR)
    assert admin.get("/admin/audit/auditentry/?action=test.write").status_code == 200
    assert admin.get("/admin/audit/auditentry/add/").status_code == 403
    assert admin.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    response = admin.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"note": "x"})
    assert response.status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).note == ""
    assert verify_chain()[1] == []


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR] + [None])
def test_only_administrators_open_the_audit_log(client_as, role):
    response = client_as(role).get("/admin/audit/auditentry/")
    # Auditors sign in to the admin for the identity access log, and see nothing else.
    assert response.status_code == (403 if role == Role.AUDITOR else 302)
