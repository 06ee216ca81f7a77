"""Reading scores: each line of an assessment with its self, computed and reviewed scores,
the unit's totals, and the ranking of a round (stored once approved, provisional before).

A line's final points: the reviewer's score when there is one; otherwise the computed
points of a computed indicator, or the unit's own score of any other line; otherwise 0.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from .metrics import METRICS, Metric
from .models import (
    Assessment,
    CriteriaSet,
    Criterion,
    Evidence,
    ItemKind,
    Result,
    Round,
    ScoreEntry,
    Stage,
)
from .scoring import NOT_RANKED, Ranked, UnitScore, rank
from .sets import Tree, scheme_of

ZERO = Decimal(0)


@dataclass
class Line:
    criterion: Criterion
    depth: int
    is_leaf: bool
    latest: dict[str, ScoreEntry] = field(default_factory=dict)  # stage -> its latest entry
    evidence: list[Evidence] = field(default_factory=list)
    subtotal: Decimal = ZERO  # a node's: the sum of its leaves' final points

    @property
    def self_entry(self) -> ScoreEntry | None:
        return self.latest.get(Stage.SELF)

    @property
    def computed_entry(self) -> ScoreEntry | None:
        return self.latest.get(Stage.COMPUTED)

    @property
    def review_entry(self) -> ScoreEntry | None:
        return self.latest.get(Stage.REVIEW)

    @property
    def metric(self) -> Metric | None:
        return METRICS.get(self.criterion.metric)

    @property
    def basis(self) -> Decimal | None:
        """What the reviewer starts from: the computed points, or the unit's own score."""
        entry = self.computed_entry if self.criterion.is_computed else self.self_entry
        return entry.points if entry else None

    @property
    def final(self) -> Decimal:
        if not self.is_leaf:
            return self.subtotal
        if self.review_entry is not None:
            return self.review_entry.points
        return self.basis if self.basis is not None else ZERO


def lines_of(
    assessment: Assessment, tree: Tree | None = None, *, with_review: bool = True
) -> list[Line]:
    """Every node of the set in order, with the assessment's latest scores and evidence."""
    tree = tree or Tree.of(assessment.round.criteria_set)
    entries = assessment.scores.select_related("by").order_by("id")
    if not with_review:
        entries = entries.exclude(stage=Stage.REVIEW)
    evidence = assessment.evidence.order_by("id")
    return _lines(tree, entries, evidence)


def _lines(tree: Tree, entries: Iterable[ScoreEntry], evidence: Iterable[Evidence]) -> list[Line]:
    lines = {
        node.pk: Line(node, tree.depth(node), not tree.children.get(node.pk)) for node in tree.nodes
    }
    for entry in entries:  # in id order: the last one of a stage wins
        if entry.criterion_id in lines:
            lines[entry.criterion_id].latest[entry.stage] = entry
    for item in evidence:
        if item.criterion_id in lines:
            lines[item.criterion_id].evidence.append(item)
    _subtotals(tree, lines)
    return list(lines.values())


def _subtotals(tree: Tree, lines: dict[int, Line]) -> None:
    def total(node: Criterion) -> Decimal:
        line = lines[node.pk]
        if not line.is_leaf:
            line.subtotal = sum((total(part) for part in tree.children[node.pk]), ZERO)
        return line.final

    for root in tree.children.get(None, []):
        total(root)


def unit_score(assessment: Assessment, lines: list[Line]) -> UnitScore:
    tops = [line for line in lines if line.depth == 0]
    by_kind = {kind: sum((line.final for line in tops if line.criterion.kind == kind), ZERO)
               for kind in ItemKind.values}  # fmt: skip
    computed = sum(
        (line.final for line in lines if line.is_leaf and line.criterion.is_computed), ZERO
    )
    return UnitScore(
        code=assessment.agency.code,
        group=assessment.group,
        standard=by_kind[ItemKind.CRITERION],
        bonus=by_kind[ItemKind.BONUS],
        penalty=by_kind[ItemKind.PENALTY],
        computed=computed,
        eligible=assessment.eligible,
    )


@dataclass(frozen=True)
class Row:
    """A unit's place in a round's ranking, with what the pages and documents print."""

    assessment: Assessment
    ranked: Ranked
    tier_label: str

    @property
    def flag(self) -> str:
        return self.ranked.flag


def round_assessments(round_: Round) -> QuerySet[Assessment]:
    return round_.assessments.select_related("agency", "disqualifier", "assessor").order_by(
        "group", "agency__name"
    )


def round_ranking(round_: Round) -> list[Row]:
    """The stored results of an approved round, or the ranking of the scores as they stand."""
    if round_.is_final:
        return _stored(round_)
    tree = Tree.of(round_.criteria_set)
    assessments = list(round_assessments(round_))
    entries = ScoreEntry.objects.filter(assessment__round=round_).order_by("id")
    by_assessment: dict[int, list[ScoreEntry]] = {}
    for entry in entries:
        by_assessment.setdefault(entry.assessment_id, []).append(entry)
    pairs = [(a, unit_score(a, _lines(tree, by_assessment.get(a.pk, []), []))) for a in assessments]
    return ranked_rows(pairs, round_.criteria_set)


def ranked_rows(pairs: list[tuple[Assessment, UnitScore]], criteria_set: CriteriaSet) -> list[Row]:
    """Rank the units' scores by the set's rules; each row keeps its assessment."""
    scheme = scheme_of(criteria_set)
    labels = {band.code: band.label for band in scheme.bands}
    by_code = {a.agency.code: a for a, _score in pairs}
    ranked = rank((score for _a, score in pairs), scheme)
    return [Row(by_code[r.unit.code], r, _label(r.tier, labels)) for r in ranked]


def _label(tier: str, labels: dict[str, str]) -> str:
    if tier == NOT_RANKED:
        return "Không đủ điều kiện xếp loại"
    return labels.get(tier, "")


def _stored(round_: Round) -> list[Row]:
    results = Result.objects.filter(assessment__round=round_).select_related(
        "assessment", "assessment__agency", "assessment__disqualifier"
    )
    rows = []
    for result in results.order_by("rank"):
        a = result.assessment
        unit = UnitScore(a.agency.code, a.group, result.standard, result.bonus, result.penalty,
                         result.computed, a.eligible)  # fmt: skip
        ranked = Ranked(
            unit, result.total, result.tier, result.group_rank, result.flag, result.rank
        )
        rows.append(Row(a, ranked, result.tier_label))
    return rows
