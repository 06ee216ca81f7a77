"""The audit log's hash chain: written in order, checked by `verify_audit_chain`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from danvan.audit.context import acting_as
from danvan.audit.models import AuditEntry
from danvan.audit.services import masked, record, verify_chain

pytestmark = pytest.mark.django_db


def test_the_chain_verifies_and_an_edited_row_is_detected():
    for n in range(3):
        record("test.write", object_type="test", object_id=n, note=f"entry {n}", actor="test")
    count, breaks = verify_chain()
    assert count >= 3
    assert breaks == []
    out = StringIO()
    call_command("verify_audit_chain", stdout=out)
    assert out.getvalue().strip().endswith("broken=0")

    middle = AuditEntry.objects.filter(action="test.write").order_by("seq")[1]
    AuditEntry.objects.filter(pk=middle.pk).update(note="rewritten")  # behind the model's back
    _count, breaks = verify_chain()
    assert [b.seq for b in breaks] == [middle.seq]
    with pytest.raises(CommandError):
        call_command("verify_audit_chain", stdout=StringIO())


def test_a_removed_middle_entry_or_a_removed_last_entry_is_detected():
    entries = [record("test.write", note=n, actor="test") for n in "abcd"]
    AuditEntry.objects.filter(pk=entries[1].pk)._raw_delete(AuditEntry.objects.db)
    assert [b.seq for b in verify_chain()[1] if "missing" in b.problem] == [entries[2].seq]
    AuditEntry.objects.filter(pk=entries[3].pk)._raw_delete(AuditEntry.objects.db)
    assert any("removed" in b.problem for b in verify_chain()[1])


def test_entries_are_append_only():
    entry = record("test.write", actor="test")
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


def test_the_actor_comes_from_the_context_or_is_the_system():
    with acting_as("command:test"):
        assert record("test.write").actor_label == "command:test"
    entry = record("test.write")
    assert entry.actor_label == "system"
    assert entry.actor_id is None


def test_masked_values_tell_changes_apart_without_revealing_them():
    assert masked("secret-one") != masked("secret-two")
    assert "secret" not in (masked("secret-one") or "")
    assert masked("") is None
