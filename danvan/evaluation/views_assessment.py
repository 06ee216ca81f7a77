"""An assessment's page: the unit self-assesses line by line with evidence, the supervisor
reviews line by line with reasons and decides eligibility. Each line is its own small form
(no JavaScript needed); a refused one comes back on the page with its message."""

from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from danvan.accounts.models import User
from danvan.core.downloads import file_response
from danvan.core.storage import FORM_MESSAGE, StorageUnavailable
from danvan.core.uploads import form_files

from . import access, queries, services
from .forms import AssessorForm, EligibilityForm, ReviewScoreForm, SelfScoreForm
from .models import Assessment, Criterion, Evidence, RoundStatus
from .results import Line
from .services import EvaluationError, SelfScore


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _line_url(assessment: Assessment, criterion_id: int) -> str:
    return f"{reverse('evaluation:assessment', args=[assessment.pk])}#line-{criterion_id}"


def _criterion(assessment: Assessment, criterion_id: int) -> Criterion:
    return get_object_or_404(
        Criterion, pk=criterion_id, criteria_set_id=assessment.round.criteria_set_id
    )


@require_GET
@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk)
    return _render(request, assessment)


@dataclass(frozen=True)
class Item:
    """A line as the page shows it, with the forms the reader may use on it."""

    line: Line
    value: str
    rule: str
    self_form: SelfScoreForm | None
    review_form: ReviewScoreForm | None


def _items(page: queries.AssessmentPage, can_self: bool, can_review: bool,
           bound: dict[str, Any]) -> list[Item]:  # fmt: skip
    items = []
    for line in page.lines:
        pk, refused = line.criterion.pk, bound.get("line") == line.criterion.pk
        self_form = review_form = None
        if line.is_leaf and can_self and not line.criterion.is_computed:
            self_form = bound["form"] if refused and not bound.get("review") else SelfScoreForm(
                criterion=line.criterion, auto_id=f"id_s{pk}_%s",
                initial=_initial(line.self_entry, "note"))  # fmt: skip
        if line.is_leaf and can_review:
            review_form = bound["form"] if refused and bound.get("review") else ReviewScoreForm(
                criterion=line.criterion, auto_id=f"id_r{pk}_%s",
                initial={"points": line.review_entry.points if line.review_entry else line.basis})  # fmt: skip
        value = line.computed_entry.value if line.computed_entry else None
        items.append(Item(line, queries.value_text(line.metric, value),
                          queries.rule_text(line.criterion), self_form, review_form))  # fmt: skip
    return items


def _initial(entry: Any, text: str) -> dict[str, Any]:
    return {"points": entry.points, text: getattr(entry, text)} if entry else {}


def _render(request: HttpRequest, assessment: Assessment, *, status: int = 200,
            bound: dict[str, Any] | None = None) -> HttpResponse:  # fmt: skip
    """The page; `bound` carries a refused form back to its line (`line`, `form`, `review`),
    or a message (`error`), or the eligibility form."""
    user, round_, bound = request.user, assessment.round, bound or {}
    can_self = access.self_assessing_now(user, assessment)
    can_review = access.reviewing_now(user, assessment)
    sees_review = access.sees_results(user, assessment)
    page = queries.assessment_page(assessment, with_review=sees_review)
    for line in page.lines:
        for item in line.evidence:  # a link is a link only for who may open its page
            item.opens = bool(item.link) and queries.link_opens(user, item.link)  # type: ignore[attr-defined]
    context = {
        "page": page, "assessment": assessment, "round": round_,
        "items": _items(page, can_self, can_review, bound),
        "can_self": can_self, "can_review": can_review, "sees_review": sees_review,
        "oversees": access.oversees(user, round_),
        "sees_ranking": access.can_see_ranking(user, round_),
        "can_refresh": not round_.is_final and (access.is_head(user, assessment)
                                                 or access.supervises(user, round_)),
        "names_assessor": access.is_head(user, assessment)
        and round_.status == RoundStatus.SELF_ASSESSMENT,
        "assessor_form": AssessorForm(agency_id=assessment.agency_id,
                                      initial={"assessor": assessment.assessor_id}),
        "eligibility_form": bound.get("eligibility") or EligibilityForm(
            criteria_set=round_.criteria_set,
            initial={"eligible": "yes" if assessment.eligible else "no",
                     "reason": assessment.ineligible_reason,
                     "disqualifier": assessment.disqualifier_id}),
        "error": bound.get("error"),
    }  # fmt: skip
    return render(request, "evaluation/assessment.html", context, status=status)


@require_POST
@login_required
def self_score(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk)
    access.require_self_assess(request.user, assessment)
    criterion = _criterion(assessment, criterion_id)
    form = SelfScoreForm(
        request.POST, request.FILES, criterion=criterion, auto_id=f"id_s{criterion.pk}_%s"
    )
    files = (
        form_files(request.FILES.getlist("evidence"), form, "evidence") if form.is_valid() else None
    )
    if files is not None:
        score = SelfScore(points=form.cleaned_data["points"], note=form.cleaned_data["note"],
                          files=files, links=form.cleaned_data["links"])  # fmt: skip
        try:
            services.self_score(assessment=assessment, criterion=criterion, score=score,
                                by=_user(request))  # fmt: skip
        except EvaluationError as error:
            form.add_error(None, error.message)
        except StorageUnavailable:
            form.add_error(None, FORM_MESSAGE)
            return _render(request, assessment, status=503,
                           bound={"line": criterion.pk, "form": form})  # fmt: skip
        else:
            messages.success(request, _("Saved."))
            return redirect(_line_url(assessment, criterion.pk))
    return _render(request, assessment, status=422, bound={"line": criterion.pk, "form": form})


@require_POST
@login_required
def review_score(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk)
    access.require_reviewer(request.user, assessment)
    criterion = _criterion(assessment, criterion_id)
    form = ReviewScoreForm(request.POST, criterion=criterion, auto_id=f"id_r{criterion.pk}_%s")
    if form.is_valid():
        try:
            services.review_score(assessment=assessment, criterion=criterion,
                                  points=form.cleaned_data["points"],
                                  reason=form.cleaned_data["reason"], by=_user(request))  # fmt: skip
        except EvaluationError as error:
            form.add_error("reason", error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect(_line_url(assessment, criterion.pk))
    return _render(request, assessment, status=422,
                   bound={"line": criterion.pk, "form": form, "review": True})  # fmt: skip


@require_POST
@login_required
def assessor(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk)
    access.require_head(request.user, assessment)
    form = AssessorForm(request.POST, agency_id=assessment.agency_id)
    if not form.is_valid():
        return _render(
            request, assessment, status=422, bound={"error": _("Choose an officer of the unit.")}
        )
    services.assessor_name(assessment=assessment, assessor=form.cleaned_data["assessor"],
                           by=_user(request))  # fmt: skip
    messages.success(request, _("Saved."))
    return redirect("evaluation:assessment", pk=assessment.pk)


@require_POST
@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk)
    access.require_self_assess(request.user, assessment)
    try:
        services.assessment_submit(assessment=assessment, by=_user(request))
    except EvaluationError as error:
        return _render(request, assessment, status=422, bound={"error": error.message})
    messages.success(request, _("The self-assessment was sent for review."))
    return redirect("evaluation:assessment", pk=assessment.pk)


@require_POST
@login_required
def eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk)
    access.require_reviewer(request.user, assessment)
    form = EligibilityForm(request.POST, criteria_set=assessment.round.criteria_set)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.eligibility_set(assessment=assessment, eligible=data["eligible"],
                                     reason=data["reason"], disqualifier=data["disqualifier"],
                                     by=_user(request))  # fmt: skip
        except EvaluationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("evaluation:assessment", pk=assessment.pk)
    return _render(request, assessment, status=422, bound={"eligibility": form})


@require_POST
@login_required
def review_done(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk)
    access.require_reviewer(request.user, assessment)
    try:
        services.assessment_review_done(assessment=assessment, by=_user(request))
    except EvaluationError as error:
        return _render(request, assessment, status=422, bound={"error": error.message})
    messages.success(request, _("The review of this unit is finished."))
    return redirect("evaluation:round", pk=assessment.round_id)


@require_POST
@login_required
def figures(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's head or the supervisor reads the unit's figures again."""
    assessment = access.get_assessment_for_user(request.user, pk)
    if not (
        access.is_head(request.user, assessment)
        or access.supervises(request.user, assessment.round)
    ):
        access.require_reviewer(request.user, assessment)
    try:
        services.round_figures(round_=assessment.round, by=_user(request), assessment=assessment)
    except EvaluationError as error:
        messages.error(request, error.message)
    return redirect("evaluation:assessment", pk=assessment.pk)


@require_GET
@login_required
def evidence_file(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    """An evidence file, as a download (`core.downloads`): never rendered in the page."""
    assessment = access.get_assessment_for_user(request.user, pk)
    item = Evidence.objects.filter(pk=evidence_id, assessment=assessment).exclude(sha256="").first()
    if item is None:
        raise Http404
    with item.file.open("rb") as handle:
        data = handle.read()
    return file_response(data, name=item.name, content_type=item.content_type)
