"""Users (citizens and officials) and officials' membership of agencies."""

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.core.phones import national
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
        return self.full_name or self.email or national(self.phone) or str(self.pk)

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


class EnrolmentCode(models.Model):
    """A one-time code an administrator issues so that an official can set up two-step
    verification: without one, a password alone never reaches the QR code. Only a digest
    is stored; the code itself is shown once, to the administrator who issued it."""

    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="enrolment_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(
        User,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong codes entered"), default=0)

    class Meta:
        verbose_name = _("two-step enrolment code")
        verbose_name_plural = _("two-step enrolment codes")
        constraints = [
            # Issuing a code revokes the account's earlier one: wrong entries count on one code.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="enrolment_code_one_open_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.issued_at:%d/%m/%Y %H:%M}"

    def state(self) -> str:
        if self.used_at is not None:
            return pgettext("enrolment code", "used")
        if self.revoked_at is not None:
            return pgettext("enrolment code", "revoked")
        if self.expires_at <= timezone.now():
            return pgettext("enrolment code", "expired")
        return pgettext("enrolment code", "open")


class PendingSignup(models.Model):
    """A sign-up waiting for the codes sent to its phone and e-mail address.

    The account is created only when they are entered, so an unconfirmed sign-up never holds
    a phone number or address that belongs to someone else. The password is already hashed.
    Rows are deleted once confirmed or expired (`danvan.accounts.services`).
    """

    full_name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=12, blank=True)
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("sign-up awaiting confirmation")
        verbose_name_plural = _("sign-ups awaiting confirmation")

    def __str__(self) -> str:
        return f"{self.full_name} · {self.created_at:%d/%m/%Y %H:%M}"


class ContactCode(models.Model):
    """One message with a 6-digit code to a phone or e-mail address (sign-up, password reset).

    The delivery task makes the code after commit and keeps only its keyed digest. `message`
    says what is sent: the code, a notice to the owner of an account that already holds the
    address, or nothing (no account for a password reset); the request does the same work
    whichever it is, so its answer tells nobody whether an account exists.
    """

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("sign-up")
        RESET = "reset", _("password reset")

    class Channel(models.TextChoices):
        PHONE = "phone", _("mobile phone")
        EMAIL = "email", _("email")

    class Message(models.TextChoices):
        CODE = "code", _("the code")
        TAKEN = "taken", _("notice to the account's owner")
        NONE = "none", _("nothing (no account)")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        SKIPPED = "skipped", _("not sent")
        FAILED = "failed", _("failed")

    purpose = models.CharField(max_length=10, choices=Purpose)
    channel = models.CharField(max_length=10, choices=Channel)
    destination = models.CharField(max_length=254)
    message = models.CharField(max_length=10, choices=Message)
    state = models.CharField(max_length=10, choices=State, default=State.QUEUED)
    signup = models.ForeignKey(
        PendingSignup, on_delete=models.SET_NULL, null=True, blank=True, related_name="codes"
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    code_hash = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    client_address = models.CharField(max_length=45, blank=True)
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("code sent to a phone or e-mail")
        verbose_name_plural = _("codes sent to a phone or e-mail")
        indexes = [
            # The throttles count recent messages per address and per client.
            models.Index(fields=["destination", "created_at"], name="contact_code_destination"),
            models.Index(fields=["client_address", "created_at"], name="contact_code_client"),
            models.Index(fields=["created_at"], name="contact_code_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.created_at:%d/%m/%Y %H:%M}"


class AuthenticatorApp(TOTPDevice):  # type: ignore[misc]
    """django-otp's authenticator device under a Vietnamese name in the admin (its own
    model's names are plain English strings, which no catalogue can translate)."""

    class Meta:
        proxy = True
        verbose_name = _("official's authenticator app")
        verbose_name_plural = _("officials' authenticator apps")
