"""The citizens' home page, the officials' home page, and the unit lookup."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from danvan.accounts.access import (
    agency_ids_of,
    can_open_insights,
    can_open_staff_home,
    memberships_of,
    roles_of,
)
from danvan.accounts.roles import Role
from danvan.cases.access import ACTING_ROLES
from danvan.cases.queries import work_counts
from danvan.dialogues.access import can_organise_any
from danvan.dialogues.queries import staff_home_dialogues, staff_home_overdue
from danvan.evaluation.access import can_open_evaluation
from danvan.insights.access import insights_scope
from danvan.insights.hotspots import current_hot_issues
from danvan.insights.queries import month_figures
from danvan.places.queries import successors_in_force, unit_search
from danvan.reception.access import LOGBOOK_ROLES, OVERSIGHT_ROLES
from danvan.reception.queries import sessions_on


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@require_GET
@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    """Officials land in their workspace, citizens on their account page."""
    if can_open_staff_home(request.user):
        return redirect("portal:staff-home")
    return redirect("accounts:account")


@require_GET
@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    if not can_open_staff_home(request.user):
        raise PermissionDenied
    roles = roles_of(request.user)
    # Hot issues: of the officer's agencies, or everywhere for auditors and supervisors.
    everywhere = bool(roles & {Role.AUDITOR, Role.SUPERVISOR})
    acting = agency_ids_of(request.user, roles=ACTING_ROLES)
    agencies = None if everywhere else acting
    context = {
        "roles": sorted(roles, key=str),
        "is_head": Role.HEAD in roles,
        "is_auditor": Role.AUDITOR in roles,
        "memberships": memberships_of(request.user),
        "hot_issues": current_hot_issues(user=request.user, agency_ids=agencies),
        "sessions_today": sessions_on(agency_ids=acting, day=timezone.localdate()),
        "dialogues": staff_home_dialogues(agency_ids=acting),
        "overdue_commitments": staff_home_overdue(agency_ids=acting),
        "work_counts": work_counts(request.user) if acting else [],
        "month": _month(request.user),
        # Only the links the role can open (reception.access decides the same way).
        "logbook": bool(roles & LOGBOOK_ROLES),
        "compliance": bool(roles & (OVERSIGHT_ROLES | {Role.HEAD})),
        "evaluation": can_open_evaluation(request.user),
        "dialogue_pages": can_organise_any(request.user),
    }
    return render(request, "portal/staff_home.html", context)


def _month(user: Any) -> dict[str, Any] | None:
    """This month's on-time rate, open and overdue letters from the roll-up the province
    overview reads, for those who may open the overview; None for the others."""
    if not can_open_insights(user):
        return None
    figures, code = month_figures(insights_scope(user), timezone.localdate())
    return {"figures": figures, "period": code}


@require_GET
def units(request: HttpRequest) -> HttpResponse:
    """Find a commune or ward, old or new; an old one shows the unit that replaced it."""
    text = request.GET.get("q", "").strip()[:100]
    found = unit_search(text=text)
    successors = successors_in_force(units=found)
    results = [(unit, successors[unit.pk]) for unit in found]
    context = {"q": text, "results": results, "searched": len(text) >= 2}
    template = "portal/units.html#results" if request.htmx else "portal/units.html"  # type: ignore[attr-defined]
    return render(request, template, context)
