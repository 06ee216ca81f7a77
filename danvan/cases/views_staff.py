"""Officers' work besides transitions: entering letters, files, identity, assigning, splitting."""

from functools import partial
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts.access import agency_ids_of
from danvan.accounts.models import User
from danvan.core.clients import client_address
from danvan.core.downloads import file_response
from danvan.core.text import parse_id
from danvan.core.uploads import CleanFile
from danvan.language import similarity

from . import duplicates, forms, services
from .access import ACTING_ROLES, get_case_for_user, visible_cases
from .duplicates import case_text
from .identity import (
    IdentityHidden,
    attachment_open,
    designates,
    identity_open,
    pairable,
    public_attachment_open,
)
from .imports import cases_import
from .letter_form import LetterPost, paper_draft, token_new
from .models import Attachment, Case, Channel
from .queries import case_by_tracking_code
from .submission import case_submit
from .views_case import form_ids, render_case_page

INTAKE_PAGE = "cases/intake.html"

SELF_DESIGNATION = gettext_lazy(
    "A delegated officer cannot designate themselves as the handler of a denunciation:"
    " choose another officer, or ask the head of the agency."
)


def _refused_in_bulk(count: int) -> str:
    return ngettext(
        "%(count)d denunciation was not assigned: only the head of the agency, or an officer"
        " the head delegated in writing, designates a denunciation's handler, never themselves.",
        "%(count)d denunciations were not assigned: only the head of the agency, or an officer"
        " the head delegated in writing, designates a denunciation's handler, never themselves.",
        count,
    ) % {"count": count}


def _officer(request: HttpRequest) -> User:
    """The signed-in user (every view here is behind login_required)."""
    return cast(User, request.user)


@require_http_methods(["GET", "POST"])
@login_required
def intake(request: HttpRequest) -> HttpResponse:
    """A paper letter or a walk-in, entered by a reception officer with its scans."""
    if not agency_ids_of(request.user, roles=ACTING_ROLES):
        raise PermissionDenied
    initial = {"form_token": token_new(), "channel": Channel.PAPER,
               "received_on": timezone.localdate(), "people_count": 1}  # fmt: skip
    if request.method == "GET":
        return render(request, INTAKE_PAGE, {"form": forms.IntakeForm(initial=initial)})
    sent = LetterPost.read(request, forms.IntakeForm, INTAKE_PAGE, initial=initial)
    case = sent.send(partial(_intake_submit, _officer(request), sent.form.cleaned_data))
    if isinstance(case, HttpResponse):
        return case
    messages.success(
        request,
        _("Letter registered with tracking code %(code)s, sent to %(agency)s.")
        % {"code": case.tracking_code, "agency": case.agency.name},
    )
    if visible_cases(request.user).filter(pk=case.pk).exists():
        return redirect(case)
    return redirect("cases:intake")


def _intake_submit(by: User, data: dict[str, Any], files: list[CleanFile], token: str) -> Case:
    draft = paper_draft(data)
    case, _created = case_submit(draft=draft, by=by, files=files, idempotency_key=f"intake:{token}")
    return case


@require_http_methods(["GET", "POST"])
@login_required
def import_letters(request: HttpRequest) -> HttpResponse:
    """Old letters from a spreadsheet: every row checked, a per-row report, no half rows."""
    if not agency_ids_of(request.user, roles=ACTING_ROLES):
        raise PermissionDenied
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report = cases_import(file=data["file"], by=_officer(request),
                              all_or_nothing=not data["partial"], dry_run=data["dry_run"])  # fmt: skip
    status = 422 if report is not None and report.errors else 200
    if request.method == "POST" and not form.is_valid():
        status = 422
    return render(request, "cases/import.html", {"form": form, "report": report}, status=status)


@require_GET
@login_required
def identity(request: HttpRequest, pk: int) -> HttpResponse:
    """A denouncer's identity, for the assigned handler and auditors; every look is logged."""
    case = get_case_for_user(request.user, pk)
    try:
        person = identity_open(
            case=case, user=request.user, address=client_address(request) or None
        )
    except IdentityHidden as error:
        raise PermissionDenied from error
    response = render(request, "cases/identity.html", {"case": case, "person": person})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def staff_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk)
    attachment = Attachment.objects.filter(case=case, pk=file_id).first()
    if attachment is None:
        raise Http404
    try:
        data = attachment_open(
            attachment=attachment, user=request.user, address=client_address(request) or None
        )
    except IdentityHidden as error:
        raise PermissionDenied from error
    return file_response(data, name=attachment.name, content_type=attachment.content_type)


@require_GET
def public_file(request: HttpRequest, code: str, file_id: int) -> HttpResponse:
    """A document the agency issued to the citizen; the tracking code is the key. A sealed
    one (a denunciation's) only for the signed-in citizen who filed it, logged."""
    case = case_by_tracking_code(code)
    attachment = Attachment.objects.filter(case=case, pk=file_id).first() if case else None
    if attachment is None:
        raise Http404
    try:
        data = public_attachment_open(
            attachment=attachment, user=request.user, address=client_address(request) or None
        )
    except IdentityHidden as error:
        raise Http404 from error  # as for no file at all: a tracking code reveals nothing more
    return file_response(data, name=attachment.name, content_type=attachment.content_type)


@require_POST
@login_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign the handler; a sealed letter's only by its head or the head's delegate."""
    case = get_case_for_user(request.user, pk, write=True)
    if not designates(request.user, case):
        raise PermissionDenied
    form = forms.AssignForm(request.POST, agency_id=case.agency_id, auto_id=form_ids("assign"))
    if not form.is_valid():
        return render_case_page(request, case, bound={"assign": form}, status=422)
    try:
        services.case_assign(
            case=case, by=_officer(request), assignee=form.cleaned_data["assignee"]
        )
    except services.AssignmentRefused:
        form.add_error("assignee", SELF_DESIGNATION)
        return render_case_page(request, case, bound={"assign": form}, status=422)
    except services.ConcurrentUpdate:
        messages.error(
            request, _("Someone else changed this letter a moment ago. Check and try again.")
        )
        return redirect(case)
    messages.success(request, _("Saved."))
    return redirect(case)


@require_POST
@login_required
def split(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    form = forms.SplitForm(request.POST, auto_id=form_ids("split"))
    if not form.is_valid():
        return render_case_page(request, case, bound={"split": form}, status=422)
    part = services.case_split(case=case, by=_officer(request), **form.cleaned_data)
    messages.success(
        request, _("New letter %(code)s split from this one.") % {"code": part.tracking_code}
    )
    return redirect(case)


@require_POST
@login_required
def link(request: HttpRequest, pk: int, other: int, merge: bool = False) -> HttpResponse:
    """Link two letters on the same matter, or merge this one into the other."""
    case = get_case_for_user(request.user, pk, write=True)
    target = get_case_for_user(request.user, other, write=True)
    if target.pk == case.pk:
        raise Http404
    if not pairable(case, target):
        messages.error(request, _("A sealed letter cannot be linked to a letter that is not."))
        return redirect(case)
    score = similarity.score(case_text(case), case_text(target))
    try:
        if merge:
            duplicates.case_merge(case=case, into=target, by=_officer(request), score=score)
        else:
            duplicates.case_link(case=case, other=target, by=_officer(request), score=score)
    except (services.TransitionError, services.ConcurrentUpdate):
        messages.error(
            request, _("This letter can no longer be merged: it is already being handled.")
        )
        return redirect(case)
    messages.success(request, _("Saved."))
    return redirect(case)


@require_POST
@login_required
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """Assign the ticked letters of the queue to one officer of their agency."""
    ids = [pk for v in request.POST.getlist("case") if (pk := parse_id(v)) is not None][:100]
    cases = list(
        visible_cases(request.user).filter(
            pk__in=ids, agency_id__in=agency_ids_of(request.user, roles=ACTING_ROLES)
        )
    )
    agencies = {c.agency_id for c in cases}
    form = forms.AssignForm(request.POST, agency_id=next(iter(agencies), None))
    if not cases or len(agencies) != 1 or not form.is_valid():
        messages.error(request, _("Tick letters of one agency and choose one of its officers."))
        return redirect("cases:queue")
    done, refused = services.cases_assign(
        cases=cases, by=_officer(request), assignee=form.cleaned_data["assignee"]
    )
    messages.success(request, _("%(count)s letters assigned.") % {"count": done})
    if refused:
        messages.error(request, _refused_in_bulk(refused))
    return redirect("cases:queue")
