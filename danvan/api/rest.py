"""The REST API, /api/v1/: public reads and submission, and an agency's cases by API key.

Every response that is not a success has one shape, `{"error": {"code", "message",
"fields"}}`, with the status of its code in errors.KINDS. Every call is counted against a
rate limit: a key's own, or the client address's without a key.
"""

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext_lazy as _
from ninja import Header, NinjaAPI, Query
from ninja import Status as Reply
from ninja.errors import AuthenticationError, HttpError, ValidationError

from danvan.cases.identity import plain_sender
from danvan.cases.models import Case, CaseEvent, Topic
from danvan.cases.queries import case_timeline, case_tracked
from danvan.cases.workflow import Action, Kind, Status
from danvan.core.middleware import DATABASE_RETRY_AFTER, log_database_unavailable
from danvan.core.storage import RETRY_AFTER, StorageUnavailable
from danvan.places.models import Agency
from danvan.places.queries import served_communes

from . import staff
from .access import require
from .callers import OPTIONAL, OPTIONAL_SECURITY, REQUIRED, caller, local, staff_key
from .docs import SelfHostedSwagger
from .errors import KINDS, TEXT_CODES, ApiError, input_code
from .intake import letter_submit
from .models import ApiKey, Scope
from .public import public_text, submitter_names_of
from .schemas import (
    ActionCode,
    ActionDoneOut,
    ActionIn,
    AgencyOut,
    CaseCreatedOut,
    CaseDetailOut,
    CaseIn,
    CasePageOut,
    ErrorOut,
    KindCode,
    Line,
    StatusCode,
    TopicOut,
    TrackOut,
    UnitOut,
)


class DanVanAPI(NinjaAPI):
    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_not_allowed(pattern.callback)
        return urls


def _json_not_allowed(view: Callable[..., Any]) -> Callable[..., Any]:
    """Ninja answers a method a path lacks in plain text; this answers in the error shape."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            answer = error_response(request, ApiError("method_not_allowed"))
            answer["Allow"] = response["Allow"]
            return answer
        return response

    return wrapped


api = DanVanAPI(
    title="Dân Vận API",
    version="1",
    description=(
        "Letters of citizens (feedback, petitions, complaints) to the province's agencies."
        " See docs/api.md for authentication, errors, limits and examples."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    docs=SelfHostedSwagger(),  # no inline script: the CSP holds on the docs page too
)

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut,
          503: ErrorOut}  # fmt: skip


# --- errors -------------------------------------------------------------------------------


def error_response(request: HttpRequest, error: ApiError) -> HttpResponse:
    body = {
        "error": {
            "code": error.code,
            "message": str(error.message or KINDS[error.code].message),
            "fields": {name: str(text) for name, text in error.fields.items()},
        }
    }
    response = api.create_response(request, body, status=error.status)
    if error.retry_after is not None:
        response["Retry-After"] = str(error.retry_after)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="danvan"'
    return response


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(request, exc)


PROBLEMS = {
    "missing": _("This field is required."),
    "string_too_long": _("This text is too long."),
    "string_too_short": _("This text is too short."),
    "literal_error": _("Choose one of the allowed values."),
    "enum": _("Choose one of the allowed values."),
    "greater_than_equal": _("The value is out of range."),
    "less_than_equal": _("The value is out of range."),
    "greater_than": _("The value is out of range."),
    "less_than": _("The value is out of range."),
}


def _field_name(location: tuple[Any, ...]) -> str:
    # ("body", "payload", "lat") -> "lat"; ("query", "limit") -> "limit"
    parts = [str(part) for part in location[1:] if part != "payload"]
    return ".".join(parts) or str(location[0] if location else "body")


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, str] = {}
    kinds = [str(problem.get("type", "")) for problem in exc.errors]
    for problem, kind in zip(exc.errors, kinds, strict=True):
        name = _field_name(tuple(problem.get("loc", ())))
        fields.setdefault(name, _problem_text(kind, problem))
    return error_response(request, ApiError(input_code(kinds), fields=fields))


def _problem_text(kind: str, problem: dict[str, Any]) -> str:
    if kind in TEXT_CODES:  # the refusal's own message (schemas.Text), with its position
        return str(problem.get("msg", ""))
    text = PROBLEMS.get(kind)
    if text is None and ("type" in kind or "parsing" in kind):
        text = _("The value has the wrong type.")
    return str(text or _("This value is not valid."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        return error_response(request, ApiError("api_key_missing"))
    if exc.status_code == 400:  # the only 400 ninja raises itself: a body it cannot parse
        return error_response(request, ApiError("invalid_json"))
    if exc.status_code == 403:
        return error_response(request, ApiError("scope_missing"))
    if exc.status_code == 429:
        return error_response(request, ApiError("rate_limited", retry_after=60))
    return error_response(request, ApiError("not_found"))


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(request, ApiError("payload_too_large"))


@api.exception_handler(StorageUnavailable)
def _storage_unavailable(request: HttpRequest, exc: StorageUnavailable) -> HttpResponse:
    return error_response(request, ApiError("storage_unavailable", retry_after=RETRY_AFTER))


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)  # the two of DATABASE_ERRORS, as the pages answer them
def _database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    log_database_unavailable(request, exc)
    error = ApiError("service_unavailable", retry_after=DATABASE_RETRY_AFTER)
    return error_response(request, error)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, ApiError("not_found"))


# --- public -------------------------------------------------------------------------------


@api.get(
    "/topics",
    response={200: list[TopicOut], **ERRORS},
    tags=["public"],
    summary="Topics (services) a letter can be filed under",
    openapi_extra=OPTIONAL_SECURITY,
    auth=OPTIONAL,
)
def topics(request: HttpRequest) -> list[dict[str, Any]]:
    rows = Topic.objects.filter(is_public=True, is_active=True).select_related("parent")
    return [
        {"code": t.code, "name": t.name, "parent_code": t.parent.code if t.parent else None}
        for t in rows.order_by("position", "name")
    ]


@api.get(
    "/units",
    response={200: list[UnitOut], **ERRORS},
    tags=["public"],
    summary="The province's communes and wards",
    openapi_extra=OPTIONAL_SECURITY,
    auth=OPTIONAL,
)
def units(request: HttpRequest) -> list[dict[str, Any]]:
    found = served_communes().order_by("code")
    return [{"code": u.code, "name": u.name, "short_name": u.short_name} for u in found]


@api.get(
    "/agencies",
    response={200: list[AgencyOut], **ERRORS},
    tags=["public"],
    summary="Agencies that handle letters",
    openapi_extra=OPTIONAL_SECURITY,
    auth=OPTIONAL,
)
def agencies(request: HttpRequest) -> list[dict[str, Any]]:
    rows = Agency.objects.filter(is_active=True).order_by("code")
    return [
        {"code": a.code, "name": a.name, "short_name": a.short_name, "type": a.type} for a in rows
    ]


def _idempotency(raw: str | None, key: ApiKey | None) -> str | None:
    """A caller's key, kept apart from other callers' and short enough for the column."""
    if not raw:
        return None
    owner = key.prefix if key else "anonymous"
    return "api:" + hashlib.sha256(f"{owner}:{raw}".encode()).hexdigest()[:60]


@api.post(
    "/cases",
    response={200: CaseCreatedOut, 201: CaseCreatedOut, 413: ErrorOut, 422: ErrorOut, **ERRORS},
    tags=["public"],
    summary="File a letter",
    description=(
        "Anonymous calls are allowed, as on the web form. With an `Idempotency-Key`, a retry"
        " returns the first letter (status 200) and files nothing new; the same key with a"
        " different letter is refused (422 `idempotency_key_reused`) and nothing is stored."
    ),
    openapi_extra=OPTIONAL_SECURITY,
    auth=OPTIONAL,
)
def case_create(
    request: HttpRequest,
    payload: CaseIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", max_length=64),  # type: ignore[type-arg]
) -> Reply[dict[str, Any]]:
    key = caller(request)
    if key is not None:
        require(key, Scope.SUBMIT)
    token = _idempotency(idempotency_key, key)
    fields = {name: value for name, value in payload.dict().items() if value is not None}
    case, created = letter_submit(fields, key=key, idempotency_key=token)
    body = {
        "tracking_code": case.tracking_code,
        "status": case.status,
        "status_label": str(Status(case.status).label),
        "due_on": case.due_on,
        "received_at": local(case.received_at),
    }
    return Reply(201 if created else 200, body)


def _events(events: list[CaseEvent], *, staff_view: bool) -> list[dict[str, Any]]:
    rows = []
    for event in events:
        row: dict[str, Any] = {
            "action": event.action,
            "label": str(Action(event.action).label),
            "at": local(event.at),
        }
        if staff_view:
            row.update(note=event.note, is_public=event.is_public)
        rows.append(row)
    return rows


@api.get(
    "/cases/track/{tracking_code}",
    response={200: TrackOut, **ERRORS},
    tags=["public"],
    summary="Where a letter is, by its tracking code",
    description="No personal data and no agency-internal notes.",
    openapi_extra=OPTIONAL_SECURITY,
    auth=OPTIONAL,
)
def case_track(request: HttpRequest, tracking_code: Line) -> dict[str, Any]:
    found = case_tracked(tracking_code) if len(tracking_code) <= 20 else None
    if found is None:
        raise ApiError("not_found")
    case, events = found
    answered = case.status in (Status.RESOLVED, Status.CLOSED) and case.answer
    return {
        "tracking_code": case.tracking_code,
        "status": case.status,
        "status_label": str(Status(case.status).label),
        "kind": case.kind,
        "kind_label": str(Kind(case.kind).label),
        "topic_code": case.topic.code if case.topic else None,
        "topic": case.topic.name if case.topic else None,
        "unit_code": case.unit.code,
        "unit": case.unit.name,
        "received_at": local(case.received_at),
        "due_on": case.due_on,
        "answer": public_text(case.answer, names=submitter_names_of(case.pk)) if answered else None,
        "events": _events(events, staff_view=False),
    }


# --- an agency's cases --------------------------------------------------------------------


def _item(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "tracking_code": case.tracking_code,
        "kind": case.kind,
        "status": case.status,
        "status_label": str(Status(case.status).label),
        "title": case.title,
        "topic_code": case.topic.code if case.topic else None,
        "unit_code": case.unit.code,
        "received_at": local(case.received_at),
        "due_on": case.due_on,
        "assignee": case.assignee.full_name if case.assignee else None,
    }


def _detail(case: Case) -> dict[str, Any]:
    """A case for its agency's key: the sender through the identity gate (none when sealed),
    the text as stored (a sealed letter's is masked), the history without its actors."""
    return {
        **_item(case),
        "content": case.content,
        "address": case.address,
        "latitude": case.latitude,
        "longitude": case.longitude,
        "channel": case.channel,
        "agency_code": case.agency.code,
        "anonymous": case.anonymous,
        "identity_protected": case.identity_sealed,
        "submitter": plain_sender(case),
        "answer": case.answer,
        "decline_reason": case.decline_reason,
        "allowed_actions": staff.allowed_actions(case),
        "events": _events(case_timeline(case=case, public_only=False), staff_view=True),
    }


@api.get(
    "/staff/cases",
    response={200: CasePageOut, **ERRORS},
    tags=["staff"],
    summary="The agency's cases, earliest deadline first",
    description=(
        "Scope `cases:read`. Without `status`, the open cases. Pass the response's `next`"
        " as `after` for the next page."
    ),
    auth=REQUIRED,
)
def staff_cases(
    request: HttpRequest,
    status: Query[StatusCode | None] = None,
    kind: Query[KindCode | None] = None,
    topic: Query[Line | None] = None,
    after: Query[Line | None] = None,
    limit: int = Query(25, ge=1, le=staff.MAX_PAGE),  # type: ignore[type-arg]
) -> dict[str, Any]:
    key = staff_key(request, Scope.READ)
    if topic is not None and len(topic) > 40:
        raise ApiError("invalid_input", fields={"topic": str(_("There is no such topic."))})
    if after is not None and len(after) > 40:
        raise ApiError("invalid_input", fields={"after": str(_("This cursor is not valid."))})
    page = staff.queue(key, status=status, kind=kind, topic=topic, after=after, limit=limit)
    return {"cases": [_item(case) for case in page.cases], "next": page.next}


@api.get(
    "/staff/cases/{case_id}",
    response={200: CaseDetailOut, **ERRORS},
    tags=["staff"],
    summary="One of the agency's cases",
    description="Scope `cases:read`. A denouncer's identity is never returned.",
    auth=REQUIRED,
)
def staff_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    key = staff_key(request, Scope.READ)
    return _detail(staff.case_of(key, case_id))


@api.post(
    "/staff/cases/{case_id}/actions/{action}",
    response={200: ActionDoneOut, **ERRORS},
    tags=["staff"],
    summary="Take an action on one of the agency's cases",
    description=(
        "Scope `cases:act`. The steps of the officer's case page, checked by the same forms:"
        " classify: kind, topic_code, note; answer (feedback, before acceptance: classified,"
        " accepted and answered at once): answer; accept: variant, note; decline: reason, note;"
        " forward: agency_code, note; guide, request_info: note; start, receive_info, close:"
        " note (optional); extend: variant, note; resolve: answer. The reply is the case and"
        " `message`, what the case page says for the step."
    ),
    auth=REQUIRED,
)
def staff_act(
    request: HttpRequest, case_id: int, action: ActionCode, payload: ActionIn
) -> dict[str, Any]:
    key = staff_key(request, Scope.ACT)
    case = staff.case_of(key, case_id)
    moved, message = staff.act(key, case, action, payload.dict())
    return {**_detail(staff.case_of(key, moved.pk)), "message": message}


@api.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def unknown(request: HttpRequest, rest: str) -> None:
    """Any other address under /api/v1/: not_found, in the error shape."""
    raise ApiError("not_found")
