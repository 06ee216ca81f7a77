"""Who designates a denunciation's handler besides the head: an officer the head delegated in
writing (a document with its number and date, for a period), recorded by the head here.

The head of the agency resolves a denunciation (Luật Tố cáo 2018 Art. 12-15) and decides who
handles it; a delegation lets one officer make that choice for the head, never for
themselves (`identity.may_designate`). A delegation lapses at its end date, when revoked,
or when the head who gave it is no longer the agency's head. Every creation and revocation
is an audit entry.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from danvan.accounts.access import AnyUser
from danvan.accounts.models import Membership, User
from danvan.accounts.queries import agency_members
from danvan.audit.services import record
from danvan.places.models import Agency

from .models import HandlingDelegation

# Who may receive a delegation: an officer who acts on the agency's letters.
DELEGATE_ROLES = (Membership.Role.HANDLING_OFFICER, Membership.Role.RECEPTION_OFFICER)


class DelegationRefused(Exception):
    """The delegation cannot be made or revoked by this person; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Written:
    """The written delegation: its document and the period it covers."""

    document_number: str
    document_date: date
    valid_from: date
    valid_until: date | None = None


def _current_head(agency_id: int | OuterRef, on: date) -> Q:
    return Q(agency_id=agency_id, role=Membership.Role.HEAD, started_on__lte=on) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=on)
    )


def delegations_in_force(
    *, agency_ids: set[int], on: date | None = None
) -> QuerySet[HandlingDelegation]:
    """Delegations that hold on `on` (today): not revoked, within their period, and given by
    the person who is still the agency's head."""
    on = on or timezone.localdate()
    head_still = Membership.objects.filter(
        _current_head(OuterRef("agency_id"), on), user_id=OuterRef("head_id")
    )
    return (
        HandlingDelegation.objects.filter(
            agency_id__in=agency_ids, revoked_at__isnull=True, valid_from__lte=on
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .filter(Exists(head_still))
    )


def agency_head(agency_id: int) -> User | None:
    """The agency's head today, if it has one."""
    today = timezone.localdate()
    head = Membership.objects.filter(_current_head(agency_id, today)).select_related("user")
    found = head.first()
    return found.user if found else None


def is_delegate(user: AnyUser, agency_id: int) -> bool:
    return delegations_in_force(agency_ids={agency_id}).filter(delegate_id=user.pk).exists()


def delegations_of(*, agency_ids: set[int]) -> QuerySet[HandlingDelegation]:
    """Every delegation of the agencies, newest first, for the head's page."""
    return HandlingDelegation.objects.filter(agency_id__in=agency_ids).select_related(
        "agency", "head", "delegate", "revoked_by"
    )


def delegation_create(
    *, head: User, agency: Agency, delegate: User, written: Written
) -> HandlingDelegation:
    """Record the head's written delegation to `delegate`, an officer of `agency`."""
    today = timezone.localdate()
    if not Membership.objects.filter(_current_head(agency.pk, today), user=head).exists():
        raise DelegationRefused("not_head")
    members = agency_members(agency_id=agency.pk, roles=DELEGATE_ROLES)
    if delegate.pk == head.pk or not members.filter(pk=delegate.pk).exists():
        raise DelegationRefused("not_an_officer")
    if written.valid_until is not None and written.valid_until < written.valid_from:
        raise DelegationRefused("period")
    with transaction.atomic():
        delegation = HandlingDelegation.objects.create(
            agency=agency, head=head, delegate=delegate, document_number=written.document_number,
            document_date=written.document_date, valid_from=written.valid_from,
            valid_until=written.valid_until,
        )  # fmt: skip
        record("delegation.create", obj=delegation, actor=head,
               changes={"delegate": [None, delegate.pk], "agency": [None, agency.pk],
                        "document": [None, written.document_number],
                        "valid_from": [None, written.valid_from],
                        "valid_until": [None, written.valid_until]})  # fmt: skip
    return delegation


def delegation_revoke(*, delegation: HandlingDelegation, by: User) -> HandlingDelegation:
    """The current head of the delegation's agency ends it now."""
    today = timezone.localdate()
    if not Membership.objects.filter(_current_head(delegation.agency_id, today), user=by).exists():
        raise DelegationRefused("not_head")
    with transaction.atomic():
        now = timezone.now()
        revoked = HandlingDelegation.objects.filter(
            pk=delegation.pk, revoked_at__isnull=True
        ).update(revoked_at=now, revoked_by=by)
        if revoked != 1:
            raise DelegationRefused("already_revoked")
        delegation.refresh_from_db()
        record("delegation.revoke", obj=delegation, actor=by,
               changes={"revoked_at": [None, now]})  # fmt: skip
    return delegation
