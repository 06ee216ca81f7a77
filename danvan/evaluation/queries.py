"""Reads for the evaluation pages: rounds a user sees, a round's units with their totals,
an assessment's lines, and whether an evidence link opens for the one reading it."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import Resolver404, resolve
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.access import AnyUser
from danvan.cases.access import visible_cases
from danvan.dialogues.access import owned_commitments

from .access import unit_agency_ids, visible_rounds
from .metrics import Metric
from .models import Assessment, AssessmentStatus, CriteriaSet, Criterion, Mapping, Round
from .results import Line, Row, lines_of, round_ranking, unit_score
from .scoring import UnitScore, parse_tie_break
from .sets import Tree


def rounds_of(user: AnyUser) -> list[Round]:
    rounds = visible_rounds(user).select_related("criteria_set", "province")
    return list(
        rounds.annotate(
            units=Count("assessments", distinct=True),
            submitted=Count(
                "assessments", distinct=True,
                filter=~Q(assessments__status=AssessmentStatus.DRAFT),
            ),
        ).order_by("-year", "-id")
    )  # fmt: skip


def own_assessments(user: AnyUser, round_: Round) -> QuerySet[Assessment]:
    return round_.assessments.filter(agency_id__in=unit_agency_ids(user)).select_related("agency")


@dataclass(frozen=True)
class RoundPage:
    round: Round
    rows: list[Row]  # every unit, best first (provisional until approved)
    by_status: list[tuple[str, int]]  # (status label, units), in the workflow's order


def round_page(round_: Round) -> RoundPage:
    rows = round_ranking(round_)
    counts = dict.fromkeys(AssessmentStatus, 0)
    for row in rows:
        counts[AssessmentStatus(row.assessment.status)] += 1
    return RoundPage(round_, rows, [(str(s.label), n) for s, n in counts.items() if n])


@dataclass(frozen=True)
class AssessmentPage:
    assessment: Assessment
    lines: list[Line]
    score: UnitScore


def assessment_page(assessment: Assessment, *, with_review: bool) -> AssessmentPage:
    """Its lines and totals; without the reviewer's scores for a unit before publication."""
    lines = lines_of(assessment, Tree.of(assessment.round.criteria_set), with_review=with_review)
    return AssessmentPage(assessment, lines, unit_score(assessment, lines))


def rule_text(criterion: Criterion) -> str:
    """How a computed indicator turns its metric into points, in words."""
    if criterion.mapping == Mapping.LINEAR:
        return _("No points at %(zero)s, every point at %(full)s, in a straight line between.") % {
            "zero": _number(criterion.zero_at),
            "full": _number(criterion.full_at),
        }
    if criterion.mapping == Mapping.THRESHOLDS:
        return _("By thresholds (value: points): %(steps)s.") % {"steps": criterion.thresholds}
    return ""


def value_text(metric: Metric | None, value: Decimal | None) -> str:
    if metric is None:
        return ""
    if value is None:
        return _("nothing to measure")
    return f"{_number(value)}{' %' if metric.unit == '%' else metric.unit}"


def _number(value: Decimal | None) -> str:
    return number_format(value.normalize()) if value is not None else ""


# Evidence links: a link is shown as a link only to someone who may open the page.
_PUBLIC = {"dialogues:list", "dialogues:detail", "dialogues:accountability",
           "dialogues:unit-accountability", "reception:schedule", "portal:home",
           "portal:units"}  # fmt: skip
_CHECKS: dict[str, Callable[[AnyUser, dict[str, Any]], bool]] = {
    "cases:detail": lambda user, kw: visible_cases(user).filter(pk=kw["pk"]).exists(),
    "dialogues:commitment": lambda user, kw: owned_commitments(user).filter(pk=kw["pk"]).exists(),
}


def link_opens(user: AnyUser, path: str) -> bool:
    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        return False
    if match.view_name in _PUBLIC:
        return True
    check = _CHECKS.get(match.view_name)
    return check is not None and check(user, match.kwargs)


TIE_BREAK_WORDS = {
    "fewer_penalty": gettext_lazy("fewer penalty points"),
    "higher_computed": gettext_lazy("more points computed from the platform's data"),
    "higher_standard": gettext_lazy("more points on the criteria"),
    "higher_bonus": gettext_lazy("more bonus points"),
    "code": gettext_lazy("the unit's code in alphabetical order"),
}


def tie_break_text(criteria_set: CriteriaSet) -> str:
    """The set's tie-break order in words: "fewer penalty points, then ..."."""
    keys = parse_tie_break(criteria_set.tie_break)
    return _(", then ").join(str(TIE_BREAK_WORDS[key]) for key in keys)
