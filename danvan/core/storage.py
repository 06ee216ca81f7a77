"""Writes to the file storage, and the one error a request shows when the storage fails.

A full disk, a read-only or unmounted share, or an S3-compatible endpoint that is down or
refuses the write all become `StorageUnavailable` where the file is written, inside the
transaction of the change the file belongs to. The change is rolled back with it and the
request answers 503 (the citizen's form comes back with what was typed; the API says
`storage_unavailable`) instead of a bare server error.
"""

import contextlib
import logging
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("danvan.storage")

RETRY_AFTER = 60  # seconds: about what freeing space or restarting the storage takes
# On a form shown again after the failure: what was typed is kept, files must be chosen again.
FORM_MESSAGE = _(
    "The files could not be stored just now, so nothing was sent or saved. What you typed is "
    "kept below: choose the files again and send in a few minutes."
)
# After a one-click action whose document could not be written.
ACTION_MESSAGE = _(
    "The document could not be stored just now, so nothing was saved. Try again in a few minutes."
)


class StorageUnavailable(Exception):
    """The file storage refused a write; nothing of the change was saved."""


def _failures() -> tuple[type[BaseException], ...]:
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # installed without the S3 client: the filesystem's errors only
        return (OSError,)
    return (OSError, BotoCoreError, ClientError)


@contextlib.contextmanager
def storing(what: str) -> Iterator[None]:
    """Turn a failed write of `what` into StorageUnavailable (logged once, here)."""
    try:
        yield
    except _failures() as error:
        logger.error("the file storage refused %s: %r", what, error)
        raise StorageUnavailable(what) from error
