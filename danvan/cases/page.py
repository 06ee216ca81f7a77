"""Reads for the officer's case page: its files and the letters linked to it."""

from danvan.accounts.access import AnyUser

from .access import visible_cases
from .models import Attachment, Case

RELATED_MAX = 20
RELATED_SCAN = 200  # newest linked ids considered before the access filter


def case_attachments(*, case: Case) -> list[Attachment]:
    return list(case.attachments.all())


def related_cases(*, case: Case, user: AnyUser) -> list[Case]:
    """Parts split from it or it from, complaint rounds, and other letters of the same sender.

    Only letters the officer may see; the same-sender match never uses a sealed identity.
    Each link is looked up through its own index and the ids united first: one OR over
    them lets the database walk the whole agency instead (seconds at a million letters).
    """
    links = [("pk", case.parent_id), ("pk", case.first_round_id), ("parent_id", case.pk),
             ("first_round_id", case.pk), ("submitter_phone", case.submitter_phone),
             ("submitter_email", case.submitter_email), ("citizen_id", case.citizen_id)]  # fmt: skip
    parts = [
        Case.objects.filter(**{field: value}).values_list("pk") for field, value in links if value
    ]
    first, *rest = parts
    ids = [pk for (pk,) in first.union(*rest).order_by("-pk")[:RELATED_SCAN]]
    rows = visible_cases(user).filter(pk__in=ids).exclude(pk=case.pk).select_related("agency")
    return list(rows.order_by("-received_at")[:RELATED_MAX])
