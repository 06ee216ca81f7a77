"""Who sees which figures and which letters behind them. Every view starts here.

- Supervisors (Ban Dân vận) and auditors: every agency of their province.
- A head of agency: the agencies they head.
- Anyone else: 403, and no link to the overview anywhere (accounts.access.can_open_insights).

The letters behind a figure are listed without their text or sender; a row links to the
letter's page only for those who may open it (cases.access), so a denouncer stays sealed.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from danvan.accounts.access import AnyUser, agency_ids_of, can_open_insights, roles_of
from danvan.accounts.roles import Role
from danvan.evaluation.access import overseen_province_ids
from danvan.places.models import Agency

PROVINCE_ROLES = {Role.SUPERVISOR, Role.AUDITOR}


@dataclass(frozen=True)
class Scope:
    agency_ids: frozenset[int]
    province: bool  # every agency of the province(s), not only the user's own

    def allows(self, agency_id: int) -> bool:
        return agency_id in self.agency_ids


def insights_scope(user: AnyUser) -> Scope:
    """The agencies whose figures the user sees; PermissionDenied for anyone else."""
    if not can_open_insights(user):
        raise PermissionDenied
    if roles_of(user) & PROVINCE_ROLES:
        provinces = overseen_province_ids(user)
        agencies = Agency.objects.filter(
            Q(home_unit_id__in=provinces) | Q(home_unit__parent_id__in=provinces)
        )
        return Scope(frozenset(agencies.values_list("pk", flat=True)), province=True)
    return Scope(frozenset(agency_ids_of(user, roles={Role.HEAD})), province=False)
