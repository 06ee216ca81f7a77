"""Who may see and do what in an evaluation round. Every view starts here.

- The supervisor (Ban Dân vận, role supervisor) of the round's province: everything, and the
  only one who opens a round, reviews, approves and publishes.
- The auditor of the province: reads everything, changes nothing.
- A unit (the officials of an agency in the round): its own assessment; its head, or the
  officer the head names, self-assesses; the ranking once published.
- Anyone else: 403 on the pages of the evaluation, 404 on a round or an assessment (an
  outsider learns nothing, not even that it exists).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from danvan.accounts.access import AnyUser, agency_ids_of, memberships_of
from danvan.accounts.roles import Role
from danvan.places.models import Unit

from .models import Assessment, AssessmentStatus, Round, RoundStatus

UNIT_ROLES = {Role.RECEPTION_OFFICER, Role.HANDLING_OFFICER, Role.HEAD}
OVERSIGHT_ROLES = {Role.SUPERVISOR, Role.AUDITOR}


def _province_of(unit: Unit) -> int:
    if unit.level == Unit.Level.PROVINCE or unit.parent_id is None:
        return unit.pk
    return int(unit.parent_id)


def province_ids(user: AnyUser, roles: set[Role]) -> set[int]:
    """The provinces where the user holds one of `roles` (through an agency of it)."""
    return {_province_of(m.agency.home_unit) for m in memberships_of(user) if Role(m.role) in roles}


def supervised_province_ids(user: AnyUser) -> set[int]:
    return province_ids(user, {Role.SUPERVISOR})


def overseen_province_ids(user: AnyUser) -> set[int]:
    return province_ids(user, OVERSIGHT_ROLES)


def unit_agency_ids(user: AnyUser) -> set[int]:
    return agency_ids_of(user, roles=UNIT_ROLES)


def visible_rounds(user: AnyUser) -> QuerySet[Round]:
    """Rounds of the provinces the user oversees, and those scoring the user's agencies."""
    return Round.objects.filter(
        Q(province_id__in=overseen_province_ids(user))
        | Q(assessments__agency_id__in=unit_agency_ids(user))
    ).distinct()


def can_open_evaluation(user: AnyUser) -> bool:
    return bool(overseen_province_ids(user)) or visible_rounds(user).exists()


def require_evaluation(user: AnyUser) -> None:
    if not can_open_evaluation(user):
        raise PermissionDenied


def can_open_round(user: AnyUser) -> bool:
    return bool(supervised_province_ids(user))


def oversees(user: AnyUser, round_: Round) -> bool:
    return round_.province_id in overseen_province_ids(user)


def supervises(user: AnyUser, round_: Round) -> bool:
    return round_.province_id in supervised_province_ids(user)


def get_round_for_oversight(user: AnyUser, pk: int) -> Round:
    """The round if the user oversees its province; 404 otherwise."""
    round_ = Round.objects.select_related("criteria_set", "province").filter(pk=pk).first()
    if round_ is None or not oversees(user, round_):
        raise Http404
    return round_


def get_round_for_supervisor(user: AnyUser, pk: int) -> Round:
    round_ = get_round_for_oversight(user, pk)
    if not supervises(user, round_):
        raise PermissionDenied
    return round_


def can_see_ranking(user: AnyUser, round_: Round) -> bool:
    if oversees(user, round_):
        return True
    published = round_.status == RoundStatus.PUBLISHED
    return published and round_.assessments.filter(agency_id__in=unit_agency_ids(user)).exists()


def get_round_for_ranking(user: AnyUser, pk: int) -> Round:
    round_ = Round.objects.select_related("criteria_set", "province").filter(pk=pk).first()
    if round_ is None or not can_see_ranking(user, round_):
        raise Http404
    return round_


def get_assessment_for_user(user: AnyUser, pk: int) -> Assessment:
    """The assessment if it is the user's unit's, or the user oversees its province; 404
    otherwise."""
    assessment = (
        Assessment.objects.select_related(
            "round", "round__criteria_set", "agency", "agency__home_unit", "assessor",
            "disqualifier",
        )
        .filter(pk=pk)
        .first()
    )  # fmt: skip
    if assessment is None:
        raise Http404
    if assessment.agency_id in unit_agency_ids(user) or oversees(user, assessment.round):
        return assessment
    raise Http404


def is_head(user: AnyUser, assessment: Assessment) -> bool:
    return assessment.agency_id in agency_ids_of(user, roles={Role.HEAD})


def can_self_assess(user: AnyUser, assessment: Assessment) -> bool:
    """The unit's head, or the officer the head named (while still an official there)."""
    if is_head(user, assessment):
        return True
    named = user.is_authenticated and assessment.assessor_id == user.pk
    return named and assessment.agency_id in unit_agency_ids(user)


def require_self_assess(user: AnyUser, assessment: Assessment) -> None:
    if not can_self_assess(user, assessment):
        raise PermissionDenied


def require_head(user: AnyUser, assessment: Assessment) -> None:
    if not is_head(user, assessment):
        raise PermissionDenied


def require_reviewer(user: AnyUser, assessment: Assessment) -> None:
    if not supervises(user, assessment.round):
        raise PermissionDenied


def sees_results(user: AnyUser, assessment: Assessment) -> bool:
    """A unit sees its reviewed scores once published; the overseers always."""
    return oversees(user, assessment.round) or assessment.round.status == RoundStatus.PUBLISHED


def self_assessing_now(user: AnyUser, assessment: Assessment) -> bool:
    """The user may score the unit's lines now: the head or the named officer, while the
    round takes self-assessments and the unit has not sent its own."""
    return (
        can_self_assess(user, assessment)
        and assessment.status == AssessmentStatus.DRAFT
        and assessment.round.status == RoundStatus.SELF_ASSESSMENT
    )


def reviewing_now(user: AnyUser, assessment: Assessment) -> bool:
    """The user may review the unit now: the province's supervisor, during the review,
    until the unit's review is finished."""
    return (
        supervises(user, assessment.round)
        and assessment.round.status == RoundStatus.REVIEW
        and assessment.status != AssessmentStatus.REVIEWED
    )
