"""Reads for the officer's case page: its files and the letters linked to it."""

from django.db.models import QuerySet

from danvan.accounts.access import AnyUser

from .access import visible_cases
from .identity import link_shown, sender_link_fields, without_sealed
from .models import Attachment, Case

RELATED_MAX = 20
RELATED_SCAN = 200  # newest linked ids considered before the access filter


def case_attachments(*, case: Case) -> list[Attachment]:
    return list(case.attachments.all())


def related_cases(*, case: Case, user: AnyUser) -> list[Case]:
    """Parts split from it or it from, complaint rounds, and other letters of the same sender.

    Only letters the officer may see. The same-sender links never touch a sealed letter, in
    either direction (`identity.sender_link_fields`, `identity.without_sealed`): a
    denunciation is never tied to its sender's other letters; a split or round link across
    a seal is shown only to those who may see the sealed sender (`identity.link_shown`).
    Each link is looked up through its own index and the ids united first: one OR over
    them lets the database walk the whole agency instead (seconds at a million letters).
    """
    links = [("pk", case.parent_id), ("pk", case.first_round_id), ("parent_id", case.pk),
             ("first_round_id", case.pk)]  # fmt: skip
    parts: list[QuerySet[Case]] = [
        Case.objects.filter(**{field: value}) for field, value in links if value
    ]
    parts += [
        without_sealed(Case.objects.filter(**{field: value}))
        for field, value in sender_link_fields(case)
        if value
    ]
    first, *rest = [part.values_list("pk") for part in parts]
    ids = [pk for (pk,) in first.union(*rest).order_by("-pk")[:RELATED_SCAN]]
    rows = visible_cases(user).filter(pk__in=ids).exclude(pk=case.pk).select_related("agency")
    shown = [other for other in rows.order_by("-received_at") if link_shown(user, case, other)]
    return shown[:RELATED_MAX]
