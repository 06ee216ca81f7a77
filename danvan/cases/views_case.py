"""The officer's case page and the steps taken from it (the table in `actions`)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from danvan.core.storage import ACTION_MESSAGE, StorageUnavailable
from danvan.rulebook.words import rule_in_words

from . import forms, identity
from .access import can_act, get_case_for_user
from .actions import ACTIONS, CaseAction, Refused, available, initial, take
from .duplicates import duplicate_candidates
from .page import case_attachments, related_cases
from .queries import case_timeline
from .workflow import TRANSITIONS, Action, Status


@require_GET
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_case_page(request, get_case_for_user(request.user, pk))


@require_POST
@login_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404
    form = chosen.bind(request.POST, auto_id=form_ids(chosen.name), case=case)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return render_case_page(request, case, bound={chosen.name: form}, status=422)
    try:
        take(chosen, case=case, by=request.user, form=form)  # type: ignore[arg-type]
    except Refused as refused:
        messages.error(request, refused.message)
        return redirect(case)
    except StorageUnavailable:
        messages.error(request, ACTION_MESSAGE)
        return redirect(case)
    messages.success(request, str(chosen.done))
    return redirect(case)


def form_ids(name: str) -> str:
    """Field ids of one form of the case page (id_accept_note, id_close_note...): the page
    holds several forms with a note, and a label must focus its own box. Only the ids
    change: the fields keep their names, which the API shares."""
    return f"id_{name}_%s"


def _action_forms(
    case: Any, actions: list[CaseAction], bound: dict[str, Any]
) -> list[tuple[CaseAction, Any]]:
    """(action, form) for each step the officer can take now."""
    return [
        (
            a,
            bound.get(a.name)
            or a.bind(initial=initial(a, case), auto_id=form_ids(a.name), case=case),
        )
        for a in actions
    ]


def deadline_words(case: Any) -> dict[str, str]:
    """The rules that set the letter's deadlines, in words, as in force when they were set."""
    words = {}
    if case.process_rule:
        words["process"] = rule_in_words(case.process_rule, on=timezone.localdate(case.received_at))
    if case.resolve_rule:
        accepted = case.accepted_at or case.received_at
        words["resolve"] = rule_in_words(case.resolve_rule, on=timezone.localdate(accepted))
    return words


def render_case_page(
    request: HttpRequest, case: Any, *, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    """The case page; `bound` holds a form that failed, by its name, to show its errors."""
    bound = bound or {}
    acting = can_act(request.user, case)
    actions = available(case) if acting else []
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
        "assign_form": (bound.get("assign") or assign_form(request.user, case))
        if designating
        else None,
        "split_form": (
            bound.get("split")
            or forms.SplitForm(initial={"kind": case.kind}, auto_id=form_ids("split"))
        )
        if acting
        else None,
        "sender": identity.sender_shown(request.user, case),
        "show_identity": identity.entitled(request.user, case),
        "deadline_words": deadline_words(case),
        "variant_words": forms.VARIANTS.get(case.variant, case.variant),
    }
    return render(request, "cases/detail.html", context, status=status)


def assign_form(user: Any, case: Any) -> forms.AssignForm:
    """The officers `user` may make the handler: never themselves, for a head's delegate."""
    self_allowed = not user.is_authenticated or identity.may_designate(user, case, user)
    return forms.AssignForm(
        agency_id=case.agency_id,
        exclude=None if self_allowed else user.pk,
        auto_id=form_ids("assign"),
    )
