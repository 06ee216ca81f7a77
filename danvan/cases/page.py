"""Reads for the officer's case page: its files and the letters linked to it."""

from django.db.models import Q

from danvan.accounts.access import AnyUser

from .access import visible_cases
from .models import Attachment, Case

RELATED_MAX = 20


def case_attachments(*, case: Case) -> list[Attachment]:
    return list(case.attachments.all())


def related_cases(*, case: Case, user: AnyUser) -> list[Case]:
    """Parts split from it or it from, complaint rounds, and earlier letters of the same sender.

    Only letters the officer may see; the same-sender match never uses a sealed identity.
    """
    links = Q(parent_id=case.pk) | Q(first_round_id=case.pk)
    if case.parent_id:
        links |= Q(pk=case.parent_id)
    if case.first_round_id:
        links |= Q(pk=case.first_round_id)
    if case.submitter_phone:
        links |= Q(submitter_phone=case.submitter_phone)
    if case.submitter_email:
        links |= Q(submitter_email=case.submitter_email)
    if case.citizen_id:
        links |= Q(citizen_id=case.citizen_id)
    rows = visible_cases(user).filter(links).exclude(pk=case.pk).select_related("agency")
    return list(rows.order_by("-received_at")[:RELATED_MAX])
