"""Criteria sets: what makes one sound, putting it in force, a new version as a copy, and
which set a province has in force on a day."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import CriteriaSet, Criterion, Disqualifier, ItemKind, Mapping, SetStatus, TierBand
from .scoring import Band, FlagRule, Linear, RuleError, Scheme, parse_thresholds, parse_tie_break
from .scoring import Rule as MappingRule


class SetError(Exception):
    """A set that cannot be used, or a change its state forbids; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def mapping_rule(criterion: Criterion) -> MappingRule:
    """The criterion's rule as scoring reads it; RuleError when it cannot be read."""
    if criterion.mapping == Mapping.LINEAR:
        if criterion.zero_at is None or criterion.full_at is None:
            raise RuleError("linear: both bounds are needed")
        return Linear(criterion.zero_at, criterion.full_at)
    if criterion.mapping == Mapping.THRESHOLDS:
        return parse_thresholds(criterion.thresholds)
    raise RuleError("no mapping rule")


def scheme_of(criteria_set: CriteriaSet) -> Scheme:
    bands = tuple(Band(b.code, b.label, b.min_score) for b in criteria_set.bands.all())
    return Scheme(
        bands=bands,
        bonus_cap=criteria_set.bonus_cap,
        flags=FlagRule(criteria_set.flag_tier, criteria_set.flag_count),
        tie_break=parse_tie_break(criteria_set.tie_break),
        groups=("commune", "provincial"),
    )


@dataclass(frozen=True)
class Tree:
    """A set's rows, read once: every node in reading order (a node, then its parts, each
    level by position), the parts of each node, and each node's depth (0: a criterion)."""

    nodes: list[Criterion]
    children: dict[int | None, list[Criterion]]
    depths: dict[int, int]

    @classmethod
    def of(cls, criteria_set: CriteriaSet) -> "Tree":
        rows = list(criteria_set.criteria.order_by("position", "id"))
        children: dict[int | None, list[Criterion]] = {}
        for row in rows:
            children.setdefault(row.parent_id, []).append(row)
        nodes: list[Criterion] = []
        depths: dict[int, int] = {}

        def walk(parent: int | None, depth: int) -> None:
            for node in children.get(parent, []):
                nodes.append(node)
                depths[node.pk] = depth
                walk(node.pk, depth + 1)

        walk(None, 0)
        return cls(nodes, children, depths)

    def leaves(self) -> list[Criterion]:
        return [node for node in self.nodes if not self.children.get(node.pk)]

    def depth(self, node: Criterion) -> int:
        return self.depths[node.pk]


def set_problems(criteria_set: CriteriaSet) -> list[str]:
    """What stops this set from scoring a round (empty: it can)."""
    tree = Tree.of(criteria_set)
    problems = _tree_problems(tree) + _rule_problems(tree)
    standard = sum(
        (c.max_points for c in tree.children.get(None, []) if c.kind == ItemKind.CRITERION),
        Decimal(0),
    )
    if standard <= 0:
        problems.append(_("The set has no criterion with points."))
    bands = list(criteria_set.bands.all())
    if not bands:
        problems.append(_("The set has no tier."))
    if criteria_set.flag_tier and criteria_set.flag_tier not in {b.code for b in bands}:
        problems.append(_("The tier needed for a flag is not one of the set's tiers."))
    try:
        parse_tie_break(criteria_set.tie_break)
    except RuleError:
        problems.append(_("The tie-break order names an unknown key."))
    return problems


def _tree_problems(tree: Tree) -> list[str]:
    problems = []
    for node in tree.nodes:
        below = tree.children.get(node.pk, [])
        if below and sum((c.max_points for c in below), Decimal(0)) != node.max_points:
            problems.append(
                _("%(code)s: its points (%(points)s) are not the sum of its parts.")
                % {"code": node.code, "points": number_format(node.max_points)}
            )
        if node.kind != ItemKind.CRITERION and node.parent_id is None and below:
            problems.append(
                _("%(code)s: a bonus or penalty item has no parts.") % {"code": node.code}
            )
        if tree.depth(node) > 2:
            problems.append(_("%(code)s: an indicator has no parts.") % {"code": node.code})
    return problems


def _rule_problems(tree: Tree) -> list[str]:
    problems = []
    for leaf in tree.leaves():
        if not leaf.is_computed:
            continue
        if leaf.kind != ItemKind.CRITERION:
            problems.append(_("%(code)s: bonus and penalty items are scored by the reviewer.")
                            % {"code": leaf.code})  # fmt: skip
        try:
            mapping_rule(leaf)
        except RuleError as error:
            problems.append(
                _("%(code)s: its mapping rule cannot be read (%(error)s).")
                % {"code": leaf.code, "error": error}
            )
    return problems


def set_put_in_force(*, criteria_set: CriteriaSet) -> CriteriaSet:
    """A draft becomes usable by rounds once nothing stops it from scoring one."""
    if criteria_set.status != SetStatus.DRAFT:
        raise SetError(_("Only a draft can be put in force."))
    problems = set_problems(criteria_set)
    if problems:
        raise SetError(" ".join(problems))
    CriteriaSet.objects.filter(pk=criteria_set.pk).update(status=SetStatus.IN_FORCE)
    criteria_set.status = SetStatus.IN_FORCE
    return criteria_set


def set_freeze(*, criteria_set: CriteriaSet) -> None:
    """Called when a round starts using the set: from then on the database refuses edits."""
    CriteriaSet.objects.filter(pk=criteria_set.pk).update(status=SetStatus.FROZEN)
    criteria_set.status = SetStatus.FROZEN


def set_new_version(*, criteria_set: CriteriaSet) -> CriteriaSet:
    """A draft copy of the set as its next version, to be changed and put in force."""
    latest = CriteriaSet.objects.filter(code=criteria_set.code).order_by("-version").first()
    version = (latest.version if latest else criteria_set.version) + 1
    with transaction.atomic():
        copy = CriteriaSet.objects.create(
            province=criteria_set.province, code=criteria_set.code, version=version,
            name=criteria_set.name, legal_basis=criteria_set.legal_basis,
            effective_from=criteria_set.effective_from, status=SetStatus.DRAFT,
            is_example=criteria_set.is_example, bonus_cap=criteria_set.bonus_cap,
            flag_tier=criteria_set.flag_tier, flag_count=criteria_set.flag_count,
            tie_break=criteria_set.tie_break,
        )  # fmt: skip
        _copy_rows(criteria_set, copy)
    return copy


def _copy_rows(source: CriteriaSet, target: CriteriaSet) -> None:
    TierBand.objects.bulk_create(
        TierBand(criteria_set=target, code=b.code, label=b.label, min_score=b.min_score)
        for b in source.bands.all()
    )
    Disqualifier.objects.bulk_create(
        Disqualifier(criteria_set=target, code=d.code, title=d.title)
        for d in source.disqualifiers.all()
    )
    copies: dict[int, Criterion] = {}
    for node in Tree.of(source).nodes:  # a parent comes before its parts
        original_pk = node.pk
        parent = copies[node.parent_id] if node.parent_id else None
        node.pk, node.criteria_set, node.parent = None, target, parent
        node.save()
        copies[original_pk] = node


def set_in_force(*, province_id: int, on: date, code: str | None = None) -> CriteriaSet | None:
    """The province's set in force on `on` (the latest version); with `code`, that set's
    version in force then, or its latest version if none was."""
    sets = CriteriaSet.objects.filter(province_id=province_id).exclude(status=SetStatus.DRAFT)
    if code:
        sets = CriteriaSet.objects.filter(code=code).exclude(status=SetStatus.DRAFT)
    covering = sets.filter(effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on)
    )
    chosen = covering.order_by("-effective_from", "-version").first()
    if chosen is None and code:
        chosen = sets.order_by("-version").first()
    return chosen
