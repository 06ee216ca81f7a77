"""Changes made in the Django admin, and the identity key rotation, in the audit log."""

from io import StringIO

import pytest
from django.core.management import call_command

from danvan.accounts.roles import Role
from danvan.audit.models import AuditEntry
from danvan.cases.models import Topic

pytestmark = pytest.mark.django_db


def _last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).order_by("-seq")[0]


def test_an_admin_change_records_the_fields_before_and_after(client_as, demo_user):
    topic = Topic.objects.filter(parent__isnull=True)[0]
    admin = client_as(Role.ADMINISTRATOR)
    response = admin.post(
        f"/admin/cases/topic/{topic.pk}/change/",
        {"code": topic.code, "name": "Tên mới", "is_public": "on", "is_active": "on",
         "position": topic.position},
    )  # fmt: skip
    assert response.status_code == 302
    entry = _last("admin.change")
    assert entry.object_type == "cases.topic"
    assert entry.object_id == str(topic.pk)
    assert entry.changes["name"] == [topic.name, "Tên mới"]
    assert entry.actor_id == demo_user(Role.ADMINISTRATOR).pk
    assert "quantri@" in entry.actor_label


def test_admin_additions_and_deletions_are_logged_with_their_values(client_as):
    admin = client_as(Role.ADMINISTRATOR)
    response = admin.post(
        "/admin/cases/topic/add/",
        {"code": "xoa-thu", "name": "Chủ đề xoá thử", "is_public": "on", "is_active": "on",
         "position": 0},
    )  # fmt: skip
    assert response.status_code == 302
    topic = Topic.objects.get(code="xoa-thu")
    assert _last("admin.add").changes["name"] == [None, "Chủ đề xoá thử"]
    admin.post(
        "/admin/cases/topic/",
        {"action": "delete_selected", "_selected_action": [topic.pk], "post": "yes"},
    )
    assert not Topic.objects.filter(pk=topic.pk).exists()
    entry = _last("admin.delete")
    assert entry.object_id == str(topic.pk)
    assert entry.changes["name"] == ["Chủ đề xoá thử", None]


def test_identity_key_rotation_is_logged():
    call_command("rotate_identity_keys", stdout=StringIO())
    entry = _last("identity_keys.rotate")
    assert entry.actor_label == "command:rotate_identity_keys"
    assert "identities" in entry.changes
