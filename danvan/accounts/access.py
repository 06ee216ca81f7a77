"""Who may open what. Every view asks here; no permission rule lives anywhere else."""

from typing import Any

from django.contrib.auth.models import AnonymousUser

from .models import User
from .queries import current_memberships
from .roles import OFFICIAL_ROLES, Role

AnyUser = User | AnonymousUser


def roles_of(user: AnyUser) -> frozenset[Role]:
    """The user's roles today; computed once per request object."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: Any = getattr(user, "_danvan_roles", None)
    if cached is not None:
        return frozenset(cached)
    roles = {Role(m.role) for m in current_memberships(user=user)}
    if user.is_staff:
        roles.add(Role.ADMINISTRATOR)
    if not roles:
        roles.add(Role.CITIZEN)
    setattr(user, "_danvan_roles", frozenset(roles))  # noqa: B010 (a per-request cache)
    return frozenset(roles)


def is_official(user: AnyUser) -> bool:
    return bool(roles_of(user) & OFFICIAL_ROLES)


def can_open_staff_home(user: AnyUser) -> bool:
    return is_official(user) or Role.ADMINISTRATOR in roles_of(user)


def can_administer(user: AnyUser) -> bool:
    return Role.ADMINISTRATOR in roles_of(user)
