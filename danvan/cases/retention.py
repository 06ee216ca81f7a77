"""Archived letters (lưu đơn) after their retention period: kept longer or destroyed.

TT 05/2021/TT-TTCP Art. 28: a letter that is not handled (ineligible, already settled by a
binding decision...) is archived and kept for the period of rule DON-4 (one year); then the
head of the agency decides whether it is destroyed. Destroying erases the content, the
personal data, the files and a denouncer's sealed identity, and keeps an anonymous record
(tracking code, kind, status, agency, commune, topic, dates) for statistics and tracking.
"""

from collections.abc import Collection, Sequence

from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from danvan.accounts.models import User
from danvan.audit.services import record
from danvan.language.search import remove_document

from . import timing
from .access import can_decide_retention
from .models import Attachment, Case, CaseEvent, CaseFingerprint, DenouncerIdentity, Notification
from .workflow import Action
from .writes import case_event


class RetentionRefused(Exception):
    """The decision is not allowed on this letter (not archived, period not over, not the head)."""

    def __init__(self, code: str, case: Case) -> None:
        super().__init__(f"{code}: {case.tracking_code}")
        self.code, self.case = code, case


def retention_due(*, agency_ids: Collection[int]) -> QuerySet[Case]:
    """Archived letters of these agencies whose retention period is over, oldest first."""
    return (
        Case.objects.filter(
            agency_id__in=agency_ids,
            archived_at__isnull=False,
            destroyed_at__isnull=True,
            retain_until__lt=timezone.localdate(),
        )
        .select_related("agency", "unit", "topic")
        .order_by("retain_until", "id")
    )


def _check(case: Case, by: User) -> None:
    if case.archived_at is None or case.retain_until is None:
        raise RetentionRefused("not_archived", case)
    if case.destroyed_at is not None:
        raise RetentionRefused("destroyed", case)
    if case.retain_until >= timezone.localdate():
        raise RetentionRefused("period_running", case)
    if not can_decide_retention(by, case):
        raise RetentionRefused("not_head", case)


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("agency").get(pk=case.pk)


def case_retain(*, case: Case, by: User, reason: str) -> Case:
    """Keep the letter for another retention period, counted from today."""
    if not reason.strip():
        raise ValueError("a reason is required")
    with transaction.atomic():
        case = _locked(case)
        _check(case, by)
        before = case.retain_until
        kept = timing.retention_until(archived=timezone.localdate())
        Case.objects.filter(pk=case.pk).update(retain_until=kept.due, version=F("version") + 1)
        case_event(case, Action.RETAIN, by, is_public=False, note=reason.strip(),
                   data={"retain_until": kept.due.isoformat(), "rule": kept.rule})  # fmt: skip
        record("case.retain", obj=case, object_repr=case.tracking_code, note=reason.strip(),
               changes={"retain_until": [before, kept.due]}, actor=by)  # fmt: skip
    case.refresh_from_db()
    return case


def case_destroy(*, case: Case, by: User, note: str = "") -> Case:
    """Erase the letter's content, personal data and files; keep its anonymous record."""
    with transaction.atomic():
        case = _locked(case)
        _check(case, by)
        now = timezone.now()
        files = [a.file.name for a in Attachment.objects.filter(case=case) if a.file.name]
        attachments = Attachment.objects.filter(case=case).delete()[0]
        identities = DenouncerIdentity.objects.filter(case=case).delete()[0]
        CaseFingerprint.objects.filter(case=case).delete()
        remove_document(source="case", source_id=case.pk)
        # Events keep what happened and when; their notes and data may name people.
        CaseEvent.objects.filter(case=case).update(note="", data={})
        Notification.objects.filter(case=case).update(to_user=None, error="")
        Case.objects.filter(pk=case.pk).update(
            title="", content="", address="", latitude=None, longitude=None, citizen=None,
            submitter_name="", submitter_phone="", submitter_email="", submitter_address="",
            answer="", rating_comment="", idempotency_key=None, submission_digest="",
            destroyed_at=now, version=F("version") + 1,
        )  # fmt: skip
        case_event(case, Action.DESTROY, by, at=now,
                   data={"rule": timing.ARCHIVE_RETENTION_RULE})  # fmt: skip
        record("case.destroy", obj=case, object_repr=case.tracking_code, note=note.strip(),
               changes={"destroyed_at": [None, now], "attachments": attachments,
                        "sealed_identity_erased": bool(identities)},
               actor=by)  # fmt: skip
        storage = Attachment._meta.get_field("file").storage
        # Files go once the erasure is committed: a rolled-back decision loses nothing.
        transaction.on_commit(lambda: _delete_files(storage, files))
    case.refresh_from_db()
    return case


def cases_decide(*, cases: Sequence[Case], by: User, destroy: bool, reason: str) -> list[Case]:
    """One decision on many letters, all or nothing."""
    with transaction.atomic():
        if destroy:
            return [case_destroy(case=case, by=by, note=reason) for case in cases]
        return [case_retain(case=case, by=by, reason=reason) for case in cases]


def _delete_files(storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)
