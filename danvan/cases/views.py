"""Citizen intake and tracking; the officers' queue. Thin: access, form, service."""

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from danvan.accounts.access import agency_ids_of, can_open_staff_home
from danvan.core.phones import national
from danvan.core.text import parse_id
from danvan.core.uploads import CleanFile
from danvan.language.highlight import highlight, snippet

from . import forms, identity, services
from .access import ACTING_ROLES, citizen_cases
from .letter_form import LetterPost, citizen_draft, token_new
from .models import Case
from .queries import (
    QueueFilters,
    case_by_tracking_code,
    case_queue,
    case_search,
    case_timeline,
    deadlines_mark,
    queue_counts,
    queue_total,
)
from .submission import case_submit
from .workflow import Kind, Status

SUBMIT_PAGE = "cases/submit.html"


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    initial = {"form_token": token_new()}
    if user:
        initial.update(name=user.full_name, phone=national(user.phone), email=user.email or "")
    if request.method == "GET":
        return render(request, SUBMIT_PAGE, {"form": forms.SubmitForm(initial=initial)})
    sent = LetterPost.read(request, forms.SubmitForm, SUBMIT_PAGE, initial=initial)
    case = sent.send(partial(_citizen_submit, user, sent.form.cleaned_data))
    if isinstance(case, HttpResponse):
        return case
    return redirect("cases:track-detail", code=case.tracking_code)


def _citizen_submit(user: Any, data: dict[str, Any], files: list[CleanFile], token: str) -> Case:
    draft = citizen_draft(data, citizen=user)
    case, _created = case_submit(draft=draft, by=user, files=files, idempotency_key=f"web:{token}")
    return case


@require_GET
def track(request: HttpRequest) -> HttpResponse:
    form = forms.TrackForm(request.GET or None)
    if form.is_valid():
        case = case_by_tracking_code(form.cleaned_data["code"])
        if case:
            return redirect("cases:track-detail", code=case.tracking_code)
        form.add_error("code", _("No letter has this tracking code. Check it and try again."))
    return render(request, "cases/track.html", {"form": form}, status=404 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def track_detail(request: HttpRequest, code: str) -> HttpResponse:
    case = case_by_tracking_code(code)
    if case is None:
        raise Http404
    rate_form = forms.RateForm(request.POST or None)
    can_rate = (
        case.status in (Status.RESOLVED, Status.CLOSED)
        and case.rating is None
        and case.destroyed_at is None
    )
    if request.method == "POST" and can_rate and rate_form.is_valid():
        services.case_rate(case=case, **rate_form.cleaned_data)
        messages.success(request, _("Thank you. Your rating helps the agency do better."))
        return redirect("cases:track-detail", code=case.tracking_code)
    context = {
        "case": case,
        "events": case_timeline(case=case, public_only=True),
        "documents": identity.public_documents(case, request.user),
        "rate_form": rate_form if can_rate else None,
    }
    return render(request, "cases/track_detail.html", context)


@require_GET
@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    cases = citizen_cases(request.user).select_related("agency").order_by("-received_at")[:100]
    return render(request, "cases/my_cases.html", {"cases": cases})


@require_GET
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not can_open_staff_home(request.user):
        raise PermissionDenied
    g = request.GET
    filters = QueueFilters(
        text=g.get("q", "").strip()[:200],
        kind=g.get("kind", "") if g.get("kind") in Kind.values else "",
        status=g.get("status", "") if g.get("status") in Status.values else "",
        topic=parse_id(g.get("topic")),
        unit=parse_id(g.get("unit")),
        due_within=parse_id(g.get("due")),
        overdue=g.get("overdue") == "1",
        mine=g.get("mine") == "1",
    )
    if filters.text:
        page = case_search(user=request.user, filters=filters)
        for case in page.cases:  # segments, never HTML: the template marks them up escaped
            case.title_marked = highlight(case.title, filters.text)  # type: ignore[attr-defined]
            case.snippet = snippet(case.content, filters.text)  # type: ignore[attr-defined]
    else:
        page = case_queue(user=request.user, filters=filters, after=g.get("after"))
    deadlines_mark(page.cases)
    rows_only = bool(request.htmx)  # type: ignore[attr-defined]
    # The next page's rows alone (htmx) need neither the counts nor the total above them.
    total = None if rows_only or filters.text else queue_total(user=request.user, filters=filters)
    query = g.copy()
    query.pop("after", None)
    context = {"page": page, "filters": filters, "kinds": Kind.choices, "statuses": Status.choices,
               "query": query.urlencode(), "today": timezone.localdate(),
               "assign_form": _bulk_assign_form(request.user),
               "total": len(page.cases) if total is None else total,
               "counts": None if rows_only else queue_counts(request.user)}  # fmt: skip
    template = "cases/queue.html#rows" if rows_only else "cases/queue.html"
    return render(request, template, context)


def _bulk_assign_form(user: Any) -> forms.AssignForm | None:
    """Bulk assignment for an officer of exactly one agency (the common case)."""
    agencies = agency_ids_of(user, roles=ACTING_ROLES)
    return forms.AssignForm(agency_id=next(iter(agencies))) if len(agencies) == 1 else None
