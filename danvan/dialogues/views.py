"""Dialogue pages for citizens (list, conference, questions, votes, accountability) and for
officials (organiser page, minutes, owners' commitments). Thin: access, form, service."""

import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts.models import User
from danvan.core.clients import client_address
from danvan.core.downloads import file_response
from danvan.core.forms import field_error
from danvan.core.storage import FORM_MESSAGE, StorageUnavailable
from danvan.core.uploads import CleanFile, form_files

from . import forms, queries, services
from .access import (
    can_organise,
    get_commitment_for_owner,
    get_dialogue_for_organiser,
    get_evidence_for_official,
    organised_dialogues,
    organiser_agency_ids,
)
from .models import Dialogue, Question, Status
from .services import DialogueError

VOTER_KEY = "dialogue_voter"  # a visitor's voting key, in their session


def _official(request: HttpRequest) -> User:
    return cast(User, request.user)


def _public_dialogue(pk: int) -> Dialogue:
    dialogue = queries.dialogue_public(pk)
    if dialogue is None:
        raise Http404
    return dialogue


# Citizens -----------------------------------------------------------------------------


@require_GET
def dialogue_list(request: HttpRequest) -> HttpResponse:
    dialogues = queries.public_dialogues()[:100]
    return render(request, "dialogues/list.html", {"dialogues": dialogues})


@require_http_methods(["GET", "POST"])
def dialogue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = _public_dialogue(pk)
    form = forms.QuestionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            asker = request.user if request.user.is_authenticated else None
            try:
                services.question_submit(dialogue=dialogue, asker=asker, **form.cleaned_data)
            except DialogueError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Thank you. Your question was sent to the organisers."))
                return redirect(dialogue)
        return _render_detail(request, dialogue, form, status=422)
    return _render_detail(request, dialogue, form)


def _render_detail(
    request: HttpRequest, dialogue: Dialogue, form: forms.QuestionForm, status: int = 200
) -> HttpResponse:
    context = {
        "dialogue": dialogue,
        "questions": queries.dialogue_questions(dialogue=dialogue),
        "form": form if dialogue.status == Status.OPEN else None,
        "can_organise": can_organise(request.user, dialogue),
        "commitments": queries.dialogue_commitments(dialogue=dialogue),
    }
    return render(request, "dialogues/detail.html", context, status=status)


def _voter(request: HttpRequest) -> tuple[str, str | None]:
    """One vote per account; for a visitor without one, one per browser and a few per
    client address (`services.question_vote`). A browser's key is kept in its session
    only once it has voted, so refused votes from a script leave no session behind."""
    if request.user.is_authenticated:
        return f"u:{request.user.pk}", None
    key = request.session.get(VOTER_KEY)
    if not isinstance(key, str):  # True: a session from before the keys (its own key)
        key = (request.session.session_key if key is True else None) or uuid.uuid4().hex
    return f"s:{key}", client_address(request)


@require_POST
def vote(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    dialogue = _public_dialogue(pk)
    question = get_object_or_404(Question, pk=question_id, dialogue=dialogue)
    voter, address = _voter(request)
    try:
        counted = services.question_vote(question=question, voter=voter, address=address)
    except DialogueError as error:
        note, level = error.message, messages.ERROR
    else:
        if counted:
            note, level = _("Your vote is counted. Thank you."), messages.SUCCESS
        else:
            note, level = _("You have already voted for this question."), messages.INFO
        if address is not None:
            request.session[VOTER_KEY] = voter.removeprefix("s:")
    if request.htmx:  # type: ignore[attr-defined]
        question.refresh_from_db()
        return render(request, "dialogues/detail.html#question", {"question": question,
                      "dialogue": dialogue, "voted": True, "vote_note": note})  # fmt: skip
    messages.add_message(request, level, note)
    return redirect(f"{dialogue.get_absolute_url()}#q{question.pk}")


@require_GET
def accountability(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = _public_dialogue(pk)
    commitments = queries.dialogue_commitments(dialogue=dialogue)
    context = {"dialogue": dialogue, "commitments": commitments,
               "overdue": queries.overdue_count(commitments)}  # fmt: skip
    return render(request, "dialogues/accountability.html", context)


@require_GET
def unit_accountability(request: HttpRequest, code: str) -> HttpResponse:
    unit = queries.commune_by_code(code)
    if unit is None:
        raise Http404
    commitments = queries.unit_commitments(unit=unit)
    context = {"unit": unit, "commitments": commitments,
               "overdue": queries.overdue_count(commitments)}  # fmt: skip
    return render(request, "dialogues/accountability.html", context)


# Organisers ---------------------------------------------------------------------------


@require_GET
@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    if not organiser_agency_ids(request.user):
        raise PermissionDenied
    dialogues = organised_dialogues(request.user).select_related("organiser")[:100]
    return render(request, "dialogues/staff_list.html", {"dialogues": dialogues})


@require_http_methods(["GET", "POST"])
@login_required
def staff_new(request: HttpRequest) -> HttpResponse:
    agency_ids = organiser_agency_ids(request.user)
    if not agency_ids:
        raise PermissionDenied
    form = forms.DialogueForm(request.POST or None, agency_ids=agency_ids)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        for key in ("day", "time"):
            data.pop(key)
        try:
            dialogue = services.dialogue_create(by=_official(request), **data)
        except DialogueError as error:
            form.add_error(None, error.message)
        else:
            return redirect("dialogues:staff-detail", pk=dialogue.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "dialogues/staff_new.html", {"form": form}, status=status)


@require_GET
@login_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = get_dialogue_for_organiser(request.user, pk)
    return _render_staff(request, dialogue)


def _render_staff(
    request: HttpRequest, dialogue: Dialogue, status: int = 200, **forms_: Any
) -> HttpResponse:
    questions = queries.dialogue_questions(dialogue=dialogue)
    minutes = forms_.get("minutes") or forms.MinutesForm(dialogue=dialogue, user=request.user)
    context = {
        "dialogue": dialogue,
        "questions": questions,
        "proposals": queries.question_groups_propose(questions=questions),
        "minutes_form": minutes if dialogue.status in services.MINUTES_OPEN else None,
        "next_statuses": [Status(s) for s in sorted(services.TRANSITIONS[dialogue.status])],
        "commitments": queries.dialogue_commitments(dialogue=dialogue),
        "error": forms_.get("error"),
    }
    return render(request, "dialogues/staff_detail.html", context, status=status)


@require_POST
@login_required
def staff_status(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = get_dialogue_for_organiser(request.user, pk)
    try:
        services.dialogue_set_status(
            dialogue=dialogue, to=request.POST.get("status", ""), by=_official(request)
        )
    except DialogueError as error:
        return _render_staff(request, dialogue, status=422, error=error.message)
    messages.success(request, _("Saved."))
    return redirect("dialogues:staff-detail", pk=dialogue.pk)


@require_POST
@login_required
def staff_hide(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    dialogue = get_dialogue_for_organiser(request.user, pk)
    question = get_object_or_404(Question, pk=question_id, dialogue=dialogue)
    form = forms.HideForm(request.POST)
    if not form.is_valid():
        error = field_error(form, "reason") or services.MESSAGES["no_reason"]
        return _render_staff(request, dialogue, status=422, error=error)
    services.question_hide(question=question, by=_official(request), **form.cleaned_data)
    messages.success(request, _("Saved."))
    return redirect("dialogues:staff-detail", pk=dialogue.pk)


@require_POST
@login_required
def staff_group(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = get_dialogue_for_organiser(request.user, pk)
    form = forms.GroupForm(request.POST, dialogue=dialogue)
    if not form.is_valid():
        error = field_error(form, "title") or _("Check the group.")
        return _render_staff(request, dialogue, status=422, error=error)
    try:
        services.question_group_create(
            dialogue=dialogue, by=_official(request), **form.cleaned_data
        )
    except DialogueError as error:
        return _render_staff(request, dialogue, status=422, error=error.message)
    messages.success(request, _("Saved."))
    return redirect("dialogues:staff-detail", pk=dialogue.pk)


@require_POST
@login_required
def staff_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = get_dialogue_for_organiser(request.user, pk)
    form = forms.MinutesForm(request.POST, dialogue=dialogue, user=request.user)
    if not form.is_valid():
        return _render_staff(request, dialogue, status=422, minutes=form)
    data = form.cleaned_data
    promised = None
    if data["promises"]:
        promised = services.Promised(text=data["commitment"], owner=data["owner"],
                                     due_on=data["due_on"], case=data.get("case"))  # fmt: skip
    try:
        services.question_answer(
            dialogue=dialogue, by=_official(request), answer=data["answer"],
            answered_by=data["answered_by"], agency=data["agency"], question=data["question"],
            question_text=data["question_text"], promised=promised,
        )  # fmt: skip
    except DialogueError as error:
        form.add_error(None, error.message)
        return _render_staff(request, dialogue, status=422, minutes=form)
    messages.success(request, _("Saved."))
    return redirect("dialogues:staff-detail", pk=dialogue.pk)


# Owners of commitments ------------------------------------------------------------------


@require_GET
@login_required
def commitments(request: HttpRequest) -> HttpResponse:
    if not organiser_agency_ids(request.user):
        raise PermissionDenied
    page = queries.owner_commitments_page(user=request.user, after=request.GET.get("after"))
    return render(request, "dialogues/commitments.html", {"page": page})


@require_http_methods(["GET", "POST"])
@login_required
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_commitment_for_owner(request.user, pk)
    form = forms.ProgressForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 422  # a post shown again always carries its errors
        files = _checked_files(request, form)
        if files is not None:
            try:
                services.commitment_progress(
                    commitment=commitment, by=_official(request), files=files,
                    text=form.cleaned_data["text"],
                    document_link=form.cleaned_data["document_link"],
                    close=form.cleaned_data["close"],
                )  # fmt: skip
            except DialogueError as error:
                form.add_error(None, error.message)
            except StorageUnavailable:
                form.add_error(None, FORM_MESSAGE)
                status = 503
            else:
                messages.success(request, _("Saved."))
                return redirect("dialogues:commitment", pk=commitment.pk)
    updates = commitment.updates.select_related("by").prefetch_related("files")
    context = {"commitment": commitment, "updates": updates, "form": form}
    return render(request, "dialogues/commitment.html", context, status=status)


def _checked_files(request: HttpRequest, form: forms.ProgressForm) -> list[CleanFile] | None:
    """The evidence files checked by content; None (message on the form) when any is bad."""
    if not form.is_valid():
        return None
    return form_files(request.FILES.getlist("evidence"), form, "evidence")


@require_GET
@login_required
def evidence_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    """An evidence file, as a download (`core.downloads`)."""
    evidence = get_evidence_for_official(request.user, pk, file_id)
    with evidence.file.open("rb") as handle:
        data = handle.read()
    return file_response(data, name=evidence.name, content_type=evidence.content_type)
