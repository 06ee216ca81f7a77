"""Reception over HTTP: the published schedule and booking for citizens; the day's
sessions, the logbook and compliance for officials. Thin: access, validate, service, respond."""

from datetime import date, timedelta
from typing import Any, cast

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.accounts.models import User
from danvan.cases.idempotency import IdempotencyKeyReused
from danvan.cases.letter_form import posted, reused_for, token_new
from danvan.cases.models import Case
from danvan.cases.outgoing import DOCX
from danvan.core.downloads import file_response
from danvan.core.forms import field_error

from . import documents, forms, queries, services
from .access import compliance_scope, get_session_for_user, require_logbook
from .models import ReceptionEntry, Route, SessionStatus
from .services import ReceptionError, Visitor


def _officer(request: HttpRequest) -> User:
    return cast(User, request.user)


@require_GET
def public_schedule(request: HttpRequest) -> HttpResponse:
    sessions = queries.upcoming_sessions()
    return render(request, "reception/schedule.html", {"sessions": sessions})


@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, pk: int) -> HttpResponse:
    session = queries.upcoming_sessions().filter(pk=pk).first()
    if session is None:
        raise Http404
    form = forms.BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        citizen = _officer(request) if request.user.is_authenticated else None
        try:
            services.booking_create(session=session, citizen=citizen, **form.cleaned_data)
        except ReceptionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your slot is booked for %(day)s at %(place)s.")
                % {"day": f"{session.held_on:%d/%m/%Y}", "place": session.place},
            )
            return redirect("reception:schedule")
    status = 422 if request.method == "POST" else 200
    return render(request, "reception/book.html", {"session": session, "form": form},
                  status=status)  # fmt: skip


@require_GET
@login_required
def today(request: HttpRequest) -> HttpResponse:
    agencies = require_logbook(request.user)
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = timezone.localdate()
    sessions = queries.sessions_on(agency_ids=agencies, day=day)
    return render(request, "reception/today.html", {"sessions": sessions, "day": day})


@require_POST
@login_required
def session_status(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_session_for_user(request.user, pk)
    form = forms.SessionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.session_set_status(session=session, **form.cleaned_data)
        except ReceptionError as error:
            messages.error(request, str(error))
    else:
        problem = field_error(form, "conclusion")
        messages.error(request, problem or _("Choose whether the session was held or cancelled."))
    return redirect(f"{reverse('reception:today')}?day={session.held_on.isoformat()}")


@require_GET
@login_required
def conclusion_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's conclusion notice to download, numbered anew at each download."""
    session = get_session_for_user(request.user, pk)
    try:
        data = documents.conclusion_notice(session=session)
    except ReceptionError as error:
        messages.error(request, str(error))
        return redirect(f"{reverse('reception:today')}?day={session.held_on.isoformat()}")
    name = f"thong-bao-ket-luan-{session.held_on.isoformat()}.docx"
    return file_response(data, name=name, content_type=DOCX)


@require_GET
@login_required
def logbook(request: HttpRequest) -> HttpResponse:
    agencies = require_logbook(request.user)
    page = queries.logbook_page(agency_ids=agencies, after=request.GET.get("after"))
    template = "reception/logbook.html#rows" if request.htmx else "reception/logbook.html"  # type: ignore[attr-defined]
    return render(request, template, {"page": page})


@require_http_methods(["GET", "POST"])
@login_required
def entry_new(request: HttpRequest) -> HttpResponse:
    agencies = require_logbook(request.user)
    initial = {"form_token": token_new(), "group_size": 1, "agency": min(agencies),
               "session": request.GET.get("session"), "route": Route.ACCEPT}  # fmt: skip
    data = posted(request)[0] if request.method == "POST" else None
    form = forms.EntryForm(data, initial=initial, user=request.user, agency_ids=agencies)
    reused = None
    if request.method == "POST" and form.is_valid():
        try:
            _record(request, form.cleaned_data)
        except IdempotencyKeyReused as error:  # the token went with another entry
            reused = reused_for(request.user, error.first)
        else:
            return redirect("reception:logbook")
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "reused": reused}
    return render(request, "reception/entry_form.html", context, status=status)


def _record(request: HttpRequest, d: dict[str, Any]) -> ReceptionEntry:
    visitor = Visitor(
        kind=d["kind"], content=d["content"], name=d["name"], id_number=d["id_number"],
        address=d["address"], phone=d["phone"], group_size=d["group_size"],
        representatives=d["representatives"], earlier_handling=d["earlier_handling"],
        notes=d["notes"],
    )  # fmt: skip
    by, agency, session = _officer(request), d["agency"], d["session"]
    if d["route"] == Route.REFUSED:
        entry = services.entry_refuse(agency=agency, by=by, visitor=visitor, session=session,
                                      ground=d["refusal_ground"], explanation=d["result"])  # fmt: skip
        messages.success(request, _("The refusal was recorded in the logbook."))
        return entry
    entry = services.entry_record(
        agency=agency, by=by, visitor=visitor, session=session, route=d["route"],
        unit=d["unit"], existing_case=d["existing_case"], result=d["result"],
        idempotency_key=f"reception:{d['form_token']}",
    )  # fmt: skip
    case = cast(Case, entry.case)
    messages.success(
        request,
        _("Recorded in the logbook; letter %(code)s is in the queue of %(agency)s.")
        % {"code": case.tracking_code, "agency": case.agency.name},
    )
    return entry


@require_GET
@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    scope = compliance_scope(request.user)
    today_ = timezone.localdate()
    year = _int(request.GET.get("year"), today_.year, 2014, today_.year)
    month = _int(request.GET.get("month"), 0, 0, 12) or None
    rows = queries.compliance(year=year, month=month, agency_ids=scope)
    context = {"rows": rows, "year": year, "month": month, "months": range(1, 13)}
    return render(request, "reception/compliance.html", context)


def _int(text: str | None, default: int, low: int, high: int) -> int:
    try:
        value = int(text or "")
    except ValueError:
        return default
    return value if low <= value <= high else default


@require_GET
@login_required
def schedules(request: HttpRequest) -> HttpResponse:
    agencies = require_logbook(request.user)
    page = queries.schedules_of(agency_ids=agencies)
    return render(request, "reception/schedules.html", {"page": page})


@require_http_methods(["GET", "POST"])
@login_required
def schedule_new(request: HttpRequest) -> HttpResponse:
    agencies = require_logbook(request.user)
    initial = {"agency": min(agencies), "starts_on": timezone.localdate(), "roll_forward": True}
    form = forms.ScheduleForm(request.POST or None, initial=initial, agency_ids=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                schedule = services.schedule_create(**form.cleaned_data)
                planned = services.sessions_generate(schedule=schedule, until=_horizon())
        except ReceptionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The schedule is saved; %(count)s sessions are published.")
                % {"count": len(planned)},
            )
            return redirect("reception:schedules")
    return _form_page(request, form, _("New reception schedule"))


@require_http_methods(["GET", "POST"])
@login_required
def leave_new(request: HttpRequest) -> HttpResponse:
    agencies = require_logbook(request.user)
    form = forms.LeaveForm(request.POST or None, initial={"agency": min(agencies)},
                           agency_ids=agencies)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data.pop("agency")
        leave = services.leave_record(**data)
        missed = leave.leader.reception_sessions.filter(
            held_on__range=(leave.starts_on, leave.ends_on), status=SessionStatus.TO_RESCHEDULE
        ).count()
        messages.success(
            request,
            _("The leave is recorded. Sessions the leader must make up: %(count)s.")
            % {"count": missed},
        )
        return redirect("reception:schedules")
    return _form_page(request, form, _("Record a leader's leave"))


@require_http_methods(["GET", "POST"])
@login_required
def session_new(request: HttpRequest) -> HttpResponse:
    agencies = require_logbook(request.user)
    initial = {"agency": min(agencies), "capacity": 20, "leader": request.GET.get("leader")}
    form = forms.AdHocSessionForm(request.POST or None, initial=initial, agency_ids=agencies)
    if request.method == "POST" and form.is_valid():
        session = services.session_add_ad_hoc(**form.cleaned_data)
        messages.success(
            request,
            _("The session of %(day)s is published.") % {"day": f"{session.held_on:%d/%m/%Y}"},
        )
        return redirect("reception:schedules")
    return _form_page(request, form, _("New ad-hoc or make-up session"))


def _form_page(request: HttpRequest, form: django_forms.Form, title: str) -> HttpResponse:
    status = 422 if request.method == "POST" else 200
    return render(request, "reception/schedule_form.html", {"form": form, "title": title},
                  status=status)  # fmt: skip


def _horizon() -> date:
    return timezone.localdate() + timedelta(days=settings.DANVAN_RECEPTION_PLAN_DAYS)
