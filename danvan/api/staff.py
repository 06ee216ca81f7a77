"""What an agency's key may do with the agency's cases: read the queue, read a case, act.

A key acts through an account of its own ("API: <key name>"), made the first time it
acts: the case's history then names the system that did it, never a person who did not.
That account cannot sign in (no password, inactive) and holds no role, so it sees nothing
through the web pages; the API checks the key's agency itself.

The API never opens a denouncer's sealed identity, whatever the key's scopes.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import User
from danvan.cases import services
from danvan.cases.models import Case, Topic
from danvan.cases.queries import deadline_page, first_of, page_key_valid
from danvan.cases.workflow import OPEN, Action, DeclineReason, Kind, Status, target
from danvan.core import refcache
from danvan.places.models import Agency

from .errors import ApiError
from .models import ApiKey

MAX_PAGE = 100
EXTEND_VARIANTS = ("", "complex", "especially_complex")


def key_user(key: ApiKey) -> User:
    """The key's own account, made on first use."""
    if key.user_id is not None:
        return key.user  # type: ignore[return-value]
    with transaction.atomic():
        user, _created = User.objects.get_or_create(
            email=f"api-{key.prefix}@api.invalid",
            defaults={"full_name": f"API: {key.name}"[:150], "is_active": False},
        )
        if _created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        ApiKey.objects.filter(pk=key.pk, user__isnull=True).update(user=user)
        refcache.changed()
    key.user = user
    return user


@dataclass(frozen=True)
class QueuePage:
    cases: list[Case]
    next: str | None


def agency_cases(key: ApiKey) -> QuerySet[Case]:
    if key.agency_id is None:  # access.require refuses such a key first
        return Case.objects.none()
    return Case.objects.filter(agency_id=key.agency_id)


def queue(
    key: ApiKey,
    *,
    status: str | None = None,
    kind: str | None = None,
    topic: str | None = None,
    after: str | None = None,
    limit: int = 25,
) -> QueuePage:
    """The agency's cases in the web queue's order (earliest deadline first, then those
    without a deadline, newest first), `limit` at a time after the cursor `after`.

    Two queries whatever the page size: one per part of the order (see case_queue).
    """
    cases = agency_cases(key)
    cases = cases.filter(status=status) if status else cases.filter(status__in=OPEN)
    if kind:
        cases = cases.filter(kind=kind)
    if topic:
        found = Topic.objects.filter(code=topic).values_list("pk", flat=True).first()
        if found is None:
            raise ApiError("invalid_input", fields={"topic": str(_("There is no such topic."))})
        cases = cases.filter(
            topic_id__in=Topic.objects.filter(Q(pk=found) | Q(parent_id=found)).values("pk")
        )
    if after and not page_key_valid(after):
        raise ApiError("invalid_input", fields={"after": str(_("This cursor is not valid."))})
    page = deadline_page(cases.select_related("unit", "topic", "assignee"), after=after, size=limit)
    return QueuePage(page.cases, page.next_key)


def case_of(key: ApiKey, pk: int) -> Case:
    """The agency's case `pk`; not_found for another agency's case, as for none at all."""
    cases = agency_cases(key).select_related("agency", "unit", "topic", "assignee")
    case = first_of(cases.filter(pk=pk))
    if case is None:
        raise ApiError("not_found")
    return case


def _text(value: str | None) -> str:
    return (value or "").strip()


def _required(fields: dict[str, Any], name: str) -> str:
    value = _text(fields.get(name))
    if not value:
        raise ApiError("invalid_input", fields={name: str(_("This field is required."))})
    return value


def _classify(fields: dict[str, Any]) -> dict[str, Any]:
    kind = _required(fields, "kind")
    topic = None
    if code := _text(fields.get("topic_code")):
        topic = Topic.objects.filter(code=code, is_active=True).first()
        if topic is None:
            raise ApiError(
                "invalid_input", fields={"topic_code": str(_("There is no such topic."))}
            )
    return {"kind": Kind(kind), "topic": topic, "note": _text(fields.get("note"))}


def _decline(fields: dict[str, Any]) -> dict[str, Any]:
    reason = _required(fields, "reason")
    if reason not in DeclineReason.values:
        raise ApiError(
            "invalid_input", fields={"reason": str(_("Choose one of the allowed values."))}
        )
    return {"reason": reason, "note": _required(fields, "note")}


def _forward(fields: dict[str, Any]) -> dict[str, Any]:
    code = _required(fields, "agency_code")
    agency = Agency.objects.filter(code=code, is_active=True).first()
    if agency is None:
        raise ApiError("invalid_input", fields={"agency_code": str(_("There is no such agency."))})
    return {"agency": agency, "note": _required(fields, "note")}


def _extend(fields: dict[str, Any]) -> dict[str, Any]:
    variant = _text(fields.get("variant"))
    if variant not in EXTEND_VARIANTS:
        raise ApiError(
            "invalid_input", fields={"variant": str(_("Choose one of the allowed values."))}
        )
    return {"variant": variant, "note": _required(fields, "note")}


def _accept(fields: dict[str, Any]) -> dict[str, Any]:
    return {"variant": _text(fields.get("variant")), "note": _text(fields.get("note"))}


def _note(fields: dict[str, Any]) -> dict[str, Any]:
    return {"note": _text(fields.get("note"))}


def _required_note(fields: dict[str, Any]) -> dict[str, Any]:
    return {"note": _required(fields, "note")}


def _resolve(fields: dict[str, Any]) -> dict[str, Any]:
    return {"answer": _required(fields, "answer")}


ACTIONS: dict[Action, tuple[Callable[[dict[str, Any]], dict[str, Any]], Callable[..., Case]]] = {
    Action.CLASSIFY: (_classify, services.case_classify),
    Action.ACCEPT: (_accept, services.case_accept),
    Action.DECLINE: (_decline, services.case_decline),
    Action.FORWARD: (_forward, services.case_forward),
    Action.GUIDE: (_required_note, services.case_guide),
    Action.START: (_note, services.case_start),
    Action.REQUEST_INFO: (_required_note, services.case_request_info),
    Action.RECEIVE_INFO: (_note, services.case_receive_info),
    Action.EXTEND: (_extend, services.case_extend),
    Action.RESOLVE: (_resolve, services.case_resolve),
    Action.CLOSE: (_note, services.case_close),
}


def rule_message(code: str) -> str:
    return str(
        {
            "forward_once": _(
                "This letter was already forwarded once; the law allows forwarding the same"
                " content only once."
            ),
            "guide_once": _("The citizen was already guided once for this content."),
            "extension_max": _("The law allows no further extension for this letter."),
            "same_agency": _("The letter is already with this agency."),
        }.get(code, _("This step is not allowed by the rules."))
    )


def act(key: ApiKey, case: Case, action: str, fields: dict[str, Any]) -> Case:
    """Take `action` on the agency's `case`, as the services do for an officer."""
    chosen = Action(action)
    check, service = ACTIONS[chosen]
    if target(chosen, Status(case.status)) is None:
        raise ApiError("transition_not_allowed")
    arguments = check(fields)
    try:
        return service(case=case, by=key_user(key), **arguments)
    except services.TransitionError as error:
        raise ApiError("transition_not_allowed") from error
    except services.ConcurrentUpdate as error:
        raise ApiError("conflict") from error
    except services.RuleViolation as error:
        raise ApiError("invalid_input", message=rule_message(error.code)) from error
    except ValueError as error:  # a deadline variant the rules do not know
        raise ApiError(
            "invalid_input", fields={"variant": str(_("Choose one of the allowed values."))}
        ) from error
