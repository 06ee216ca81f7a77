"""Keys that other systems (a hotline, a city app, a newspaper's inbox) use to call the API."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.places.models import Agency


class Scope(models.TextChoices):
    SUBMIT = "submit", _("Submit letters (Open311 POST and the REST API)")
    READ = "cases:read", _("Read the agency's cases")
    ACT = "cases:act", _("Act on the agency's cases")


class ApiKey(models.Model):
    """A key is shown once, when it is made; only a hash of its secret is stored."""

    name = models.CharField(
        _("name"), max_length=120, help_text=_("Who uses it, e.g. the province's 1022 hotline.")
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("The agency whose cases the key may read and act on."),
    )
    scopes = models.JSONField(_("scopes"), default=list)
    rate_per_minute = models.PositiveIntegerField(
        _("requests per minute"), default=600, help_text=_("Beyond it the key is told to wait.")
    )
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acting account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="api_key",
        help_text=_("The account a case's history names when the key acts on a case."),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        return self.is_active and scope in self.scopes
