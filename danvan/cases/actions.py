"""The steps an officer takes on a letter: one table for the case page and the staff API.

Each row names the step (its URL segment and API path), the verb the officer clicks, the
Django form that checks what is sent, the service that does it and what the officer is told
when it is done. The case page renders the forms; the API binds the same forms to its JSON
and turns their errors into its error shape (danvan.api.staff). A refusal (the status has
moved on, someone else was quicker, the law forbids it) is one `Refused` for both, with
the API's error code and the officer's message.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import User

from . import forms, services
from .models import Case
from .one_step import answers_in_one_step, case_answer
from .workflow import Action, Status, target

ANSWER = "answer"  # the one-step answer of feedback: not a status change of its own


@dataclass(frozen=True)
class CaseAction:
    name: str
    verb: Promise
    form: type[forms.ActionForm]
    service: Callable[..., Case]
    done: Promise
    explain: Promise | None = None  # a line under the verb, when the verb is not enough

    def allowed(self, case: Case) -> bool:
        """May this step be taken on the letter now (its status, and for `answer` its kind)?"""
        if self.name == ANSWER:
            return answers_in_one_step(case)
        return target(Action(self.name), Status(case.status)) is not None

    def bind(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> forms.ActionForm:
        return self.form(data, **kwargs)


TABLE: tuple[CaseAction, ...] = (
    CaseAction("classify", pgettext_lazy("case action", "Classify"), forms.ClassifyForm,
               services.case_classify, _("The letter was classified.")),
    CaseAction(ANSWER, pgettext_lazy("case action", "Answer now"), forms.ResolveForm,
               case_answer, _("The answer was sent to the citizen."),
               _("Feedback needs no acceptance decision: the letter is classified, accepted"
                 " and answered at once, each step recorded in its history.")),
    CaseAction("accept", pgettext_lazy("case action", "Accept"), forms.AcceptForm,
               services.case_accept, _("The letter was accepted for handling.")),
    CaseAction("decline", pgettext_lazy("case action", "Decline"), forms.DeclineForm,
               services.case_decline, _("The letter was declined and archived.")),
    CaseAction("forward", pgettext_lazy("case action", "Forward"), forms.ForwardForm,
               services.case_forward, _("The letter was forwarded.")),
    CaseAction("guide", pgettext_lazy("case action", "Guide"), forms.RequiredNoteForm,
               services.case_guide, _("The guidance was sent to the citizen.")),
    CaseAction("start", pgettext_lazy("case action", "Start handling"), forms.NoteForm,
               services.case_start, _("Handling started.")),
    CaseAction("request_info", pgettext_lazy("case action", "Ask for information"),
               forms.RequiredNoteForm, services.case_request_info,
               _("The request for information was sent; the deadline is paused.")),
    CaseAction("receive_info", pgettext_lazy("case action", "Record the information"),
               forms.NoteForm, services.case_receive_info,
               _("The information was recorded; the deadline runs again.")),
    CaseAction("extend", pgettext_lazy("case action", "Extend"), forms.ExtendForm,
               services.case_extend, _("The deadline was extended.")),
    CaseAction("resolve", pgettext_lazy("case action", "Answer"), forms.ResolveForm,
               services.case_resolve, _("The answer was sent to the citizen.")),
    CaseAction("close", pgettext_lazy("case action", "Close"), forms.NoteForm,
               services.case_close, _("The letter was closed.")),
)  # fmt: skip
ACTIONS: dict[str, CaseAction] = {action.name: action for action in TABLE}


def available(case: Case) -> list[CaseAction]:
    """The steps that may be taken on the letter now, in the table's order."""
    return [action for action in TABLE if action.allowed(case)]


def initial(action: CaseAction, case: Case) -> dict[str, Any]:
    if action.name == "classify":  # the suggestion pre-fills what the citizen left open
        return {"kind": case.kind, "topic": case.topic_id or case.suggested_topic_id}
    return {}


@dataclass
class Refused(Exception):
    """The step was not taken: `code` for the API, `message` for the officer, and the form
    field it concerns when there is one."""

    code: str
    message: str
    field: str = ""


RULES: dict[str, Promise] = {
    "forward_once": _(
        "This letter was already forwarded once; the law allows forwarding the same content"
        " only once."
    ),
    "guide_once": _("The citizen was already guided once for this content."),
    "extension_max": _("The law allows no further extension for this letter."),
    "same_agency": _("The letter is already with this agency."),
}


def rule_message(code: str) -> str:
    return str(RULES.get(code, _("This step is not allowed by the rules.")))


def not_now() -> Refused:
    return Refused(
        "transition_not_allowed",
        gettext("This step is not possible in the letter's current status."),
    )


def take(action: CaseAction, *, case: Case, by: User, form: forms.ActionForm) -> Case:
    """Do the step with the form's checked data; raises `Refused` when it was not done.
    A file store that is away (StorageUnavailable) passes through: each caller has its
    own way of saying "try again later"."""
    try:
        return action.service(case=case, by=by, **form.cleaned_data)
    except services.TransitionError as error:
        raise not_now() from error
    except services.ConcurrentUpdate as error:
        message = gettext("Someone else changed this letter a moment ago. Check and try again.")
        raise Refused("conflict", message) from error
    except (services.RuleViolation, ValidationError) as error:
        raise Refused("invalid_input", rule_message(getattr(error, "code", ""))) from error
    except ValueError as error:  # a complexity the letter's deadline rule does not have
        if not form.cleaned_data.get("variant"):
            raise  # a fault, not a refusal: let it be seen
        message = gettext("This complexity does not apply to this kind of letter.")
        raise Refused("invalid_input", message, field="variant") from error
