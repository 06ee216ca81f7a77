"""Citizen intake and tracking; the officers' queue and case page. Thin: access, form, service."""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts.access import agency_ids_of, can_open_staff_home
from danvan.core.storage import ACTION_MESSAGE, StorageUnavailable
from danvan.core.text import parse_id
from danvan.core.uploads import CleanFile
from danvan.language.highlight import highlight, snippet

from . import forms, identity, services
from .access import ACTING_ROLES, can_act, citizen_cases, get_case_for_user
from .duplicates import duplicate_candidates
from .letter_form import LetterPost, citizen_draft, token_new
from .models import Case
from .page import case_attachments, related_cases
from .queries import QueueFilters, case_by_tracking_code, case_queue, case_search, case_timeline
from .submission import case_submit
from .workflow import TRANSITIONS, Action, Kind, Status, allowed_actions

SUBMIT_PAGE = "cases/submit.html"


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    initial = {"form_token": token_new()}
    if user:
        initial.update(name=user.full_name, phone=user.phone or "", email=user.email or "")
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
    query = g.copy()
    query.pop("after", None)
    context = {"page": page, "filters": filters, "kinds": Kind.choices, "statuses": Status.choices,
               "query": query.urlencode(), "today": timezone.localdate(),
               "assign_form": _bulk_assign_form(request.user)}  # fmt: skip
    template = "cases/queue.html#rows" if request.htmx else "cases/queue.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _bulk_assign_form(user: Any) -> forms.AssignForm | None:
    """Bulk assignment for an officer of exactly one agency (the common case)."""
    agencies = agency_ids_of(user, roles=ACTING_ROLES)
    return forms.AssignForm(agency_id=next(iter(agencies))) if len(agencies) == 1 else None


@require_GET
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, get_case_for_user(request.user, pk))


def _action_forms(
    case: Any, actions: list[Action], bound: dict[str, Any] | None = None
) -> list[tuple[str, str, Any]]:
    """(action, label, form) for each step the officer can take now."""
    bound = bound or {}
    return [
        (a.value, str(a.label), bound.get(a.value) or ACTIONS[a][0](initial=_initial(case, a)))
        for a in actions
        if a in ACTIONS
    ]


def _initial(case: Any, action: Action) -> dict[str, Any]:
    if action == Action.CLASSIFY:  # the suggestion pre-fills what the citizen left open
        return {"kind": case.kind, "topic": case.topic_id or case.suggested_topic_id}
    return {}


ACTIONS: dict[Action, tuple[type[Any], Callable[..., Any]]] = {
    Action.CLASSIFY: (forms.ClassifyForm, services.case_classify),
    Action.ACCEPT: (forms.NoteForm, services.case_accept),
    Action.DECLINE: (forms.DeclineForm, services.case_decline),
    Action.FORWARD: (forms.ForwardForm, services.case_forward),
    Action.GUIDE: (forms.RequiredNoteForm, services.case_guide),
    Action.START: (forms.NoteForm, services.case_start),
    Action.REQUEST_INFO: (forms.RequiredNoteForm, services.case_request_info),
    Action.RECEIVE_INFO: (forms.NoteForm, services.case_receive_info),
    Action.EXTEND: (forms.ExtendForm, services.case_extend),
    Action.RESOLVE: (forms.ResolveForm, services.case_resolve),
    Action.CLOSE: (forms.NoteForm, services.case_close),
}


@require_POST
@login_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    try:
        chosen = Action(action)
        form_class, service = ACTIONS[chosen]
    except (ValueError, KeyError) as error:
        raise Http404 from error
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return _render_detail(request, case, bound={chosen.value: form}, status=422)
    try:
        service(case=case, by=request.user, **form.cleaned_data)
    except services.TransitionError:
        messages.error(request, _("This step is not possible in the letter's current status."))
        return redirect(case)
    except services.ConcurrentUpdate:
        messages.error(
            request, _("Someone else changed this letter a moment ago. Check and try again.")
        )
        return redirect(case)
    except (services.RuleViolation, ValidationError) as error:
        messages.error(request, _rule_message(error))
        return redirect(case)
    except StorageUnavailable:
        messages.error(request, ACTION_MESSAGE)
        return redirect(case)
    messages.success(request, _("Saved."))
    return redirect(case)


def _rule_message(error: Exception) -> str:
    code = getattr(error, "code", "")
    return {
        "forward_once": _(
            "This letter was already forwarded once; the law allows forwarding the same content only once."
        ),
        "guide_once": _("The citizen was already guided once for this content."),
        "extension_max": _("The law allows no further extension for this letter."),
        "same_agency": _("The letter is already with this agency."),
    }.get(code, _("This step is not allowed by the rules."))


def _render_detail(
    request: HttpRequest, case: Any, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    acting = can_act(request.user, case)
    actions = allowed_actions(Status(case.status)) if acting else []
    designating = acting and identity.designates(request.user, case)
    context = {
        "case": case,
        "events": identity.actor_labels(case, case_timeline(case=case, public_only=False)),
        "attachments": case_attachments(case=case),
        "related": related_cases(case=case, user=request.user),
        "duplicates": duplicate_candidates(case=case, user=request.user) if acting else [],
        "can_merge": (Action.MERGE, Status(case.status)) in TRANSITIONS,
        "actions": actions,
        "forms": _action_forms(case, actions, bound),
        "assign_form": (bound.get("assign") or _assign_form(request.user, case))
        if designating
        else None,
        "split_form": (bound.get("split") or forms.SplitForm(initial={"kind": case.kind}))
        if acting
        else None,
        "sender": identity.sender_shown(request.user, case),
        "show_identity": identity.entitled(request.user, case),
    }
    return render(request, "cases/detail.html", context, status=status)


def _assign_form(user: Any, case: Any) -> forms.AssignForm:
    """The officers `user` may make the handler: never themselves, for a head's delegate."""
    self_allowed = not user.is_authenticated or identity.may_designate(user, case, user)
    return forms.AssignForm(agency_id=case.agency_id, exclude=None if self_allowed else user.pk)
