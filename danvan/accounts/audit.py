"""Agency memberships (who holds which role where) are written to the audit log on every
save and delete, whichever path made the change: the admin, its inline, a service, a shell."""

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save

from danvan.audit.services import diff, record, snapshot

from .models import Membership

_BEFORE = "_danvan_audit_before"


def _before_save(sender: type[Membership], instance: Membership, **kwargs: Any) -> None:
    old = Membership.objects.filter(pk=instance.pk).first() if instance.pk else None
    setattr(instance, _BEFORE, snapshot(old) if old else {})


def _saved(sender: type[Membership], instance: Membership, created: bool, **kwargs: Any) -> None:
    changes = diff(getattr(instance, _BEFORE, {}), snapshot(instance))
    if created or changes:
        record("membership.add" if created else "membership.change", obj=instance,
               changes=changes)  # fmt: skip


def _deleted(sender: type[Membership], instance: Membership, **kwargs: Any) -> None:
    record("membership.delete", obj=instance, changes=diff(snapshot(instance), {}))


def connect() -> None:
    pre_save.connect(_before_save, sender=Membership, dispatch_uid="audit_membership_pre")
    post_save.connect(_saved, sender=Membership, dispatch_uid="audit_membership_saved")
    post_delete.connect(_deleted, sender=Membership, dispatch_uid="audit_membership_deleted")
