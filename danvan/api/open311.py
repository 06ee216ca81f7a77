"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under /open311/v2/.

Services are the public, active topics. Anyone may read the public letters (feedback and
petitions on public topics, see `public`), with personal data masked; a key holding the
"submit" scope may file a letter, which goes through the same intake as the REST API.
The tracking code, the citizen's key to the letter, appears only in the POST response.
A POST may carry an `Idempotency-Key` header (not in GeoReport v2): a retry gets its first
letter back (200), the same key with another letter is refused (422), as in the REST API.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db.models import Max, Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import URLPattern, path, re_path
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from danvan.cases.models import Case, Topic
from danvan.cases.workflow import Status
from danvan.core.forms import TextForm, refusal_message
from danvan.core.text import SCAN_MAX, TextRefused, clean_input, parse_id
from danvan.places.queries import served_communes

from . import ratelimit
from .access import key_from, require
from .errors import ApiError
from .intake import API_KINDS, form_error, letter_submit
from .models import ApiKey, Scope
from .open311_render import FORMATS, Doc, error_doc, render, stamp
from .public import CLOSED, public_cases, public_location, public_text, submitter_names

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-23T00:00:00+07:00"  # when this API last changed
DEFAULT_DAYS = 90  # the spec's default window for GET requests
MAX_RESULTS = 1000  # the spec's default cap on GET requests
IDEMPOTENCY_PREFIX = "open311:"  # + the token returned to the caller
IDEMPOTENCY_KEY_MAX = 64  # as in the REST API
IDEMPOTENCY_SALT = "danvan.api.open311.idempotency"
# POST fields -> the intake's field names; the Open311 attributes are `attribute[code]`.
POST_FIELDS = {
    "service_code": "service_code",
    "lat": "lat",
    "long": "long",
    "address_string": "address_string",
    "email": "email",
    "phone": "phone",
    "description": "description",
    "media_url": "media_url",
    "attribute[kind]": "kind",
    "attribute[unit_code]": "unit_code",
    "attribute[address]": "address",
}
OPEN311_NAMES = {intake: open311 for open311, intake in POST_FIELDS.items()} | {
    "name": "attribute[name]"
}


@dataclass(frozen=True)
class Call:
    request: HttpRequest
    params: Any  # the query string for GET, the form for POST
    key: ApiKey | None


View = Callable[..., Doc]


# --- the frame every endpoint shares: format, method, jurisdiction, key, rate, errors


def endpoint(*methods: str) -> Callable[[View], Callable[..., HttpResponse]]:
    def wrap(view: View) -> Callable[..., HttpResponse]:
        @csrf_exempt
        def handle(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            try:
                doc = view(_call(request, fmt, methods), **kwargs)
            except ApiError as error:
                # GeoReport v2: "403 - api_key was not provided or is invalid".
                doc = error_doc(error, 403 if error.code == "api_key_missing" else None)
                if error.code == "method_not_allowed":
                    doc.headers["Allow"] = ", ".join(methods)
            return render(doc, fmt)

        return handle

    return wrap


def _call(request: HttpRequest, fmt: str, methods: tuple[str, ...]) -> Call:
    if fmt not in FORMATS:
        raise ApiError("unknown_format")
    if request.method not in methods:
        raise ApiError("method_not_allowed")
    raw = _params(request)
    if raw.get("jurisdiction_id", "") not in ("", settings.DANVAN_PROVINCE_CODE):
        raise ApiError("jurisdiction_unknown")
    key = key_from(raw.get("api_key"))
    ratelimit.check_request(request, key)  # counted before its text is refused
    return Call(request, _cleaned(raw), key)


def _params(request: HttpRequest) -> QueryDict:
    if request.method != "POST":
        return request.GET
    try:
        return request.POST
    except (RequestDataTooBig, TooManyFieldsSent) as error:
        raise ApiError("payload_too_large") from error


def _cleaned(params: QueryDict) -> QueryDict:
    """Every parameter through `clean_input`, as the REST API's schemas and the web forms
    do: a refused one answers with its code and changes nothing."""
    cleaned = QueryDict(mutable=True)
    for name, values in params.lists():
        for value in values:
            if len(value) > SCAN_MAX:  # refused unread: no parameter holds as much
                raise ApiError("invalid_input", fields={name: str(_("This text is too long."))})
            try:
                cleaned.appendlist(name, clean_input(value, multiline=name == "description"))
            except TextRefused as error:
                fields = {name: refusal_message(error)}
                raise ApiError(error.code, fields=fields) from error
    return cleaned


def _ident(text: str) -> int | None:
    """A case id from the URL or a filter; None for anything that cannot be one."""
    return parse_id(text)


def unknown(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other address under /open311/v2/: the spec's error document."""
    fmt = rest.rsplit(".", 1)[-1] if "." in rest else ""
    error = ApiError("not_found") if fmt in FORMATS else ApiError("unknown_format")
    return render(error_doc(error), fmt)


# --- discovery and services


@endpoint("GET")
def discovery(call: Call) -> Doc:
    production = {
        "specification": SPECIFICATION,
        "url": call.request.build_absolute_uri("./"),
        "changeset": CHANGESET,
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }
    body = {
        "changeset": CHANGESET,
        "contact": gettext("The administrators of %(site)s: %(url)s")
        % {"site": settings.DANVAN_SITE_NAME, "url": settings.DANVAN_SITE_URL},
        "key_service": gettext(
            "API keys for filing letters are issued by the platform's administrators"
            " (administration site, API keys)."
        ),
        "endpoints": [production],
    }
    return Doc("discovery", body)


def _topics() -> QuerySet[Topic]:
    return Topic.objects.filter(is_public=True, is_active=True).select_related("parent")


@endpoint("GET")
def services(call: Call) -> Doc:
    rows = [
        {
            "service_code": topic.code,
            "service_name": topic.name,
            "description": topic.name,
            "metadata": True,
            "type": "realtime",
            "keywords": "",
            "group": topic.parent.name if topic.parent else "",
        }
        for topic in _topics()
    ]
    return Doc("services", rows)


@endpoint("GET")
def service_definition(call: Call, code: str) -> Doc:
    if not _topics().filter(code=code).exists():
        raise ApiError("unknown_service")
    kinds = [{"key": kind.value, "name": str(kind.label)} for kind in API_KINDS]
    units = [{"key": unit.code, "name": unit.name} for unit in served_communes()]
    attributes = [
        _attribute(1, "kind", "singlevaluelist", _("Kind of letter"), kinds),
        _attribute(2, "unit_code", "singlevaluelist", _("Commune or ward concerned"), units),
        _attribute(3, "name", "string", _("Full name of the sender"), []),
        _attribute(4, "address", "string", _("Address of the sender"), []),
    ]
    return Doc("service_definition", {"service_code": code, "attributes": attributes})


def _attribute(order: int, code: str, datatype: str, description: Any, values: list[Any]) -> Any:
    return {
        "variable": True,
        "code": code,
        "datatype": datatype,
        "required": False,
        "datatype_description": "",
        "order": order,
        "description": str(description),
        "values": values,
    }


# --- reading requests


def _readable() -> QuerySet[Case]:
    latest = Max("events__at", filter=Q(events__is_public=True))
    return public_cases().select_related("topic", "agency").annotate(updated_at=latest)


def _request_row(case: Case) -> dict[str, Any]:
    place = public_location(case)
    names = submitter_names(case)
    due = case.due_on
    expected = timezone.make_aware(datetime.combine(due, time(23, 59, 59))) if due else None
    return {
        "service_request_id": str(case.pk),
        "status": "closed" if case.status in CLOSED else "open",
        "status_notes": str(Status(case.status).label),
        "service_name": case.topic.name if case.topic else "",
        "service_code": case.topic.code if case.topic else "",
        "description": public_text(case.content, names=names),
        "agency_responsible": case.agency.name,
        "service_notice": "",
        "requested_datetime": stamp(case.received_at),
        "updated_datetime": stamp(getattr(case, "updated_at", None) or case.received_at),
        "expected_datetime": stamp(expected),
        "address": public_text(case.address, names=names),
        "address_id": "",
        "zipcode": "",
        "lat": place[0] if place else None,
        "long": place[1] if place else None,
        "media_url": "",
    }


def _when(params: Any, name: str) -> datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as error:
        problem = _("Use an ISO 8601 date and time, e.g. 2026-11-23T09:00:00+07:00.")
        raise ApiError("invalid_input", fields={name: str(problem)}) from error
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _listed(values: str) -> list[str]:
    return [value.strip() for value in values.split(",") if value.strip()]


def _filtered(cases: QuerySet[Case], params: Any) -> QuerySet[Case]:
    if ids := _listed(params.get("service_request_id", "")):
        return cases.filter(pk__in=[_ident(i) for i in ids if _ident(i)])  # others ignored
    if codes := _listed(params.get("service_code", "")):
        cases = cases.filter(topic__code__in=codes)
    start, end = _when(params, "start_date"), _when(params, "end_date")
    if start is None:
        start = (end or timezone.now()) - timedelta(days=DEFAULT_DAYS)
    cases = cases.filter(received_at__gte=start)
    if end is not None:
        cases = cases.filter(received_at__lte=end)
    return _by_status(cases, set(_listed(params.get("status", ""))))


def _by_status(cases: QuerySet[Case], wanted: set[str]) -> QuerySet[Case]:
    if wanted - {"open", "closed"}:
        problem = _("Status must be open or closed.")
        raise ApiError("invalid_input", fields={"status": str(problem)})
    if wanted == {"open"}:
        return cases.exclude(status__in=CLOSED)
    if wanted == {"closed"}:
        return cases.filter(status__in=CLOSED)
    return cases


def requests_list(call: Call) -> Doc:
    cases = _filtered(_readable(), call.params).order_by("-received_at", "-pk")
    return Doc("service_requests", [_request_row(case) for case in cases[:MAX_RESULTS]])


@endpoint("GET")
def request_one(call: Call, request_id: str) -> Doc:
    pk = _ident(request_id)
    case = _readable().filter(pk=pk).first() if pk else None
    if case is None:
        raise ApiError("not_found")
    return Doc("service_requests", [_request_row(case)])


@endpoint("GET")
def token(call: Call, token: str) -> Doc:
    case = Case.objects.filter(idempotency_key=IDEMPOTENCY_PREFIX + token).only("pk").first()
    if case is None:
        raise ApiError("not_found")
    return Doc("service_requests", [{"service_request_id": str(case.pk), "token": token}])


# --- filing a request


class PostForm(TextForm):
    """The Open311 fields the intake does not check itself; lengths bound what is read."""

    address_id = forms.CharField(max_length=100, required=False)
    device_id = forms.CharField(max_length=100, required=False)
    account_id = forms.CharField(max_length=100, required=False)
    first_name = forms.CharField(max_length=70, required=False)
    last_name = forms.CharField(max_length=70, required=False)


def requests_post(call: Call) -> Doc:
    key = require(call.key, Scope.SUBMIT)
    form = PostForm(call.params)
    if not form.is_valid():
        raise form_error(form)
    data = form.cleaned_data
    fields = {intake: call.params.get(name, "") for name, intake in POST_FIELDS.items()}
    full_name = f"{data['first_name']} {data['last_name']}".strip()
    fields["name"] = call.params.get("attribute[name]", "").strip() or full_name
    secret = _token(call.request.headers.get("Idempotency-Key", ""), key)
    try:
        case, created = letter_submit(fields, key=key, idempotency_key=IDEMPOTENCY_PREFIX + secret)
    except ApiError as error:
        raise _in_open311_names(error) from error
    row = {
        "service_request_id": str(case.pk),
        "service_notice": _notice(case),
        "account_id": data["account_id"],
        "token": secret,
    }
    return Doc("service_requests", [row], status=201 if created else 200)


def _token(raw: str, key: ApiKey) -> str:
    """The request's token: random, or, when the caller sent an Idempotency-Key, derived
    from it and the API key, so that a retry finds its first letter (and the same token)."""
    if not raw:
        return secrets.token_urlsafe(16)
    if len(raw) > IDEMPOTENCY_KEY_MAX:
        raise ApiError(
            "invalid_input", fields={"Idempotency-Key": str(_("This text is too long."))}
        )
    return salted_hmac(IDEMPOTENCY_SALT, f"{key.prefix}:{raw}", algorithm="sha256").hexdigest()[:32]


def _in_open311_names(error: ApiError) -> ApiError:
    fields = {OPEN311_NAMES.get(name, name): text for name, text in error.fields.items()}
    return ApiError(error.code, error.message, fields, error.retry_after)


def _notice(case: Case) -> str:
    if case.due_on is None:
        return gettext("Tracking code: %(code)s") % {"code": case.tracking_code}
    return gettext("Tracking code: %(code)s; deadline: %(due)s") % {
        "code": case.tracking_code,
        "due": case.due_on.strftime("%d/%m/%Y"),
    }


@endpoint("GET", "POST")
def requests(call: Call) -> Doc:
    return requests_post(call) if call.request.method == "POST" else requests_list(call)


urlpatterns: list[URLPattern] = [
    path("discovery.<text:fmt>", discovery),
    path("services.<text:fmt>", services),
    path("services/<text:code>.<text:fmt>", service_definition),
    path("requests.<text:fmt>", requests),
    path("requests/<text:request_id>.<text:fmt>", request_one),
    path("tokens/<text:token>.<text:fmt>", token),
    re_path(r"^(?P<rest>.*)$", unknown),
]
