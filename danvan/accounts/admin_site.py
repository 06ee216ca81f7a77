"""The administration site: administrators, and auditors for what is theirs to read.

Auditors (role AUDITOR, not `is_staff`) may sign in to `/admin/` to read the identity access
log; each model admin decides what they see (`is_auditor`), and they see nothing else.
"""

from django.contrib import admin
from django.http import HttpRequest

from .access import AnyUser, roles_of
from .roles import Role


def is_auditor(user: AnyUser) -> bool:
    return user.is_active and Role.AUDITOR in roles_of(user)


class AdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) or is_auditor(request.user)
