"""A person's request about their personal data, answered by the platform administrator."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataRequest(models.Model):
    """A request to correct or delete personal data (Luật 91/2025/QH15).

    `first_response_due` is counted with rule PDP-1 (NĐ 356/2025: 2 working days) on the
    platform's working-day calendar, and stored with the request.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correct my personal data")
        DELETION = "deletion", _("Delete my personal data")
        OBJECTION = "objection", _("Restrict or object to the processing of my data")

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="data_requests",
    )
    kind = models.CharField(_("request"), max_length=12, choices=Kind)
    details = models.TextField(_("details"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    rule = models.CharField(_("rule"), max_length=10)
    first_response_due = models.DateField(_("first response due"))
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.OPEN)
    response = models.TextField(
        _("answer to the person"),
        blank=True,
        help_text=_("What was done, or why not, and the procedure that follows."),
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("personal-data request")
        verbose_name_plural = _("personal-data requests")
        ordering = ["state", "first_response_due", "id"]
        indexes = [models.Index(fields=["user", "-received_at"], name="data_request_user")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["correction", "deletion", "objection"]),
                name="data_request_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.user} · {self.received_at:%d/%m/%Y}"
