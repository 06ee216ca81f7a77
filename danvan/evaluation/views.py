"""Round pages: the list, opening a round, the round's units, its steps, the ranking and
its files (results table XLSX, decision DOCX). Thin: access, form, service, render."""

from collections.abc import Callable
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts.models import User
from danvan.core.downloads import DOCX, XLSX, file_response

from . import access, queries, services
from .documents import decision_docx, results_xlsx
from .forms import RoundForm
from .models import RoundStatus
from .results import Row
from .services import EvaluationError, RoundPlan
from .units import round_candidates


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    access.require_evaluation(request.user)
    rounds = queries.rounds_of(request.user)
    context = {
        "rounds": [(r, access.oversees(request.user, r), access.can_see_ranking(request.user, r),
                    list(queries.own_assessments(request.user, r))) for r in rounds],
        "can_open": access.can_open_round(request.user),
    }  # fmt: skip
    return render(request, "evaluation/index.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    provinces = access.supervised_province_ids(request.user)
    if not provinces:
        raise PermissionDenied
    candidates = [a for p in sorted(provinces) for a in round_candidates(province_id=p)]
    form = RoundForm(request.POST or None, province_ids=provinces, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = RoundPlan(year=data["year"], criteria_set=data["criteria_set"],
                         agencies=list(data["agencies"]), self_due=data["self_due"],
                         review_due=data["review_due"])  # fmt: skip
        try:
            round_ = services.round_open(plan=plan, by=_user(request))
        except EvaluationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The round is open; the units can self-assess."))
            return redirect("evaluation:round", pk=round_.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "evaluation/round_new.html", {"form": form}, status=status)


@require_GET
@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_round_for_oversight(request.user, pk)
    context = {
        "page": queries.round_page(round_),
        "supervises": access.supervises(request.user, round_),
        "statuses": RoundStatus,
    }
    return render(request, "evaluation/round.html", context)


STEPS: dict[str, tuple[Callable[..., object], Promise]] = {
    "start-review": (services.round_start_review,
                     gettext_lazy("Self-assessment is closed; the review can start.")),
    "finish-reviews": (services.round_finish_reviews,
                       gettext_lazy("The review of every unit left is finished.")),
    "approve": (services.round_approve, gettext_lazy("The results are approved and frozen.")),
    "publish": (services.round_publish,
                gettext_lazy("The results are published to the units.")),
    "figures": (services.round_figures, gettext_lazy("The figures were read again.")),
}  # fmt: skip


@require_POST
@login_required
def round_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    round_ = access.get_round_for_supervisor(request.user, pk)
    if step not in STEPS:
        raise PermissionDenied
    service, done = STEPS[step]
    try:
        service(round_=round_, by=_user(request))
    except EvaluationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, str(done))
    return redirect("evaluation:round", pk=round_.pk)


@require_GET
@login_required
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_round_for_ranking(request.user, pk)
    page = queries.round_page(round_)
    context = {"page": page, "oversees": access.oversees(request.user, round_),
               "groups": _grouped(page.rows),
               "tie_break": queries.tie_break_text(round_.criteria_set)}  # fmt: skip
    return render(request, "evaluation/ranking.html", context)


def _grouped(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    groups: dict[str, list[Row]] = {}
    for row in sorted(rows, key=lambda r: (r.ranked.group_rank is None, r.ranked.group_rank or 0)):
        groups.setdefault(row.assessment.get_group_display(), []).append(row)
    return list(groups.items())


@require_GET
@login_required
def ranking_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_round_for_ranking(request.user, pk)
    return file_response(
        results_xlsx(round_), name=f"ket-qua-danh-gia-{round_.year}.xlsx", content_type=XLSX
    )


@require_GET
@login_required
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = access.get_round_for_oversight(request.user, pk)
    name = f"quyet-dinh-cong-bo-ket-qua-{round_.year}.docx"
    return file_response(decision_docx(round_), name=name, content_type=DOCX)
