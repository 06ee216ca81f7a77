"""Who may do what with dialogues and commitments. Every dialogue view starts here.

Public: the list, a conference page, asking, voting, the accountability pages.
The organising agency's officials (reception, handling officers and heads): the organiser
page, moderation, grouping, the minutes. The owner agency's officials: progress and closing.
Anyone else gets a 404, as with cases: an outsider learns nothing from the answer.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from danvan.accounts.access import AnyUser, agency_ids_of
from danvan.accounts.roles import Role

from .models import Commitment, Dialogue, Evidence

ACTING_ROLES = {Role.RECEPTION_OFFICER, Role.HANDLING_OFFICER, Role.HEAD}
# Who is reminded of a commitment's due date (the reception officer does not keep promises).
OWNER_REMINDED_ROLES = {Role.HANDLING_OFFICER, Role.HEAD}


def organiser_agency_ids(user: AnyUser) -> set[int]:
    return agency_ids_of(user, roles=ACTING_ROLES)


def can_organise_any(user: AnyUser) -> bool:
    return bool(organiser_agency_ids(user))


def can_organise(user: AnyUser, dialogue: Dialogue) -> bool:
    return dialogue.organiser_id in organiser_agency_ids(user)


def organised_dialogues(user: AnyUser) -> QuerySet[Dialogue]:
    return Dialogue.objects.filter(organiser_id__in=organiser_agency_ids(user))


def get_dialogue_for_organiser(user: AnyUser, pk: int) -> Dialogue:
    """The dialogue if `user` is an official of its organising agency; 404 otherwise."""
    dialogue = (
        organised_dialogues(user).select_related("organiser", "chair", "unit").filter(pk=pk).first()
    )
    if dialogue is None:
        raise Http404
    return dialogue


def owned_commitments(user: AnyUser) -> QuerySet[Commitment]:
    return Commitment.objects.filter(owner_id__in=agency_ids_of(user, roles=ACTING_ROLES))


def get_commitment_for_owner(user: AnyUser, pk: int) -> Commitment:
    """The commitment if `user` is an official of its owner agency; 404 otherwise."""
    commitment = (
        owned_commitments(user)
        .select_related("owner", "dialogue", "dialogue__organiser", "question", "case")
        .filter(pk=pk)
        .first()
    )
    if commitment is None:
        raise Http404
    return commitment


def get_evidence_for_official(user: AnyUser, commitment_pk: int, pk: int) -> Evidence:
    """An evidence file, for officials of the owner or the organising agency; 404 otherwise."""
    agencies = agency_ids_of(user, roles=ACTING_ROLES)
    evidence = (
        Evidence.objects.filter(pk=pk, update__commitment_id=commitment_pk)
        .filter(
            Q(update__commitment__owner_id__in=agencies)
            | Q(update__commitment__dialogue__organiser_id__in=agencies)
        )
        .first()
    )
    if evidence is None:
        raise Http404
    return evidence
