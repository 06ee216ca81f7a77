"""A denouncer's identity: sealed on intake, opened only for its handlers, every look logged.

Luật Tố cáo 2018 Art. 47 and QĐ 774/QĐ-TTg make the name, address, handwriting and other
identifying details of a denouncer confidential; nothing outside this module reads them.
"""

from typing import Any

from django.db import transaction

from danvan.accounts.access import AnyUser
from danvan.core import sealed

from .access import can_see_identity
from .models import Attachment, Case, DenouncerIdentity, IdentityLook

FIELDS = ("name", "id_number", "phone", "email", "address")


class IdentityHidden(Exception):
    """The user may not see this denouncer's identity."""


def identity_store(case: Case, identity: dict[str, str]) -> None:
    values = {field: (identity.get(field) or "").strip() for field in FIELDS}
    if any(values.values()):
        DenouncerIdentity.objects.create(case=case, sealed=sealed.seal_json(values))
        Case.objects.filter(pk=case.pk).update(identity_sealed=True)
        case.identity_sealed = True


def identity_seal_plain(case: Case) -> dict[str, str]:
    """A letter reclassified as a denunciation: seal what was typed in plain fields.

    Returns the plain fields blanked, for the caller's update of the case.
    """
    plain = {"name": case.submitter_name, "phone": case.submitter_phone,
             "email": case.submitter_email, "address": case.submitter_address}  # fmt: skip
    if not case.identity_sealed:
        identity_store(case, plain)
    return {"submitter_name": "", "submitter_phone": "", "submitter_email": "",
            "submitter_address": ""}  # fmt: skip


def _sealed_identity(case: Case) -> dict[str, str]:
    row = DenouncerIdentity.objects.filter(case=case).first()
    return sealed.open_json(bytes(row.sealed)) if row else dict.fromkeys(FIELDS, "")


def identity_open(*, case: Case, user: AnyUser, address: str | None = None) -> dict[str, str]:
    """The identity for an assigned handler or an auditor, with the look logged first."""
    _allow(case, user)
    _log(case, user, "identity", address)
    return _sealed_identity(case)


def attachment_open(*, attachment: Attachment, user: AnyUser, address: str | None = None) -> bytes:
    """The bytes of a file; a sealed scan only for those who may see the identity, logged."""
    with attachment.file.open("rb") as handle:
        data: bytes = handle.read()
    if not attachment.sealed:
        return data
    _allow(attachment.case, user)
    _log(attachment.case, user, f"attachment:{attachment.pk}", address)
    return sealed.open_bytes(data)


def contact_for_notice(case: Case, what: str = "notification") -> dict[str, str]:
    """The denouncer's own details, read by the platform to notify them (LTC Art. 9); logged."""
    _log(case, None, what, None)
    return _sealed_identity(case)


def identity_copy(source: Case, target: Case) -> None:
    """A part split from a denunciation keeps the same sealed identity."""
    row = DenouncerIdentity.objects.filter(case=source).first()
    if row:
        DenouncerIdentity.objects.create(case=target, sealed=row.sealed)
        Case.objects.filter(pk=target.pk).update(identity_sealed=True)
        target.identity_sealed = True


def _allow(case: Case, user: AnyUser) -> None:
    if not user.is_authenticated or not can_see_identity(user, case):
        raise IdentityHidden(case.pk)


@transaction.atomic
def _log(case: Case, user: Any, what: str, address: str | None) -> None:
    IdentityLook.objects.create(case=case, user=user, what=what, address=address or None)
