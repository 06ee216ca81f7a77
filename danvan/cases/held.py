"""Files of a letter form kept on the server while the form comes back with an error.

A browser cannot put a chosen file back into a file input, so without JavaScript a form shown
again after a mistake would drop the photo the citizen chose, without a word. The files that
passed the content check are kept here instead, sealed (the letter may be, or become, a
denunciation, whose scans show the handwriting), against the form's token and its holder: a
random value kept in the session that sent them, so that a token, which is in the page, is
not enough to attach someone else's file. They go with the letter when it is sent and are
deleted then, when removed on the form, or by the deadline sweep after HOLD_FOR.
"""

import logging
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from danvan.core import sealed
from danvan.core.storage import StorageUnavailable, storing
from danvan.core.uploads import CleanFile

from .models import HeldFile

logger = logging.getLogger("danvan.cases.held")

HOLD_FOR = timedelta(days=1)
EXPIRE_BATCH = 500


def files_held(*, holder: str | None, token: str) -> list[HeldFile]:
    """The files kept for this filling of a form by this session, oldest first."""
    if not holder or not token:
        return []
    fresh = HeldFile.objects.filter(
        holder=holder, token=token, created_at__gt=timezone.now() - HOLD_FOR
    )
    return list(fresh.order_by("created_at", "pk"))


def files_hold(*, holder: str, token: str, files: Sequence[CleanFile]) -> list[HeldFile]:
    """Keep checked files for the form's next try; StorageUnavailable keeps none of them."""
    held: list[HeldFile] = []
    try:
        with transaction.atomic():
            for clean in files:
                held.append(_hold(holder, token, clean))
    except StorageUnavailable:
        _delete_stored(row.file.name for row in held)  # those written before the failure
        raise
    return held


def _hold(holder: str, token: str, clean: CleanFile) -> HeldFile:
    row = HeldFile(token=token, holder=holder, name=clean.name, content_type=clean.content_type,
                   size=clean.size, sha256=clean.sha256)  # fmt: skip
    stored = f"{uuid.uuid4().hex}.sealed"
    with storing(f"held file {stored}"):  # not the sender's name for the file
        row.file.save(stored, ContentFile(sealed.seal_bytes(clean.data)))
    return row


def files_open(held: Iterable[HeldFile]) -> tuple[list[CleanFile], list[HeldFile]]:
    """The kept files as checked files, ready to go with the letter, and those whose bytes are
    lost (deleted meanwhile, or sealed under a key since removed): the sender must choose
    them again. A storage that fails raises StorageUnavailable."""
    opened, lost = [], []
    for row in held:
        data = _read(row)
        if data is None:
            lost.append(row)
            continue
        opened.append(CleanFile(name=row.name, content_type=row.content_type, data=data,
                                sha256=row.sha256, size=row.size))  # fmt: skip
    return opened, lost


def _read(row: HeldFile) -> bytes | None:
    with storing(f"held file {row.file.name}"):
        try:
            with row.file.open("rb") as handle:
                token = handle.read()
        except FileNotFoundError:  # gone, not the storage failing
            return None
    try:
        return sealed.open_bytes(token)
    except sealed.InvalidToken:
        return None


def files_rebind(*, holder: str, old: str, new: str) -> int:
    """Move the files kept under a form's old token to its new one ("send as a new letter")."""
    return HeldFile.objects.filter(holder=holder, token=old).update(token=new)


def files_release(held: Iterable[HeldFile]) -> int:
    """Delete kept files: their rows now, their stored bytes once that is committed."""
    rows = list(held)
    if not rows:
        return 0
    names = [row.file.name for row in rows]
    HeldFile.objects.filter(pk__in=[row.pk for row in rows]).delete()
    transaction.on_commit(lambda: _delete_stored(names))
    return len(rows)


def files_expire(now: datetime | None = None) -> int:
    """Delete the files kept longer than HOLD_FOR: a form given up on. Safe to run anywhere."""
    before = (now or timezone.now()) - HOLD_FOR
    old = HeldFile.objects.filter(created_at__lte=before).order_by("pk")
    deleted = 0
    while batch := list(old[:EXPIRE_BATCH]):
        deleted += files_release(batch)
    return deleted


def _delete_stored(names: Iterable[str | None]) -> None:
    storage = HeldFile._meta.get_field("file").storage
    for name in filter(None, names):
        try:
            storage.delete(name)
        except Exception:  # a sealed orphan is harmless; the next letter must not fail for it
            logger.warning("could not delete the held file %s", name, exc_info=True)
