"""The REST API's request and response shapes, as its OpenAPI document publishes them."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal, get_args

from ninja import Field, Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from danvan.cases.actions import ACTIONS
from danvan.cases.workflow import Kind, Status
from danvan.core.forms import refusal_message
from danvan.core.text import SCAN_MAX, TextRefused, clean_input

KindCode = Literal["feedback", "petition", "complaint", "denunciation"]
StatusCode = Literal[
    "received",
    "classified",
    "accepted",
    "declined",
    "forwarded",
    "guided",
    "in_progress",
    "info_requested",
    "extended",
    "resolved",
    "closed",
]
ActionCode = Literal[
    "classify",
    "answer",
    "accept",
    "decline",
    "forward",
    "guide",
    "start",
    "request_info",
    "receive_info",
    "extend",
    "resolve",
    "close",
]
if set(get_args(KindCode)) != set(Kind.values) or set(get_args(StatusCode)) != set(Status.values):
    raise ImportError("the API's kinds or statuses differ from the workflow's")
if set(get_args(ActionCode)) != set(ACTIONS):
    raise ImportError("the API's actions differ from the case page's table (cases.actions)")


def _cleaning(*, multiline: bool) -> Callable[[Any], Any]:
    """`clean_input` before pydantic checks the type and the length, as the web forms do;
    a refusal is a validation error whose type is the refusal's code."""

    def clean(value: Any) -> Any:
        if not isinstance(value, str):
            return value  # pydantic names the wrong type itself
        if len(value) > SCAN_MAX:  # refused by its length, unread (every field holds less)
            raise PydanticCustomError("string_too_long", "This text is too long.")
        try:
            return clean_input(value, multiline=multiline)
        except TextRefused as error:
            raise PydanticCustomError(error.code, refusal_message(error)) from error

    return clean


# Every text an input schema, a query or a path of the API takes is one of these two.
Text = Annotated[str, BeforeValidator(_cleaning(multiline=True))]
Line = Annotated[str, BeforeValidator(_cleaning(multiline=False))]


class ErrorDetail(Schema):
    code: str = Field(description="A stable code, e.g. invalid_input, not_found, rate_limited.")
    message: str = Field(description="The message, in the caller's language (Vietnamese first).")
    fields: dict[str, str] = Field(description="Field name -> what is wrong with it.")


class ErrorOut(Schema):
    error: ErrorDetail


class TopicOut(Schema):
    code: str
    name: str
    parent_code: str | None


class UnitOut(Schema):
    code: str
    name: str
    short_name: str


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    type: str


class CaseIn(Schema):
    """A letter, with the fields of the Open311 POST (a topic is a "service")."""

    service_code: Line = Field(
        min_length=1, max_length=40, description="A topic code from GET /topics."
    )
    kind: Literal["feedback", "petition", "complaint"] | None = Field(
        None, description="feedback (default), petition or complaint; denunciations: in person."
    )
    description: Text = Field(min_length=1, max_length=10_000)
    title: Line | None = Field(None, max_length=200)
    unit_code: Line | None = Field(None, max_length=5, description="A commune code (GET /units).")
    lat: float | None = Field(None, ge=-90, le=90)
    long: float | None = Field(None, ge=-180, le=180)
    address_string: Line | None = Field(None, max_length=250)
    name: Line | None = Field(None, max_length=150)
    address: Line | None = Field(
        None,
        max_length=250,
        description="The sender's own address; a complaint needs it with the name (LKN Art. 8).",
    )
    phone: Line | None = Field(None, max_length=20)
    email: Line | None = Field(None, max_length=254)
    media_url: Line | None = Field(None, max_length=500)


class CaseCreatedOut(Schema):
    tracking_code: str
    status: StatusCode
    status_label: str
    due_on: date | None
    received_at: datetime


class EventOut(Schema):
    action: str
    label: str
    at: datetime


class StaffEventOut(EventOut):
    note: str
    is_public: bool


class TrackOut(Schema):
    tracking_code: str
    status: StatusCode
    status_label: str
    kind: KindCode
    kind_label: str
    topic_code: str | None
    topic: str | None
    unit_code: str
    unit: str
    received_at: datetime
    due_on: date | None
    answer: str | None = Field(description="The answer, once the case is resolved.")
    events: list[EventOut]


class CaseItemOut(Schema):
    id: int
    tracking_code: str
    kind: KindCode
    status: StatusCode
    status_label: str
    title: str
    topic_code: str | None
    unit_code: str
    received_at: datetime
    due_on: date | None
    assignee: str | None


class CasePageOut(Schema):
    cases: list[CaseItemOut]
    next: str | None = Field(description="Pass as `after` for the next page; null at the end.")


class SubmitterOut(Schema):
    name: str
    phone: str
    email: str
    address: str


class CaseDetailOut(CaseItemOut):
    content: str
    address: str
    latitude: float | None
    longitude: float | None
    channel: str
    agency_code: str
    anonymous: bool
    identity_protected: bool = Field(
        description="A denouncer's identity is sealed; the API never returns it."
    )
    submitter: SubmitterOut | None
    answer: str
    decline_reason: str
    allowed_actions: list[str]
    events: list[StaffEventOut]


class ActionDoneOut(CaseDetailOut):
    message: str = Field(description="What the case page tells the officer for this step.")


class ActionIn(Schema):
    """What an action needs; fields an action does not use are ignored."""

    note: Text | None = Field(None, max_length=10_000)
    answer: Text | None = Field(None, max_length=20_000, description="resolve, answer: the answer.")
    reason: Line | None = Field(None, max_length=20, description="decline: a decline reason.")
    agency_code: Line | None = Field(None, max_length=40, description="forward: the agency.")
    variant: Line | None = Field(None, max_length=30, description="accept/extend: complexity.")
    kind: KindCode | None = Field(None, description="classify: the kind.")
    topic_code: Line | None = Field(None, max_length=40, description="classify: the topic.")
