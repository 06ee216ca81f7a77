"""Letters sealed before the text was (every denunciation, and every letter that ever was one):
the text as written goes into the sealed identity, the plain columns keep it masked, the files
still stored plain are sealed, and the search entry and fingerprints are rebuilt.

Re-runnable: a letter whose sealed identity already holds its text keeps that text (the
masked copy is made again from it, the same), and sealed files are left as they are. Letters
destroyed after their retention period are left alone: nothing of them remains to seal.
"""

import uuid
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import migrations, transaction
from django.db.models import Q

FIELDS = ("name", "id_number", "phone", "email", "address")
PLAIN = {"name": "submitter_name", "phone": "submitter_phone", "email": "submitter_email",
         "address": "submitter_address"}  # fmt: skip
TITLE_MAX = 200
BATCH = 200


def seal_existing(apps, schema_editor=None):
    """Seal and mask every sealed or denunciation letter; returns how many were changed."""
    Case = apps.get_model("cases", "Case")
    changed, last = 0, 0
    letters = Case.objects.filter(Q(identity_sealed=True) | Q(kind="denunciation"))
    letters = letters.filter(destroyed_at__isnull=True).select_related("citizen")
    while batch := list(letters.filter(pk__gt=last).order_by("pk")[:BATCH]):
        for case in batch:
            changed += _seal(apps, case)
        last = batch[-1].pk
    return changed


def _seal(apps, case):
    from danvan.core import sealed
    from danvan.language.pii import mask_sender

    Identity = apps.get_model("cases", "DenouncerIdentity")
    row = Identity.objects.filter(case_id=case.pk).first()
    blob = sealed.open_json(bytes(row.sealed)) if row else {}
    sender = {field: blob.get(field) or getattr(case, PLAIN.get(field, ""), "") or ""
              for field in FIELDS}  # fmt: skip
    if "content" not in blob:  # the text as it was written, sealed once
        blob = {**blob, **sender, "title": case.title, "content": case.content}
        Identity.objects.update_or_create(case_id=case.pk,
                                          defaults={"sealed": sealed.seal_json(blob)})  # fmt: skip
    account = case.citizen
    others = [{"name": account.full_name, "phone": account.phone or "",
               "email": account.email or ""}] if account else []  # fmt: skip
    title = mask_sender(blob["title"], sender, *others)[:TITLE_MAX]
    content = mask_sender(blob["content"], sender, *others)
    plain = [getattr(case, column) for column in PLAIN.values()]
    text_changed = (title, content) != (case.title, case.content)
    if text_changed or any(plain) or not case.identity_sealed:
        Case = apps.get_model("cases", "Case")
        Case.objects.filter(pk=case.pk).update(title=title, content=content, identity_sealed=True,
                                               **dict.fromkeys(PLAIN.values(), ""))  # fmt: skip
    if text_changed:
        _reindex(apps, case, title, content)
    files = _seal_files(apps, case)
    return int(text_changed or any(plain) or not case.identity_sealed or files > 0 or not row)


def _reindex(apps, case, title, content):
    from danvan.language import similarity
    from danvan.language.search import index_document

    Fingerprint = apps.get_model("cases", "CaseFingerprint")
    Fingerprint.objects.filter(case_id=case.pk).delete()
    keys = similarity.band_keys(similarity.signature(f"{title}\n{content}"))
    Fingerprint.objects.bulk_create(
        [Fingerprint(case_id=case.pk, key=int(key, 16) - (1 << 63)) for key in keys]
    )
    index_document(source="case", source_id=case.pk, scope_id=case.agency_id, title=title,
                   body=content)  # fmt: skip


def _seal_files(apps, case):
    from danvan.core import sealed

    Attachment = apps.get_model("cases", "Attachment")
    plain = list(Attachment.objects.filter(case_id=case.pk, sealed=False))
    for attachment in plain:
        with attachment.file.open("rb") as handle:
            data = handle.read()
        old_name = attachment.file.name
        storage = attachment.file.storage
        new_name = storage.save(f"cases/sealed/{uuid.uuid4().hex}{PurePath(old_name).suffix}",
                                ContentFile(sealed.seal_bytes(data)))  # fmt: skip
        Attachment.objects.filter(pk=attachment.pk).update(file=new_name, sealed=True)
        transaction.on_commit(lambda name=old_name, store=storage: store.delete(name))
    return len(plain)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0015_handling_delegation"),
        ("language", "0003_trigram_vocabulary"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(seal_existing, migrations.RunPython.noop)]
