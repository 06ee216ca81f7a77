"""Reads for accounts."""

from collections.abc import Collection

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Membership, User


def current_memberships(*, user: User) -> QuerySet[Membership]:
    today = timezone.localdate()
    return (
        Membership.objects.filter(user=user, started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .select_related("agency", "agency__home_unit")
        .order_by("agency__name", "role")
    )


def agency_members(*, agency_id: int, roles: Collection[str]) -> QuerySet[User]:
    """People who currently hold one of `roles` in the agency."""
    today = timezone.localdate()
    return User.objects.filter(
        Q(memberships__ended_on__isnull=True) | Q(memberships__ended_on__gte=today),
        memberships__agency_id=agency_id,
        memberships__role__in=roles,
        memberships__started_on__lte=today,
        is_active=True,
    ).distinct()
