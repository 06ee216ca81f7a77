"""One-time codes: made at random, shown once, stored only as digests.

Two kinds. Long codes (12 characters, 60 bits: two-step enrolment codes and recovery codes)
are typed by officials, so their alphabet leaves out the look-alikes 0/O and 1/I, and
spaces, hyphens and case are ignored; a plain SHA-256 keeps them unreadable in the database
and does not depend on the secret key, so rotating it voids none of them. Six-digit codes sent
by SMS or e-mail are short-lived and few tries are allowed; their digest is keyed with the
secret key and the row's id, so a copy of the table cannot be searched offline.
"""

import hashlib
import hmac
import secrets

from django.utils.crypto import salted_hmac

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 12
GROUP = 4
_IGNORED = str.maketrans("", "", " -\t\n")


def new_code() -> str:
    """A long code as people read it: 'ABCD-EFGH-JKLM'."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalize(code: str) -> str:
    """What a person typed, without spaces or hyphens, in capitals."""
    return code.translate(_IGNORED).upper()


def well_formed(code: str) -> bool:
    text = normalize(code)
    return len(text) == LENGTH and all(c in ALPHABET for c in text)


def digest(code: str) -> str:
    """The stored form of a long code (64 hexadecimal characters)."""
    return hashlib.sha256(normalize(code).encode("ascii", "replace")).hexdigest()


def six_digits() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def keyed_digest(row_id: int, code: str) -> str:
    """The stored form of a six-digit code sent for row `row_id`."""
    return salted_hmac(
        "danvan.accounts.contact_code", f"{row_id}:{code}", algorithm="sha256"
    ).hexdigest()


def same(stored: str, candidate: str) -> bool:
    return bool(stored) and hmac.compare_digest(stored, candidate)
