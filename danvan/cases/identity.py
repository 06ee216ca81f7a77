"""The one gate to a letter's sender: who may see what of it, and every look at a secret logged.

Luật Tố cáo 2018 Art. 9 and 47, QĐ 774/QĐ-TTg: a denouncer's name, address, contact,
handwriting, and the account that filed the denunciation, reach only the handler the head of
the agency designated and those the law entitles (auditors). A letter is *sealed* when
`Case.identity_sealed` is set (intake of a denunciation, reclassification to one, a part split
from one; `sealing.py`); it stays set whatever the letter becomes. Every path that can carry
the sender asks here, and nowhere else decides:

- the case page: the sender block (`sender_shown`), history actors (`actor_labels`), files
  (`attachment_open`); the identity panel (`identity_open`);
- the tracking page and its documents (`public_documents`, `public_attachment_open`);
- related letters by sender (`sender_link_fields`, `without_sealed`), by split or round
  (`link_shown`), and duplicate candidates and links (`pairable`);
- notices, documents and masking what officers type (`notice_address`, `document_addressee`,
  `masked_texts`: the platform's own reads), and a part split from a sealed letter
  (`sealed_sender`);
- the person's data export (`own_identities`); the APIs (`plain_sender`, `without_sealed`);
- who may designate a sealed letter's handler (`may_designate`), and whether a letter sealed
  by its reclassification keeps the handler it had (`designated`).

Every opening of a sealed identity or file writes one `IdentityLook` (who, what, from which
address; no user for the platform's own reads) before the secret is returned.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from danvan.accounts.access import AnyUser, agency_ids_of, roles_of
from danvan.accounts.models import User
from danvan.accounts.roles import Role
from danvan.core import sealed
from danvan.language.pii import mask_sender

from .access import can_act
from .delegations import is_delegate
from .models import Attachment, Case, CaseEvent, DenouncerIdentity, IdentityLook
from .workflow import Action

FIELDS = ("name", "id_number", "phone", "email", "address")
DENOUNCER = _("Denouncer")
ANONYMOUS = _("Anonymous")
ANONYMOUS_ADDRESSEE = "Người gửi đơn không ghi tên"  # state documents are in Vietnamese
DENOUNCER_ADDRESSEE = "Người tố cáo"


class IdentityHidden(Exception):
    """The user may not see this sender's identity or this sealed file."""


# --- decisions ---------------------------------------------------------------------------


def entitled(user: AnyUser, case: Case) -> bool:
    """May `user` see who sent `case`?

    Sealed: the designated handler (the assignee, still acting in the agency) and auditors.
    Not sealed: the officers who act on the letter, and auditors.
    """
    if not user.is_authenticated:
        return False
    if Role.AUDITOR in roles_of(user):
        return True
    if not case.identity_sealed:
        return can_act(user, case)
    return case.assignee_id == user.pk and can_act(user, case)


def is_own(user: AnyUser, case: Case) -> bool:
    """The signed-in citizen who filed `case`: their own letter is theirs to see."""
    return user.is_authenticated and case.citizen_id is not None and case.citizen_id == user.pk


def may_designate(user: AnyUser, case: Case, assignee: User) -> bool:
    """May `user` make `assignee` the handler of `case`?

    Anyone acting on an unsealed letter. A sealed one: only the head of its agency (anyone,
    themselves included: the head resolves, LTC Art. 12-15) or an officer the head delegated
    in writing, who never designates themselves.
    """
    if not case.identity_sealed:
        return True  # the views' write access decides, as for any other step
    if _is_head(user, case):
        return True
    return assignee.pk != user.pk and designates(user, case)


def designates(user: AnyUser, case: Case) -> bool:
    """Does `user` choose who handles `case`? Anyone acting on it, for an unsealed letter;
    for a sealed one, its agency's head or an officer the head delegated in writing."""
    if not case.identity_sealed:
        return can_act(user, case)
    if not user.is_authenticated:
        return False
    return _is_head(user, case) or (can_act(user, case) and is_delegate(user, case.agency_id))


def designated(case: Case) -> bool:
    """Was the handler of the sealed `case` chosen as a sealed letter's handler must be?

    Its latest assignment is judged now, by `may_designate`: made by the head, or by a
    written delegate for someone else. A handler who picked the letter up while it was plain
    (starting the work, assigning themselves, a colleague's choice) was not designated.
    """
    if case.assignee is None:
        return True
    latest = (
        CaseEvent.objects.filter(case=case, action=Action.ASSIGN, data__assignee=case.assignee.pk)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    if latest is None or latest.actor is None:
        return False
    return may_designate(latest.actor, case, case.assignee)


def _is_head(user: AnyUser, case: Case) -> bool:
    return case.agency_id in agency_ids_of(user, roles={Role.HEAD})


# --- what the pages show -----------------------------------------------------------------


@dataclass(frozen=True)
class SenderShown:
    """The sender block of the case page: never a sealed identity itself, at most a link."""

    state: str  # "anonymous", "sealed", "plain" or "hidden"
    may_open: bool = False  # sealed: the link to the logged identity panel
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


def sender_shown(user: AnyUser, case: Case) -> SenderShown:
    if case.identity_sealed:
        return SenderShown("sealed", may_open=entitled(user, case))
    if case.anonymous:
        return SenderShown("anonymous")
    if not entitled(user, case):
        return SenderShown("hidden")
    return SenderShown("plain", name=case.submitter_name, phone=case.submitter_phone,
                       email=case.submitter_email, address=case.submitter_address)  # fmt: skip


def actor_label(case: Case, actor: User | None) -> str:
    """Who did a step, as the history shows it: the filing account of a sealed letter is
    "Denouncer" for everyone (its name is on the identity panel), of an anonymous one
    "Anonymous"."""
    if actor is None:
        return ""
    if case.citizen_id is not None and actor.pk == case.citizen_id:
        if case.identity_sealed:
            return str(DENOUNCER)
        if case.anonymous:
            return str(ANONYMOUS)
    return actor.full_name


def actor_labels(case: Case, events: list[CaseEvent]) -> list[CaseEvent]:
    """`events` with `actor_label` set on each, for the templates."""
    for event in events:
        event.actor_label = actor_label(case, event.actor)  # type: ignore[attr-defined]
    return events


def plain_sender(case: Case) -> dict[str, str] | None:
    """The sender as the staff API gives it: never for a sealed or anonymous letter."""
    if case.identity_sealed or case.anonymous:
        return None
    return {"name": case.submitter_name, "phone": case.submitter_phone,
            "email": case.submitter_email, "address": case.submitter_address}  # fmt: skip


def sender_link_fields(case: Case) -> list[tuple[str, Any]]:
    """The (field, value) pairs that tie letters of one sender; none for a sealed letter."""
    if case.identity_sealed:
        return []
    return [("submitter_phone", case.submitter_phone), ("submitter_email", case.submitter_email),
            ("citizen_id", case.citizen_id)]  # fmt: skip


def pairable(case: Case, other: Case) -> bool:
    """May the two letters be offered or linked as one matter? Never a sealed letter with a
    plain one: beside a plain letter from the same sender the link names the denouncer, and
    whether the senders are the same cannot be told without opening the sealed one."""
    return case.identity_sealed == other.identity_sealed


def link_shown(user: AnyUser, case: Case, other: Case) -> bool:
    """May `user` see on `case`'s page its split part, origin or complaint round `other`?
    Across a seal only if `user` may see who sent the sealed one of the two."""
    if pairable(case, other):
        return True
    return entitled(user, case if case.identity_sealed else other)


def without_sealed(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Letters that may be found through their sender or shown to the public."""
    return cases.filter(identity_sealed=False)


# --- opening a secret (each one logged) --------------------------------------------------


def identity_open(*, case: Case, user: AnyUser, address: str | None = None) -> dict[str, Any]:
    """The sealed identity, the letter as written and the filing account, for the handler
    or an auditor; the look is logged first."""
    _allow(case, user)
    _log(case, user, "identity", address)
    opened = _sealed_identity(case)
    account = case.citizen
    opened["account"] = (
        {"name": account.full_name, "email": account.email or "", "phone": account.phone or ""}
        if account
        else None
    )
    return opened


def attachment_open(*, attachment: Attachment, user: AnyUser, address: str | None = None) -> bytes:
    """The bytes of a file of the case page; a sealed one only for those entitled, logged."""
    if not attachment.sealed:
        return _read(attachment)
    _allow(attachment.case, user)
    _log(attachment.case, user, f"attachment:{attachment.pk}", address)
    return sealed.open_bytes(_read(attachment))


def public_documents(case: Case, user: AnyUser) -> list[Attachment]:
    """The documents the tracking page lists: those issued to the citizen; a sealed one only
    to the signed-in citizen who filed the letter."""
    own = is_own(user, case)
    files = Attachment.objects.filter(case=case, is_public=True).order_by("uploaded_at", "id")
    return [a for a in files if not a.sealed or own]


def public_attachment_open(
    *, attachment: Attachment, user: AnyUser, address: str | None = None
) -> bytes:
    """A document from the tracking page (the tracking code is the key); a sealed one only
    for the citizen who filed the letter, logged as their look."""
    if not attachment.is_public:
        raise IdentityHidden(attachment.case_id)
    if not attachment.sealed:
        return _read(attachment)
    if not is_own(user, attachment.case):
        raise IdentityHidden(attachment.case_id)
    _log(attachment.case, user, f"attachment:{attachment.pk}", address)
    return sealed.open_bytes(_read(attachment))


def own_identities(user: User, cases: list[Case]) -> dict[int, dict[str, Any]]:
    """What the person sealed in their own letters, for their data export; each read logged."""
    mine = [case for case in cases if case.identity_sealed and case.citizen_id == user.pk]
    rows = list(DenouncerIdentity.objects.filter(case__in=mine))
    IdentityLook.objects.bulk_create(
        [IdentityLook(case_id=row.case_id, user=user, what="data_export") for row in rows]
    )
    return {row.case_id: sealed.open_json(bytes(row.sealed)) for row in rows}


# --- the platform's own reads (notices, documents), logged without a user ------------------


def contact_for_notice(case: Case, what: str = "notification") -> dict[str, Any]:
    """The denouncer's own details, read by the platform to notify them (LTC Art. 9); logged."""
    _log(case, None, what, None)
    return _sealed_identity(case)


def sealed_sender(case: Case) -> dict[str, str]:
    """The sealed sender of `case` (no text), read by the platform to seal a part split from
    it with the same sender; logged."""
    opened = contact_for_notice(case, "split")
    return {field: str(opened.get(field) or "") for field in FIELDS}


def notice_address(case: Case) -> tuple[str, str]:
    """(e-mail, phone) a notice about `case` goes to: what the sender gave (sealed or not,
    whatever the letter's kind now), else their account's."""
    if case.identity_sealed:
        contact = contact_for_notice(case)
        email, phone = contact.get("email", ""), contact.get("phone", "")
    else:
        email, phone = case.submitter_email, case.submitter_phone
    account = case.citizen
    email = email or (account.email if account else "") or ""
    phone = phone or (account.phone if account else "") or ""
    return email, phone


def masked_texts(case: Case, texts: list[str]) -> list[str]:
    """What an officer typed on a sealed letter (a note, the answer), with its sender's
    details masked: the history and the tracking page show them, not only the handler.
    The platform reads the sealed sender to do it (one look, logged as "masking")."""
    if not case.identity_sealed or not any(texts):
        return texts
    opened = contact_for_notice(case, "masking")
    sender = {field: opened.get(field, "") for field in FIELDS}
    account = [account_contact(case.citizen)] if case.citizen else []
    return [mask_sender(text, sender, *account) if text else text for text in texts]


def account_contact(account: User) -> dict[str, str]:
    """The filing account's name and contact: identity too, masked with the sender's."""
    return {"name": account.full_name, "phone": account.phone or "", "email": account.email or ""}


def document_addressee(case: Case) -> str:
    """The name a document of the case is addressed to; a sealed letter's documents are
    sealed files (attachments_add), so they may carry it."""
    account = case.citizen.full_name if case.citizen else ""
    if case.anonymous:
        return ANONYMOUS_ADDRESSEE
    if case.identity_sealed:
        return contact_for_notice(case, "document").get("name") or account or DENOUNCER_ADDRESSEE
    return case.submitter_name or account


# --- internals ---------------------------------------------------------------------------


def _sealed_identity(case: Case) -> dict[str, Any]:
    row = DenouncerIdentity.objects.filter(case=case).first()
    opened = sealed.open_json(bytes(row.sealed)) if row else {}
    return {**dict.fromkeys(FIELDS, ""), **opened}


def _read(attachment: Attachment) -> bytes:
    with attachment.file.open("rb") as handle:
        data: bytes = handle.read()
    return data


def _allow(case: Case, user: AnyUser) -> None:
    if not entitled(user, case):
        raise IdentityHidden(case.pk)


@transaction.atomic
def _log(case: Case, user: Any, what: str, address: str | None) -> None:
    IdentityLook.objects.create(case=case, user=user, what=what, address=address or None)
