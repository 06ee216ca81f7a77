"""Every write of a round: open it, self-assess, submit, review with reasons, eligibility,
approve (results stored and frozen), publish. Each is one transaction with its event."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from danvan.accounts.models import User
from danvan.core.storage import storing
from danvan.core.uploads import CleanFile
from danvan.places.models import Agency
from danvan.rulebook.store import current_calendar

from .figures import figures_refresh
from .models import (
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    Criterion,
    Disqualifier,
    Evidence,
    Result,
    Round,
    RoundEvent,
    RoundStatus,
    ScoreEntry,
    SetStatus,
    Stage,
)
from .results import lines_of, round_ranking
from .sets import set_freeze, set_problems
from .units import unit_group


class EvaluationError(Exception):
    """A step the round's state or the law of the set forbids; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _event(round_: Round, action: str, by: User | None, assessment: Assessment | None = None,
           **data: Any) -> None:  # fmt: skip
    RoundEvent.objects.create(round=round_, assessment=assessment, action=action, by=by,
                              data=data)  # fmt: skip


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise EvaluationError(message)


# Opening ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundPlan:
    year: int
    criteria_set: CriteriaSet
    agencies: Sequence[Agency]
    self_due: date
    review_due: date
    period_start: date | None = None
    period_end: date | None = None


def round_open(*, plan: RoundPlan, by: User) -> Round:
    """Open the year's round: an assessment per unit, the set frozen, figures computed."""
    _check_plan(plan)
    start = plan.period_start or date(plan.year, 1, 1)
    end = plan.period_end or date(plan.year, 12, 31)
    try:
        with transaction.atomic():
            round_ = Round.objects.create(
                province=plan.criteria_set.province, year=plan.year,
                criteria_set=plan.criteria_set, period_start=start, period_end=end,
                self_due=plan.self_due, review_due=plan.review_due, opened_by=by,
            )  # fmt: skip
            Assessment.objects.bulk_create(
                Assessment(round=round_, agency=agency, group=unit_group(agency))
                for agency in plan.agencies
            )
            set_freeze(criteria_set=plan.criteria_set)
            _event(round_, "open", by, units=len(plan.agencies))
            figures_refresh(round_=round_)
    except IntegrityError as error:
        raise EvaluationError(_("The province already has a round for %(year)s.")
                              % {"year": plan.year}) from error  # fmt: skip
    return round_


def _check_plan(plan: RoundPlan) -> None:
    _require(plan.criteria_set.status != SetStatus.DRAFT,
             _("A draft criteria set cannot be used: put it in force first."))  # fmt: skip
    problems = set_problems(plan.criteria_set)
    _require(not problems, " ".join(problems))
    _require(bool(plan.agencies), _("Choose at least one unit."))
    today = timezone.localdate()
    _require(plan.self_due >= today, _("The self-assessment deadline has passed."))
    _require(plan.review_due > plan.self_due,
             _("The review deadline must come after the self-assessment deadline."))  # fmt: skip
    calendar = current_calendar()
    for day in (plan.self_due, plan.review_due):
        _require(calendar.is_working_day(day),
                 _("%(day)s is not a working day; the next one is %(next)s.")
                 % {"day": f"{day:%d/%m/%Y}",
                    "next": f"{calendar.next_working_day(day):%d/%m/%Y}"})  # fmt: skip


# Self-assessment ----------------------------------------------------------------------


def _leaf(assessment: Assessment, criterion: Criterion) -> None:
    _require(criterion.criteria_set_id == assessment.round.criteria_set_id
             and not criterion.children.exists(), _("This line is not scored."))  # fmt: skip


def _points_in_range(criterion: Criterion, points: Decimal) -> None:
    _require(Decimal(0) <= points <= criterion.max_points,
             _("Give between 0 and %(max)s points.") % {"max": criterion.max_points})  # fmt: skip


def assessor_name(*, assessment: Assessment, assessor: User | None, by: User) -> Assessment:
    """The head names an officer of the unit to self-assess (None: the head alone)."""
    with transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(assessor=assessor)
        _event(assessment.round, "assessor", by, assessment,
               assessor=assessor.pk if assessor else None)  # fmt: skip
    assessment.assessor = assessor
    return assessment


@dataclass(frozen=True)
class SelfScore:
    points: Decimal
    note: str = ""
    files: Sequence[CleanFile] = ()
    links: Sequence[str] = ()


def self_score(
    *, assessment: Assessment, criterion: Criterion, score: SelfScore, by: User | None
) -> ScoreEntry:
    """The unit's score of a line, with its note and evidence. Computed lines are not the
    unit's to score; a submitted assessment is not changed any more. `by` None: entered
    from the unit's paper report."""
    _require(assessment.round.status == RoundStatus.SELF_ASSESSMENT,
             _("Self-assessment is closed for this round."))  # fmt: skip
    _require(assessment.status == AssessmentStatus.DRAFT,
             _("The self-assessment was already submitted."))  # fmt: skip
    _leaf(assessment, criterion)
    _require(not criterion.is_computed,
             _("This indicator is computed from the platform's data."))  # fmt: skip
    _points_in_range(criterion, score.points)
    with transaction.atomic():
        entry = ScoreEntry.objects.create(assessment=assessment, criterion=criterion,
                                          stage=Stage.SELF, points=score.points,
                                          note=score.note.strip(), by=by)  # fmt: skip
        evidence_add(assessment=assessment, criterion=criterion, by=by, files=score.files,
                     links=score.links)  # fmt: skip
    return entry


def evidence_add(*, assessment: Assessment, criterion: Criterion, by: User | None,
                 files: Sequence[CleanFile], links: Sequence[str]) -> list[Evidence]:  # fmt: skip
    saved = [Evidence.objects.create(assessment=assessment, criterion=criterion, link=link,
                                     by=by) for link in links]  # fmt: skip
    for clean in files:
        item = Evidence(assessment=assessment, criterion=criterion, name=clean.name,
                        content_type=clean.content_type, size=clean.size, sha256=clean.sha256,
                        by=by)  # fmt: skip
        stored = f"{timezone.now():%Y%m%d%H%M%S}-{clean.sha256[:16]}{PurePath(clean.name).suffix}"
        with storing(f"evidence {clean.name}"):
            item.file.save(stored, ContentFile(clean.data), save=True)
        saved.append(item)
    return saved


def assessment_submit(*, assessment: Assessment, by: User | None) -> Assessment:
    """Send the self-assessment for review: every line the unit scores must have a score."""
    _require(assessment.round.status == RoundStatus.SELF_ASSESSMENT,
             _("Self-assessment is closed for this round."))  # fmt: skip
    _require(assessment.status == AssessmentStatus.DRAFT,
             _("The self-assessment was already submitted."))  # fmt: skip
    lines = lines_of(assessment)
    missing = [line.criterion.code for line in lines if line.is_leaf
               and not line.criterion.is_computed and line.criterion.kind == "criterion"
               and line.self_entry is None]  # fmt: skip
    _require(not missing, _("Score every line first: %(codes)s.") % {"codes": ", ".join(missing)})
    with transaction.atomic():
        moved = Assessment.objects.filter(pk=assessment.pk, status=AssessmentStatus.DRAFT).update(
            status=AssessmentStatus.SUBMITTED, submitted_at=timezone.now()
        )
        _require(moved == 1, _("The self-assessment was already submitted."))
        _event(assessment.round, "submit", by, assessment)
        figures_refresh(round_=assessment.round, assessments=[assessment])
    assessment.refresh_from_db()
    return assessment


# Review -------------------------------------------------------------------------------


def _reviewing(assessment: Assessment) -> None:
    _require(assessment.round.status == RoundStatus.REVIEW,
             _("The round is not being reviewed."))  # fmt: skip
    _require(assessment.status != AssessmentStatus.REVIEWED,
             _("The review of this unit is finished."))  # fmt: skip


def round_start_review(*, round_: Round, by: User) -> Round:
    """Close self-assessment; what a unit did not submit is reviewed as it stands."""
    with transaction.atomic():
        moved = Round.objects.filter(pk=round_.pk, status=RoundStatus.SELF_ASSESSMENT).update(
            status=RoundStatus.REVIEW
        )
        _require(moved == 1, _("The round is not in self-assessment."))
        _event(round_, "start_review", by)
        figures_refresh(round_=round_)
    round_.refresh_from_db()
    return round_


def review_score(*, assessment: Assessment, criterion: Criterion, points: Decimal,
                 reason: str, by: User) -> ScoreEntry:  # fmt: skip
    """The reviewer's score of a line; a change from the unit's (or computed) score needs a
    reason, written down with it."""
    _reviewing(assessment)
    _leaf(assessment, criterion)
    _points_in_range(criterion, points)
    line = next(x for x in lines_of(assessment) if x.criterion.pk == criterion.pk)
    basis = line.basis if line.basis is not None else Decimal(0)
    _require(points == basis or bool(reason.strip()),
             _("Give the reason for changing %(from)s to %(to)s points.")
             % {"from": number_format(basis), "to": number_format(points)})  # fmt: skip
    return ScoreEntry.objects.create(assessment=assessment, criterion=criterion,
                                     stage=Stage.REVIEW, points=points, reason=reason.strip(),
                                     by=by)  # fmt: skip


def eligibility_set(*, assessment: Assessment, eligible: bool, reason: str = "",
                    disqualifier: Disqualifier | None = None, by: User) -> Assessment:  # fmt: skip
    """Mark a unit not eligible for a tier (with the reason and, if any, the set's
    condition), or eligible again."""
    _reviewing(assessment)
    reason = "" if eligible else reason.strip()
    _require(eligible or bool(reason), _("Give the reason why the unit is not eligible."))
    _require(disqualifier is None or disqualifier.criteria_set_id == assessment.round.criteria_set_id,
             _("This condition is not in the round's criteria set."))  # fmt: skip
    changes = {"eligible": eligible, "ineligible_reason": reason,
               "disqualifier": None if eligible else disqualifier}  # fmt: skip
    with transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(**changes)
        _event(assessment.round, "eligibility", by, assessment, eligible=eligible, reason=reason,
               disqualifier=disqualifier.code if disqualifier and not eligible else "")  # fmt: skip
    assessment.refresh_from_db()
    return assessment


def assessment_review_done(*, assessment: Assessment, by: User) -> Assessment:
    _reviewing(assessment)
    with transaction.atomic():
        Assessment.objects.filter(pk=assessment.pk).update(
            status=AssessmentStatus.REVIEWED, reviewed_at=timezone.now()
        )
        _event(assessment.round, "reviewed", by, assessment)
    assessment.refresh_from_db()
    return assessment


def round_finish_reviews(*, round_: Round, by: User) -> int:
    """Finish the review of every unit not finished yet, their scores as they stand (the
    units the reviewer had nothing to change); returns how many."""
    _require(round_.status == RoundStatus.REVIEW, _("The round is not being reviewed."))
    left = list(round_.assessments.exclude(status=AssessmentStatus.REVIEWED))
    with transaction.atomic():
        Assessment.objects.filter(pk__in=[a.pk for a in left]).update(
            status=AssessmentStatus.REVIEWED, reviewed_at=timezone.now()
        )
        RoundEvent.objects.bulk_create(
            RoundEvent(round=round_, assessment=a, action="reviewed", by=by) for a in left
        )
    return len(left)


# Approval and publication -----------------------------------------------------------


def round_approve(*, round_: Round, by: User) -> Round:
    """Final figures read once more, results stored with ranks and flags; from then on the
    database takes no more scores for the round."""
    _require(round_.status == RoundStatus.REVIEW, _("The round is not being reviewed."))
    waiting = round_.assessments.exclude(status=AssessmentStatus.REVIEWED).count()
    _require(waiting == 0, _("%(n)s units still wait for their review.") % {"n": waiting})
    with transaction.atomic():
        figures_refresh(round_=round_)
        Result.objects.bulk_create(
            Result(assessment=row.assessment, standard=row.ranked.unit.standard,
                   bonus=row.ranked.unit.bonus, penalty=row.ranked.unit.penalty,
                   computed=row.ranked.unit.computed, total=row.ranked.total,
                   tier=row.ranked.tier, tier_label=row.tier_label,
                   group_rank=row.ranked.group_rank, rank=row.ranked.rank, flag=row.flag)
            for row in round_ranking(round_)
        )  # fmt: skip
        moved = Round.objects.filter(pk=round_.pk, status=RoundStatus.REVIEW).update(
            status=RoundStatus.APPROVED, approved_at=timezone.now()
        )
        _require(moved == 1, _("The round is not being reviewed."))
        _event(round_, "approve", by)
    round_.refresh_from_db()
    return round_


def round_publish(*, round_: Round, by: User) -> Round:
    """The approved results go to the units: each sees its scores and the ranking."""
    with transaction.atomic():
        moved = Round.objects.filter(pk=round_.pk, status=RoundStatus.APPROVED).update(
            status=RoundStatus.PUBLISHED, published_at=timezone.now()
        )
        _require(moved == 1, _("Only approved results can be published."))
        _event(round_, "publish", by)
    round_.refresh_from_db()
    return round_


def round_figures(*, round_: Round, by: User, assessment: Assessment | None = None) -> int:
    """Read the platform's figures again (all units, or one) while the round is open."""
    _require(not round_.is_final, _("The results are final."))
    with transaction.atomic():
        changed = figures_refresh(round_=round_,
                                  assessments=[assessment] if assessment else None)  # fmt: skip
        _event(round_, "figures", by, assessment, changed=changed)
    return changed
