"""Likely duplicates: text fingerprints and the links officers made between letters."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .letter import Case


class CaseFingerprint(models.Model):
    """The LSH band keys of a case's text: equal keys find likely duplicates through an index."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["key"], name="case_fingerprint_key")]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.key}"


class CaseLink(models.Model):
    """Two letters an officer found to be about the same matter (kept both, never dropped)."""

    class Kind(models.TextChoices):
        RELATED = "related", _("Same matter")
        MERGED = "merged", _("Merged")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="links")
    other = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.RELATED)
    score = models.FloatField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("link between letters")
        verbose_name_plural = _("links between letters")
        constraints = [
            models.UniqueConstraint(fields=["case", "other"], name="case_link_unique"),
            models.CheckConstraint(condition=~Q(case=F("other")), name="case_link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} ~ {self.other_id}"
