"""A provisional ranking without a round: what the platform's data alone earns each unit
a round would score, ranked by the set's rules (the other lines count 0)."""

from datetime import date
from decimal import Decimal

from .figures import compute, computed_leaves
from .models import Assessment, CriteriaSet
from .results import Row, ranked_rows
from .scoring import UnitScore
from .sets import Tree
from .units import round_candidates, unit_group


def provisional_ranking(*, criteria_set: CriteriaSet, year: int) -> list[Row]:
    agencies = round_candidates(province_id=criteria_set.province_id)
    leaves = computed_leaves(Tree.of(criteria_set))
    points = compute(leaves, [a.pk for a in agencies], date(year, 1, 1), date(year, 12, 31))
    pairs = []
    for agency in agencies:
        earned = sum((c.points for c in points[agency.pk].values()), Decimal(0))
        assessment = Assessment(agency=agency, group=unit_group(agency))
        score = UnitScore(agency.code, assessment.group, earned, Decimal(0), Decimal(0), earned)
        pairs.append((assessment, score))
    return ranked_rows(pairs, criteria_set)
