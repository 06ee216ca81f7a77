"""Answering feedback in one step: a pothole should not take four clicks.

Feedback (phản ánh) reports a problem; no law asks for a decision to accept it before the
answer, unlike a complaint (Luật Khiếu nại Art. 27) or a denunciation (Luật Tố cáo Art. 29).
The one step walks the same public services as the four clicks, in one transaction, so
the history, the deadlines and the statistics read exactly as if the officer had clicked
each step.
"""

from django.conf import settings
from django.db import transaction

from danvan.accounts.models import User

from . import services
from .models import Case
from .workflow import Action, Kind, Status

# Whatever the settings say: these kinds need their acceptance decision and its notice.
NEVER_ONE_STEP = frozenset({Kind.COMPLAINT, Kind.DENUNCIATION})
BEFORE_ACCEPTANCE = frozenset({Status.RECEIVED, Status.CLASSIFIED})


def answers_in_one_step(case: Case) -> bool:
    """The letter's kind may be answered at once, and it has not been accepted yet."""
    kinds = set(settings.DANVAN_ONE_STEP_ANSWER_KINDS) - NEVER_ONE_STEP
    return case.kind in kinds and case.status in BEFORE_ACCEPTANCE


def case_answer(*, case: Case, by: User, answer: str) -> Case:
    """Classify (as filed), accept, start and answer: one click, four recorded steps."""
    if not answers_in_one_step(case):
        raise services.TransitionError(Action.RESOLVE, case.status)
    with transaction.atomic():
        if case.status == Status.RECEIVED:
            case = services.case_classify(case=case, by=by, kind=case.kind, topic=case.topic)
        case = services.case_accept(case=case, by=by)
        case = services.case_start(case=case, by=by)
        return services.case_resolve(case=case, by=by, answer=answer)
