"""The documents a case produces (NĐ 30/2020 format), filled from the case and numbered.

Acceptance notice, forwarding slip, decline notice and answer are generated with the step
that calls for them and kept as files of the case; the citizen sees those addressed to them.
"""

import hashlib
from typing import Any

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import Membership, User
from danvan.core.uploads import CleanFile
from danvan.documents.numbering import agency_header
from danvan.documents.services import DocumentKind, render_document
from danvan.places.models import Agency
from danvan.rulebook.store import current_rulebook
from danvan.rulebook.words import basis_in_document

from .identity import document_addressee
from .models import Attachment, Case
from .workflow import DeclineReason, Kind
from .writes import attachments_add

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KIND_LABEL = {Kind.FEEDBACK: "đơn phản ánh", Kind.PETITION: "đơn kiến nghị",
              Kind.COMPLAINT: "đơn khiếu nại", Kind.DENUNCIATION: "đơn tố cáo"}  # fmt: skip
FILE_NAME = {DocumentKind.ACCEPTANCE_NOTICE: "thong-bao-thu-ly",
             DocumentKind.FORWARDING_SLIP: "phieu-chuyen-don",
             DocumentKind.DECLINE_NOTICE: "thong-bao-khong-thu-ly",
             DocumentKind.ANSWER: "van-ban-tra-loi"}  # fmt: skip
# The head's title when the membership records none, by the kind of agency.
HEAD_TITLE: dict[str, Promise] = {
    Agency.Type.PEOPLES_COMMITTEE: _("Chairperson"),
    Agency.Type.INSPECTORATE: _("Chief Inspector"),
}


def case_document(
    *, case: Case, kind: str, by: User | None, note: str = "", to: Agency | None = None
) -> Attachment:
    """Render, number and keep the document; addressed to the citizen unless it is a slip."""
    today = timezone.localdate()
    with translation.override("vi"):  # a state document is in Vietnamese whoever clicks
        header = agency_header(case.agency, kind, today, kind_type=_symbol_type(case, kind))
        context = {**header, **_letter(case, kind, note, to)}
    data = render_document(kind, context)
    clean = CleanFile(name=f"{FILE_NAME[DocumentKind(kind)]}-{case.tracking_code}.docx",
                      content_type=DOCX, data=data, sha256=hashlib.sha256(data).hexdigest(),
                      size=len(data))  # fmt: skip
    public = kind != DocumentKind.FORWARDING_SLIP
    [attachment] = attachments_add(
        case, [clean], by=by, source=Attachment.Source.DOCUMENT, public=public, document_kind=kind
    )
    return attachment


def _letter(case: Case, kind: str, note: str, to: Agency | None) -> dict[str, Any]:
    person = _petitioner(case)
    title, name = _signer(case.agency)
    fields: dict[str, Any] = {
        "recipient": to.name if to else person,
        "petitioner": person,
        "kind_label": KIND_LABEL[Kind(case.kind)],
        "tracking_code": case.tracking_code,
        "received_date": timezone.localdate(case.received_at),
        "subject": case.title,
        "legal_basis": _basis(case, kind),
        "recipients": ["Như trên;", "Lưu: VT."],
        "signer_title": title,
        "signer_name": name,
    }
    fields.update(_specific(case, kind, note))
    return fields


def _specific(case: Case, kind: str, note: str) -> dict[str, Any]:
    if kind == DocumentKind.ACCEPTANCE_NOTICE:
        return {"deadline": case.resolve_due}
    if kind == DocumentKind.DECLINE_NOTICE:
        reason = DeclineReason(case.decline_reason).label if case.decline_reason else ""
        return {"reason": f"{reason}. {note}".strip(" .") + "."}
    if kind == DocumentKind.ANSWER:
        title = "Quyết định giải quyết khiếu nại" if case.kind == Kind.COMPLAINT else ""
        return {"title": title or "Văn bản trả lời", "answer": case.answer}
    return {}


def _symbol_type(case: Case, kind: str) -> str | None:
    # A complaint is resolved by a decision, numbered "QĐ-..." (NĐ 30/2020 Phụ lục III);
    # other answers are letters numbered with the agency's symbol alone.
    if kind == DocumentKind.ANSWER and case.kind == Kind.COMPLAINT:
        return "QĐ"
    return None


def _petitioner(case: Case) -> str:
    """The name on the letter (`identity.document_addressee`: a sealed letter's documents
    are sealed files, so they may carry it)."""
    return document_addressee(case)


def _signer(agency: Agency) -> tuple[str, str]:
    """Who signs: the agency's current head, by title and name (NĐ 30/2020 Phụ lục I, II.8).

    A People's Committee decides collectively, so its head signs "TM." (on behalf of) it.
    A handling delegation (`delegations`) authorises choosing a denunciation's handler, not
    signing for the head, so it does not change the signer.
    """
    head = _head(agency)
    title = head.title if head and head.title else str(HEAD_TITLE.get(agency.type, _("Head")))
    if agency.type == Agency.Type.PEOPLES_COMMITTEE:
        title = gettext("On behalf of %(agency)s\n%(title)s") % {
            "agency": agency.name,
            "title": title,
        }
    return title, head.user.full_name if head else ""


def _head(agency: Agency) -> Membership | None:
    today = timezone.localdate()
    return (
        Membership.objects.filter(agency=agency, role=Membership.Role.HEAD, ended_on__isnull=True)
        .filter(started_on__lte=today)
        .select_related("user")
        .first()
    )


def _basis(case: Case, kind: str) -> str:
    code = case.resolve_rule if kind == DocumentKind.ANSWER else case.process_rule
    if not code:
        return ""
    on = timezone.localdate(case.received_at)
    try:
        return basis_in_document(current_rulebook().rule(code, on=on).legal_basis)
    except LookupError:
        return ""
