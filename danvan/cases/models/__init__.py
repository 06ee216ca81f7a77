"""The models of cases, one module per job; every model is importable from here."""

from .duplicates import CaseFingerprint, CaseLink
from .held import HeldFile
from .identity import DenouncerIdentity, HandlingDelegation, IdentityLook
from .letter import Attachment, Case, CaseEvent, Channel
from .notices import Notification
from .triage import KeywordRule, RoutingRule, SuggestionModel, SuggestionSettings, Topic

__all__ = [
    "Attachment",
    "Case",
    "CaseEvent",
    "CaseFingerprint",
    "CaseLink",
    "Channel",
    "DenouncerIdentity",
    "HandlingDelegation",
    "HeldFile",
    "IdentityLook",
    "KeywordRule",
    "Notification",
    "RoutingRule",
    "SuggestionModel",
    "SuggestionSettings",
    "Topic",
]
