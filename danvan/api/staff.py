"""What an agency's key may do with the agency's cases: read the queue, read a case, act.

A key acts through an account of its own ("API: <key name>"), made the first time it
acts: the case's history then names the system that did it, never a person who did not.
That account cannot sign in (no password, inactive) and holds no role, so it sees nothing
through the web pages; the API checks the key's agency itself.

The API never opens a denouncer's sealed identity, whatever the key's scopes.
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import User
from danvan.cases.actions import ACTIONS, Refused, available, not_now, take
from danvan.cases.forms import ActionForm
from danvan.cases.models import Case, Topic
from danvan.cases.queries import deadline_page, first_of, page_key_valid
from danvan.cases.workflow import OPEN
from danvan.core import refcache

from .errors import ApiError, input_code
from .models import ApiKey

MAX_PAGE = 100


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


# The API names a topic and an agency by code; the forms' fields are `topic` and `agency`.
API_NAMES = {"topic_code": "topic", "agency_code": "agency"}
FORM_NAMES = {form: api for api, form in API_NAMES.items()}


def allowed_actions(case: Case) -> list[str]:
    return [action.name for action in available(case)]


def act(key: ApiKey, case: Case, action: str, fields: dict[str, Any]) -> tuple[Case, str]:
    """Take `action` on the agency's `case` through the case page's table: the same form
    checks the fields, the same service acts, the same message says it is done."""
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise ApiError("not_found")
    if not chosen.allowed(case):
        raise ApiError("transition_not_allowed", message=not_now().message)
    data = {API_NAMES.get(name, name): value for name, value in fields.items() if value is not None}
    form = chosen.bind(data, by_code=True, case=case)
    if not form.is_valid():
        raise form_error(form)
    try:
        moved = take(chosen, case=case, by=key_user(key), form=form)
    except Refused as refused:
        fields_named = {refused.field: refused.message} if refused.field else {}
        raise ApiError(refused.code, message=refused.message, fields=fields_named) from refused
    return moved, str(chosen.done)


def form_error(form: ActionForm) -> ApiError:
    """The form's problems in the API's shape: each field under the API's name for it."""
    problems = form.errors.as_data()
    codes = [error.code or "" for errors in problems.values() for error in errors]
    fields = {
        FORM_NAMES.get(name, name): str(errors[0].messages[0]) for name, errors in problems.items()
    }
    return ApiError(input_code(codes), fields=fields)
