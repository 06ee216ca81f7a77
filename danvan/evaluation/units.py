"""Who a round scores, and in which group each is ranked."""

from danvan.places.models import Agency


def unit_group(agency: Agency) -> str:
    """Communes and wards (through their People's Committee) apart from provincial bodies."""
    commune = agency.type == Agency.Type.PEOPLES_COMMITTEE and agency.home_unit.level == "commune"
    return "commune" if commune else "provincial"


def round_candidates(*, province_id: int) -> list[Agency]:
    """Who a round may score: the People's Committees of the province's communes and wards,
    and its provincial state bodies (not the provincial committee that issues the results,
    nor the Party and Front bodies, which stand outside the state)."""
    outside = [Agency.Type.MASS_MOBILISATION, Agency.Type.FRONT]
    agencies = Agency.objects.filter(is_active=True).select_related("home_unit")
    communes = agencies.filter(
        type=Agency.Type.PEOPLES_COMMITTEE, home_unit__parent_id=province_id,
        home_unit__level="commune", home_unit__valid_until__isnull=True,
    )  # fmt: skip
    provincial = agencies.filter(home_unit_id=province_id).exclude(type__in=outside)
    provincial = provincial.exclude(type=Agency.Type.PEOPLES_COMMITTEE)
    return sorted([*communes, *provincial], key=lambda a: (unit_group(a), a.name))
