"""API keys in the audit log: issued and revoked, by whom; never the secret."""

from io import StringIO

import pytest
from django.core.management import call_command

from danvan.accounts.roles import Role
from danvan.api.keys import key_issue
from danvan.api.models import ApiKey
from danvan.audit.models import AuditEntry
from danvan.audit.services import snapshot

pytestmark = pytest.mark.django_db


def _last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).order_by("-seq")[0]


def test_the_secret_and_its_hash_are_never_logged():
    key, text = key_issue(name="1022", agency=None, scopes=["submit"])
    values = snapshot(key)
    assert values["secret_hash"].startswith("sha256:")
    assert key.secret_hash not in str(values)
    entry = _last("api_key.issue")
    assert text.split("_", 2)[2] not in str(entry.changes)  # the secret itself may hold "_"
    assert key.secret_hash not in str(entry.changes)
    assert entry.changes["prefix"] == [None, key.prefix]


def test_revoking_in_the_admin_is_logged(client_as, demo_user):
    key, _text = key_issue(name="Hotline", agency=None, scopes=["submit"])
    admin = client_as(Role.ADMINISTRATOR)
    admin.post("/admin/api/apikey/", {"action": "revoke", "_selected_action": [key.pk]})
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None
    assert _last("admin.action.revoke").changes["selected"] == [str(key.pk)]
    revoke = _last("api_key.revoke")
    assert revoke.object_id == str(key.pk)
    assert revoke.actor_id == demo_user(Role.ADMINISTRATOR).pk


def test_the_issue_api_key_command_is_the_actor():
    call_command("issue_api_key", "--name", "1022", "--scope", "submit", stdout=StringIO())
    assert _last("api_key.issue").actor_label == "command:issue_api_key"
