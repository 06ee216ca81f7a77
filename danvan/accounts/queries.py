"""Reads for accounts."""

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
