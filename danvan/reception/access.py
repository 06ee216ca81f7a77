"""Who may see and do what in reception. Every view starts here.

- the logbook, the day's sessions and entries: reception officers and heads of the agency;
- compliance: supervisors and auditors (every agency), heads (their own), read-only;
- the published schedule and booking: everyone, with or without an account.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from danvan.accounts.access import AnyUser, agency_ids_of, roles_of
from danvan.accounts.roles import Role

from .models import ReceptionSession

LOGBOOK_ROLES = {Role.RECEPTION_OFFICER, Role.HEAD}
OVERSIGHT_ROLES = {Role.SUPERVISOR, Role.AUDITOR}


def logbook_agency_ids(user: AnyUser) -> set[int]:
    return agency_ids_of(user, roles=LOGBOOK_ROLES)


def require_logbook(user: AnyUser) -> set[int]:
    """The agencies whose logbook the user keeps; 403 when none."""
    agencies = logbook_agency_ids(user)
    if not agencies:
        raise PermissionDenied
    return agencies


def get_session_for_user(user: AnyUser, pk: int) -> ReceptionSession:
    """A session of an agency whose logbook the user keeps; 404 otherwise (nothing leaks)."""
    session = (
        ReceptionSession.objects.select_related("agency", "leader", "deputy")
        .filter(pk=pk, agency_id__in=logbook_agency_ids(user))
        .first()
    )
    if session is None:
        raise Http404
    return session


def compliance_scope(user: AnyUser) -> set[int] | None:
    """Agencies whose compliance the user may read: None for all; 403 for no one."""
    if roles_of(user) & OVERSIGHT_ROLES:
        return None
    heads = agency_ids_of(user, roles={Role.HEAD})
    if not heads:
        raise PermissionDenied
    return heads
