"""A denouncer's sealed identity, every look at it, and who may designate its handlers."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.places.models import Agency

from .letter import Case


class DenouncerIdentity(models.Model):
    """Who denounced: name, address, contact, ID number, sealed with DANVAN_IDENTITY_KEYS.

    Kept apart from the case so that no list, export or notification can pick it up.
    """

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="denouncer_identity")
    sealed = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("denouncer identity")
        verbose_name_plural = _("denouncer identities")

    def __str__(self) -> str:
        return f"{self.case_id}"


class IdentityLook(models.Model):
    """Every time someone opened a denouncer's identity or a sealed scan (append-only)."""

    case = models.ForeignKey(  # served by identity_look_case (case first)
        Case, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # Empty when the platform itself read the contact to notify the denouncer.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    what = models.CharField(_("what was opened"), max_length=40)
    address = models.GenericIPAddressField(_("from address"), null=True, blank=True)

    class Meta:
        verbose_name = _("look at a denouncer's identity")
        verbose_name_plural = _("looks at denouncers' identities")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "at"], name="identity_look_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.user_id} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("the identity access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("the identity access log is append-only")


class HandlingDelegation(models.Model):
    """A head's written delegation of the designation of denunciations' handlers.

    The head of the agency resolves a denunciation (Luật Tố cáo 2018 Art. 12-15) and so
    decides who handles it and sees the denouncer's identity; the head may delegate that
    choice in writing (a document with its number and date). Revoked, never deleted; it
    lapses when its head is no longer the agency's head.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head of agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delegated officer"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # served by handling_delegation_delegate (delegate first)
    )
    document_number = models.CharField(_("document number"), max_length=60)
    document_date = models.DateField(_("document date"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("delegation to designate handlers")
        verbose_name_plural = _("delegations to designate handlers")
        ordering = ["-valid_from", "-id"]
        indexes = [models.Index(fields=["delegate", "agency"], name="handling_delegation_delegate")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="handling_delegation_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(delegate=F("head")), name="handling_delegation_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} {self.delegate_id}@{self.agency_id}"
