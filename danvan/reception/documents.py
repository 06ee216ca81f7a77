"""The conclusion notice (thông báo kết luận) of a reception session chaired by the head of
its agency (TT 04/2021), as a DOCX in the NĐ 30/2020 format, numbered in the agency's series."""

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import Membership, User
from danvan.documents.numbering import agency_header
from danvan.documents.services import DocumentKind, render_document

from .models import ReceptionSession, SessionStatus
from .services import ReceptionError

RECIPIENTS = ["Công dân có liên quan;", "Các cơ quan, đơn vị có liên quan;", "Lưu: VT."]


def conclusion_notice(*, session: ReceptionSession) -> bytes:
    """The notice; ReceptionError when the session was not held by the head or has no
    conclusions yet (a notice with holes is worse than none)."""
    if session.status != SessionStatus.HELD or not session.conclusion.strip():
        raise ReceptionError(_("Record the session as held, with its conclusions, first."))
    chair = session.deputy or session.leader
    title = _head_title(chair, session)
    if title is None:
        raise ReceptionError(
            _("Only a session chaired by the head of the agency has a conclusion notice.")
        )
    with translation.override("vi"):
        context = {
            **agency_header(session.agency, DocumentKind.CONCLUSION_NOTICE, timezone.localdate()),
            "leader": f"{title} {chair.full_name}",
            "session_date": session.held_on,
            "session_place": session.place,
            "conclusion": session.conclusion,
            "recipients": RECIPIENTS,
            "signer_title": title,
            "signer_name": chair.full_name,
        }
    return render_document(DocumentKind.CONCLUSION_NOTICE, context)


def _head_title(user: User, session: ReceptionSession) -> str | None:
    """The chair's position in the session's agency, if the chair heads it then."""
    membership = (
        Membership.objects.filter(user=user, agency=session.agency, role=Membership.Role.HEAD)
        .filter(started_on__lte=session.held_on)
        .exclude(ended_on__lt=session.held_on)
        .first()
    )
    if membership is None:
        return None
    return membership.title or f"Thủ trưởng {session.agency.name}"
