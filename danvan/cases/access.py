"""Who may see and act on which case. Every case view and endpoint starts here.

Who may see a letter's sender (a denouncer above all) is decided by `identity.py` alone.
"""

from django.db.models import QuerySet
from django.http import Http404

from danvan.accounts.access import AnyUser, agency_ids_of, roles_of
from danvan.accounts.roles import Role

from .models import Case

ACTING_ROLES = {Role.RECEPTION_OFFICER, Role.HANDLING_OFFICER, Role.HEAD}


def visible_cases(user: AnyUser) -> QuerySet[Case]:
    """Officers see their agencies' cases; auditors see every case; others see none.

    Supervisors (mass-mobilisation committee, Fatherland Front) see statistics, not letters.
    """
    if Role.AUDITOR in roles_of(user):
        return Case.objects.all()
    agencies = agency_ids_of(user, roles=ACTING_ROLES)
    if not agencies:
        return Case.objects.none()
    return Case.objects.filter(agency_id__in=agencies)


def get_case_for_user(user: AnyUser, pk: int, *, write: bool = False) -> Case:
    """The case if `user` may see it (or act on it, with `write`); 404 otherwise.

    404 rather than 403: an officer of another agency learns nothing, not even that it exists.
    """
    cases = visible_cases(user)
    if write:
        cases = cases.filter(agency_id__in=agency_ids_of(user, roles=ACTING_ROLES))
    case = (
        cases.select_related("agency", "unit", "topic", "assignee", "suggested_topic")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def can_act(user: AnyUser, case: Case) -> bool:
    return case.agency_id in agency_ids_of(user, roles=ACTING_ROLES)


def citizen_cases(user: AnyUser) -> QuerySet[Case]:
    if not user.is_authenticated:
        return Case.objects.none()
    return Case.objects.filter(citizen=user)


def retention_agency_ids(user: AnyUser) -> set[int]:
    """Agencies whose archived letters `user` decides on: the head's (TT 05/2021 Art. 28)."""
    return agency_ids_of(user, roles={Role.HEAD})


def can_decide_retention(user: AnyUser, case: Case) -> bool:
    return case.agency_id in retention_agency_ids(user)
