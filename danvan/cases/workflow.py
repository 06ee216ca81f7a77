"""Case kinds, statuses and the transitions allowed between them. Boring on purpose."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    FEEDBACK = "feedback", _("Feedback")
    PETITION = "petition", _("Petition")
    COMPLAINT = "complaint", _("Complaint")
    DENUNCIATION = "denunciation", _("Denunciation")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    CLASSIFIED = "classified", _("Classified")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    FORWARDED = "forwarded", _("Forwarded")
    GUIDED = "guided", _("Guided to the competent body")
    IN_PROGRESS = "in_progress", _("In progress")
    INFO_REQUESTED = "info_requested", _("Waiting for information")
    EXTENDED = "extended", _("Extended")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class Action(models.TextChoices):
    """What happened, as recorded in a case's events."""

    SUBMIT = "submit", _("Submitted")
    CLASSIFY = "classify", _("Classified")
    ACCEPT = "accept", _("Accepted")
    DECLINE = "decline", _("Declined")
    FORWARD = "forward", _("Forwarded")
    GUIDE = "guide", _("Guided")
    START = "start", _("Handling started")
    REQUEST_INFO = "request_info", _("Information requested")
    RECEIVE_INFO = "receive_info", _("Information received")
    EXTEND = "extend", _("Deadline extended")
    RESOLVE = "resolve", _("Answered")
    CLOSE = "close", _("Closed")
    ASSIGN = "assign", _("Assigned")
    RATE = "rate", _("Rated")
    MARK_OVERDUE = "mark_overdue", _("Overdue")
    REMIND = "remind", _("Reminder sent")
    SPLIT = "split", _("Split into cases")
    LINK = "link", _("Linked to a letter on the same matter")
    MERGE = "merge", _("Merged into a letter on the same matter")
    RETAIN = "retain", _("Kept in the archive for another period")
    DESTROY = "destroy", _("Destroyed after the retention period (TT 05/2021 Art. 28)")


S, A = Status, Action
# (action, from status) -> to status
TRANSITIONS: dict[tuple[Action, Status], Status] = {
    (A.CLASSIFY, S.RECEIVED): S.CLASSIFIED,
    (A.ACCEPT, S.CLASSIFIED): S.ACCEPTED,
    (A.DECLINE, S.RECEIVED): S.DECLINED,
    (A.DECLINE, S.CLASSIFIED): S.DECLINED,
    (A.FORWARD, S.RECEIVED): S.FORWARDED,
    (A.FORWARD, S.CLASSIFIED): S.FORWARDED,
    (A.GUIDE, S.RECEIVED): S.GUIDED,
    (A.GUIDE, S.CLASSIFIED): S.GUIDED,
    (A.START, S.ACCEPTED): S.IN_PROGRESS,
    (A.REQUEST_INFO, S.IN_PROGRESS): S.INFO_REQUESTED,
    (A.REQUEST_INFO, S.EXTENDED): S.INFO_REQUESTED,
    (A.RECEIVE_INFO, S.INFO_REQUESTED): S.IN_PROGRESS,
    (A.EXTEND, S.IN_PROGRESS): S.EXTENDED,
    (A.EXTEND, S.EXTENDED): S.EXTENDED,
    (A.RESOLVE, S.IN_PROGRESS): S.RESOLVED,
    (A.RESOLVE, S.EXTENDED): S.RESOLVED,
    (A.CLOSE, S.RESOLVED): S.CLOSED,
    (A.CLOSE, S.DECLINED): S.CLOSED,
    (A.CLOSE, S.FORWARDED): S.CLOSED,
    (A.CLOSE, S.GUIDED): S.CLOSED,
    # A duplicate found before it is accepted is handled with the earlier letter.
    (A.MERGE, S.RECEIVED): S.CLOSED,
    (A.MERGE, S.CLASSIFIED): S.CLOSED,
}

OPEN = frozenset(set(Status) - {S.CLOSED, S.DECLINED, S.FORWARDED, S.GUIDED, S.RESOLVED})
# Statuses in which the resolution clock runs (after acceptance, before the answer).
HANDLING = frozenset({S.ACCEPTED, S.IN_PROGRESS, S.EXTENDED})


def allowed_actions(status: Status) -> list[Action]:
    return [action for (action, source) in TRANSITIONS if source == status]


def target(action: Action, status: Status) -> Status | None:
    return TRANSITIONS.get((action, status))


# Reasons to decline, from the law (LKN Art. 11; LTC Art. 25, 29; TT 05/2021 Art. 6, 28).
class DeclineReason(models.TextChoices):
    NOT_ELIGIBLE = (
        "not_eligible",
        _("The letter lacks what the law requires (TT 05/2021 Art. 6(2))"),
    )
    ANONYMOUS = (
        "anonymous",
        _("Anonymous denunciation without verifiable evidence (Luật Tố cáo Art. 25)"),
    )
    ALREADY_DECIDED = (
        "already_decided",
        _("Already settled by a binding decision (TT 05/2021 Art. 28)"),
    )
    TIME_LIMIT = (
        "time_limit",
        _("Filed after the time limit without a valid reason (Luật Khiếu nại Art. 9, 11)"),
    )
    NO_INTEREST = (
        "no_interest",
        _("The complainant has no direct interest (Luật Khiếu nại Art. 11)"),
    )
    INTERNAL_ACT = "internal_act", _("An internal act of a state body (Luật Khiếu nại Art. 11)")
    IN_COURT = "in_court", _("Already brought before a court (Luật Khiếu nại Art. 11)")
    DUPLICATE = "duplicate", _("Same content as a letter already handled (TT 05/2021 Art. 28)")
    WITHDRAWN = "withdrawn", _("Withdrawn by the citizen")
