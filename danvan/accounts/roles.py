"""The roles of the platform, as the access rules see them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Membership


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    RECEPTION_OFFICER = Membership.Role.RECEPTION_OFFICER.value, _("Reception officer")
    HANDLING_OFFICER = Membership.Role.HANDLING_OFFICER.value, _("Handling officer")
    HEAD = Membership.Role.HEAD.value, _("Head of agency")
    SUPERVISOR = Membership.Role.SUPERVISOR.value, _("Supervisor")
    AUDITOR = Membership.Role.AUDITOR.value, _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


OFFICIAL_ROLES = frozenset(
    {Role.RECEPTION_OFFICER, Role.HANDLING_OFFICER, Role.HEAD, Role.SUPERVISOR, Role.AUDITOR}
)
