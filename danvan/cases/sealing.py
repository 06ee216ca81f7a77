"""Sealing a letter's sender: on intake of a denunciation, on reclassification to one, on a
part split from one, and (once) for the rows stored before this existed.

What is sealed goes encrypted into `DenouncerIdentity`: the name, ID number, phone, e-mail and
address, and the letter's subject and text as written (denouncers often write "Tôi là …, SĐT
…" in the body). The plain columns keep a masked copy (`pii.mask_sender`: the sender's own
details, and any phone, e-mail address or ID number), so the search index, the duplicate
fingerprints, lists, exports and APIs only ever hold the masked text. Files already stored
are sealed (encrypted) in storage. Reading any of it back goes through `identity.py`.
"""

import uuid
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction
from django.dispatch import Signal

from danvan.accounts.models import User
from danvan.core import sealed
from danvan.core.storage import storing
from danvan.language.pii import mask_sender
from danvan.language.search import index_document

from .duplicates import fingerprint_store
from .identity import FIELDS, account_contact
from .models import Attachment, Case, CaseFingerprint, DenouncerIdentity

# Sent with `case` when a stored letter becomes sealed, inside the sealing transaction: the
# apps that keep their own copy of a sender (the reception logbook) clear it then.
letter_sealed = Signal()
TITLE_MAX = 200  # Case.title's max_length: a masked subject may come out longer
PLAIN_SENDER = ("submitter_name", "submitter_phone", "submitter_email", "submitter_address")


def sealed_letter(
    *, sender: dict[str, str], title: str, content: str, account: User | None
) -> tuple[dict[str, str], str, str]:
    """(what to seal, the masked subject, the masked text) of a letter being sealed.

    The filing account's name, phone and e-mail are masked too: the account is identity.
    """
    values = {field: (sender.get(field) or "").strip() for field in FIELDS}
    masked = [account_contact(account)] if account else []
    blob = {**values, "title": title, "content": content}
    return (
        blob,
        mask_sender(title, values, *masked)[:TITLE_MAX],
        mask_sender(content, values, *masked),
    )


def identity_store(case: Case, blob: dict[str, str]) -> None:
    """Seal `blob` for `case` and mark it sealed for good."""
    DenouncerIdentity.objects.update_or_create(
        case=case, defaults={"sealed": sealed.seal_json(blob)}
    )
    Case.objects.filter(pk=case.pk).update(identity_sealed=True)
    case.identity_sealed = True


def case_seal(case: Case) -> None:
    """A letter becomes a denunciation: its sender and text sealed, its plain columns masked
    and emptied, its files sealed in storage, its search entry and fingerprints rebuilt."""
    if case.identity_sealed:
        return
    sender = {"name": case.submitter_name, "phone": case.submitter_phone,
              "email": case.submitter_email, "address": case.submitter_address}  # fmt: skip
    blob, title, content = sealed_letter(
        sender=sender, title=case.title, content=case.content, account=case.citizen
    )
    identity_store(case, blob)
    _text_replace(case, title, content, **dict.fromkeys(PLAIN_SENDER, ""))
    attachments_seal(case)
    letter_sealed.send(sender=Case, case=case, sender_details=sender)


def _text_replace(case: Case, title: str, content: str, **plain: str) -> None:
    """Store the masked text, then index and fingerprint it instead of the old text."""
    Case.objects.filter(pk=case.pk).update(title=title, content=content, **plain)
    case.title, case.content = title, content
    for name, value in plain.items():
        setattr(case, name, value)
    CaseFingerprint.objects.filter(case=case).delete()
    fingerprint_store(case)
    index_document(source="case", source_id=case.pk, scope_id=case.agency_id,
                   title=title, body=content)  # fmt: skip


def attachments_seal(case: Case) -> int:
    """Seal (encrypt) in storage every file of `case` still stored plain; returns how many.

    The sealed copy is written under a new name first; the plain file goes once the change
    is committed, so a rolled-back reclassification loses nothing.
    """
    plain = list(Attachment.objects.filter(case=case, sealed=False))
    for attachment in plain:
        _file_seal(attachment)
    return len(plain)


def _file_seal(attachment: Attachment) -> None:
    with attachment.file.open("rb") as handle:
        data = handle.read()
    old_name = attachment.file.name or ""
    storage = attachment.file.storage
    target = f"cases/sealed/{uuid.uuid4().hex}{PurePath(old_name).suffix}"
    with storing(f"attachment {target}"):  # not the sender's name for the file
        new_name = storage.save(target, ContentFile(sealed.seal_bytes(data)))
    Attachment.objects.filter(pk=attachment.pk).update(file=new_name, sealed=True)
    transaction.on_commit(lambda: storage.delete(old_name))
