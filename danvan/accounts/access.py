"""Who may open what. Every view asks here; no permission rule lives anywhere else."""

from collections.abc import Collection
from typing import Any

from django.contrib.auth.models import AnonymousUser

from .models import Membership, User
from .queries import current_memberships
from .roles import OFFICIAL_ROLES, Role

AnyUser = User | AnonymousUser


def memberships_of(user: AnyUser) -> list[Membership]:
    """The user's current memberships, read once per request object."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached: Any = getattr(user, "_danvan_memberships", None)
    if cached is None:
        cached = list(current_memberships(user=user))
        setattr(user, "_danvan_memberships", cached)  # noqa: B010 (a per-request cache)
    return list(cached)


def roles_of(user: AnyUser) -> frozenset[Role]:
    """The user's roles today."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    roles = {Role(m.role) for m in memberships_of(user)}
    if user.is_staff:
        roles.add(Role.ADMINISTRATOR)
    return frozenset(roles or {Role.CITIZEN})


def agency_ids_of(user: AnyUser, *, roles: Collection[Role] | None = None) -> set[int]:
    """Agencies the user belongs to today, optionally only in the given roles."""
    return {m.agency_id for m in memberships_of(user) if roles is None or Role(m.role) in roles}


def is_official(user: AnyUser) -> bool:
    return bool(roles_of(user) & OFFICIAL_ROLES)


def can_open_staff_home(user: AnyUser) -> bool:
    return is_official(user) or Role.ADMINISTRATOR in roles_of(user)


def can_administer(user: AnyUser) -> bool:
    return Role.ADMINISTRATOR in roles_of(user)


INSIGHTS_ROLES = frozenset({Role.SUPERVISOR, Role.AUDITOR, Role.HEAD})


def can_open_insights(user: AnyUser) -> bool:
    """The province overview: supervisors and auditors (the province), heads (their agency)."""
    return bool(roles_of(user) & INSIGHTS_ROLES)
