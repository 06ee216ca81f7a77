"""Messages to people about their letters, queued and sent by a task."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .letter import Case


class Notification(models.Model):
    """One message to one person about one case: queued in the transaction, sent by a task.

    `key` is unique, so a reminder or a notice goes out once even when two sweeps race.
    Recipients are resolved when sending: a denouncer's contact is never stored here.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("No address")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notifications")
    key = models.CharField(max_length=120, unique=True)
    purpose = models.CharField(max_length=30)
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)  # the last claim (outbox.claim)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["state", "created_at"], name="notification_state")]

    def __str__(self) -> str:
        return self.key
