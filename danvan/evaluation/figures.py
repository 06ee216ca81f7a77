"""Computed indicators: the metrics of every unit read at once, mapped to points by the
set's rules; stored as append-only `computed` scores (only when they changed), or, for a
ranking without a round, used as they are."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .metrics import Values, metrics_for
from .models import Assessment, Criterion, Round, ScoreEntry, Stage
from .scoring import mapped_points
from .sets import Tree, mapping_rule


@dataclass(frozen=True)
class Computed:
    points: Decimal
    value: Decimal | None


def computed_leaves(tree: Tree) -> list[Criterion]:
    return [leaf for leaf in tree.leaves() if leaf.is_computed]


def compute(
    leaves: Sequence[Criterion], agency_ids: Sequence[int], start: date, end: date
) -> dict[int, dict[int, Computed]]:
    """agency id -> criterion id -> points and the metric's value, for start..end."""
    codes = {leaf.metric for leaf in leaves}
    values = metrics_for(agency_ids=agency_ids, start=start, end=end, codes=codes) if codes else {}
    return {pk: _points(leaves, values.get(pk, {})) for pk in agency_ids}


def _points(leaves: Sequence[Criterion], values: Values) -> dict[int, Computed]:
    out = {}
    for leaf in leaves:
        value = values.get(leaf.metric)
        no_data = leaf.max_points if leaf.no_data_points is None else leaf.no_data_points
        earned = mapped_points(mapping_rule(leaf), value, leaf.max_points, no_data=no_data)
        out[leaf.pk] = Computed(earned, value)
    return out


def figures_refresh(*, round_: Round, assessments: Sequence[Assessment] | None = None) -> int:
    """Read the metrics again and store the computed scores that changed; returns how many."""
    assessments = list(assessments if assessments is not None else round_.assessments.all())
    leaves = computed_leaves(Tree.of(round_.criteria_set))
    if not assessments or not leaves:
        return 0
    by_agency = compute(leaves, [a.agency_id for a in assessments], round_.period_start,
                        round_.period_end)  # fmt: skip
    latest = _latest_computed(assessments)
    now = timezone.now()
    new = [
        ScoreEntry(
            assessment=a,
            criterion_id=pk,
            stage=Stage.COMPUTED,
            points=c.points,
            value=c.value,
            at=now,
        )
        for a in assessments
        for pk, c in by_agency[a.agency_id].items()
        if latest.get((a.pk, pk)) != (c.points, c.value)
    ]
    with transaction.atomic():
        ScoreEntry.objects.bulk_create(new)
        Assessment.objects.filter(pk__in=[a.pk for a in assessments]).update(computed_at=now)
    return len(new)


def _latest_computed(
    assessments: Sequence[Assessment],
) -> dict[tuple[int, int], tuple[Decimal, Decimal | None]]:
    entries = ScoreEntry.objects.filter(
        assessment__in=[a.pk for a in assessments], stage=Stage.COMPUTED
    ).order_by("id")
    return {(e.assessment_id, e.criterion_id): (e.points, e.value) for e in entries}
