"""Users (citizens and officials) and officials' membership of agencies."""

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.places.models import Agency


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(
        self, email: str | None = None, password: str | None = None, **extra: Any
    ) -> "User":
        user = self.model(email=self.normalize_email(email).lower() if email else None, **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: a citizen, an official, or an administrator.

    Login is by e-mail or Vietnamese mobile number; at least one is required.
    """

    email = models.EmailField(_("email"), unique=True, null=True, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=12, unique=True, null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("administrator"),
        default=False,
        help_text=_("Can configure the platform in the administration site."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(phone__isnull=False),
                name="user_has_email_or_phone",
            ),
            models.CheckConstraint(
                condition=Q(email__isnull=True) | Q(email=Lower("email")),
                name="user_email_lowercase",
            ),
            models.CheckConstraint(
                condition=Q(phone__isnull=True) | Q(phone__startswith="+84"),
                name="user_phone_e164",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or str(self.pk)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else ""


class Membership(models.Model):
    """An official's role in an agency, for a period."""

    class Role(models.TextChoices):
        RECEPTION_OFFICER = "reception_officer", _("Reception officer")
        HANDLING_OFFICER = "handling_officer", _("Handling officer")
        HEAD = "head", _("Head of agency")
        SUPERVISOR = "supervisor", _("Supervisor")
        AUDITOR = "auditor", _("Auditor")

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    title = models.CharField(_("position"), max_length=120, blank=True)
    started_on = models.DateField(_("from"), default=timezone.localdate)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("agency membership")
        verbose_name_plural = _("agency memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"],
                condition=Q(ended_on__isnull=True),
                name="membership_current_unique",
            ),
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(ended_on__isnull=True, role="head"),
                name="membership_one_current_head",
                violation_error_message=_("This agency already has a head."),
            ),
            models.CheckConstraint(
                condition=Q(
                    role__in=[
                        "reception_officer",
                        "handling_officer",
                        "head",
                        "supervisor",
                        "auditor",
                    ]
                ),
                name="membership_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["user", "ended_on"], name="membership_user_current")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"
