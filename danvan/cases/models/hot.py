"""Hot issues: many people writing about one thing."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.places.models import Unit

from .letter import Case
from .triage import Topic


class HotIssue(models.Model):
    """Many people writing about one thing: a spike of a topic in a unit, or a new cluster."""

    class Kind(models.TextChoices):
        SPIKE = "spike", _("More letters than usual")
        CLUSTER = "cluster", _("Similar new letters without a topic")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    detected_on = models.DateField(_("detected on"))
    count = models.PositiveIntegerField(_("letters in the last 7 days"))
    baseline = models.FloatField(_("usual letters per week"), default=0)
    label = models.CharField(_("summary"), max_length=200, blank=True)
    cases = models.ManyToManyField(Case, related_name="+")

    class Meta:
        verbose_name = _("hot issue")
        verbose_name_plural = _("hot issues")
        ordering = ["-detected_on", "-count"]
        indexes = [models.Index(fields=["detected_on"], name="hot_issue_detected")]

    def __str__(self) -> str:
        return self.label or f"{self.topic} / {self.unit}"
