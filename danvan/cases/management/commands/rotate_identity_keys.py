"""`manage.py rotate_identity_keys`: re-seal every identity and sealed file under the newest key
(the files kept for letter forms too).

Put the new key first in DANVAN_IDENTITY_KEYS, keep the old ones after it, run this, then
remove the old keys. Safe to re-run: already rotated rows are rotated again, harmlessly.
"""

from typing import Any

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from danvan.audit.context import acting_as
from danvan.audit.services import record
from danvan.cases.models import Attachment, DenouncerIdentity, HeldFile
from danvan.core import sealed


def rotate_all() -> tuple[int, int]:
    identities = files = last = 0
    # Batches by primary key, never an open cursor over the table being written.
    while batch := list(DenouncerIdentity.objects.filter(pk__gt=last).order_by("pk")[:500]):
        for row in batch:
            token = sealed.rotate(bytes(row.sealed))
            DenouncerIdentity.objects.filter(pk=row.pk).update(sealed=token)
        identities, last = identities + len(batch), batch[-1].pk
    last = 0
    while files_batch := list(
        Attachment.objects.filter(sealed=True, pk__gt=last).order_by("pk")[:100]
    ):
        for attachment in files_batch:
            _rotate_file(attachment)
        files, last = files + len(files_batch), files_batch[-1].pk
    for held in HeldFile.objects.order_by("pk"):  # a day's worth at most (cases.held)
        _rotate_file(held)
    return identities, files


def _rotate_file(row: Attachment | HeldFile) -> None:
    """Write the re-sealed copy under a new name first; the old file goes only afterwards."""
    with row.file.open("rb") as handle:
        token = handle.read()
    old_name = row.file.name or ""
    storage = row.file.storage
    new_name = storage.save(old_name, ContentFile(sealed.rotate(token)))
    with transaction.atomic():
        type(row).objects.filter(pk=row.pk).update(file=new_name)
    storage.delete(old_name)


class Command(BaseCommand):
    help = "Re-seal denouncers' identities and sealed files under the first identity key."

    def handle(self, *args: Any, **options: Any) -> None:
        with acting_as("command:rotate_identity_keys"):
            identities, files = rotate_all()
            record("identity_keys.rotate", changes={"identities": identities, "files": files})
        self.stdout.write(f"identities={identities} files={files}")
