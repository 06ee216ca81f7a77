"""What insights keeps: hot issues found in the letters, and the roll-up of letter figures."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.cases.models import Case, Topic
from danvan.places.models import Agency, Unit


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
        # Moved from the cases app: the table keeps its name (a move of state only).
        db_table = "cases_hotissue"
        verbose_name = _("hot issue")
        verbose_name_plural = _("hot issues")
        ordering = ["-detected_on", "-count"]
        indexes = [models.Index(fields=["detected_on"], name="hot_issue_detected")]

    def __str__(self) -> str:
        return self.label or f"{self.topic} / {self.unit}"


GRAINS = ["a", "u", "au", "at", "ut", "aut"]  # smallest first; see rollup.py


def _dimensions() -> tuple[models.Field[object, object], ...]:
    """Agency, commune, topic: each empty (NULL) where the row's grain leaves it out."""
    return (
        models.ForeignKey(Agency, on_delete=models.DO_NOTHING, null=True, related_name="+",
                          db_constraint=False, db_index=False),
        models.ForeignKey(Unit, on_delete=models.DO_NOTHING, null=True, related_name="+",
                          db_constraint=False, db_index=False),
        models.ForeignKey(Topic, on_delete=models.DO_NOTHING, null=True, related_name="+",
                          db_constraint=False, db_index=False),
    )  # fmt: skip


class LetterMonth(models.Model):
    """Figures on letters for one month, one kind, and one combination of agency (a),
    commune (u) and topic (t) at the row's grain: "aut" rows are computed from the letters,
    the coarser grains ("a", "u", "au", "at", "ut") are their sums, so that a page reads
    the fewest rows that answer it (rollup.py).

    Each figure is counted in the month its defining date falls in, as `cases.stats`
    defines it: received by the receipt date, on time / late by the deadline, ratings by
    the answer date, complaints accepted on time / late by the acceptance deadline.
    """

    grain = models.CharField(max_length=3)
    month = models.DateField(_("month"))  # its first day
    agency, unit, topic = _dimensions()
    kind = models.CharField(_("kind"), max_length=20)
    received = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    complaints_on_time = models.PositiveIntegerField(default=0)
    complaints_late = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("monthly letter figures")
        verbose_name_plural = _("monthly letter figures")
        indexes = [
            models.Index(fields=["grain", "month", "agency"], name="letter_month_agency"),
            models.Index(fields=["grain", "unit", "month"], name="letter_month_unit"),
            models.Index(fields=["grain", "topic", "month"], name="letter_month_topic"),
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.month:%m/%Y} {self.kind}"


class LetterNow(models.Model):
    """Letters open now, and those of them overdue, per kind and agency, commune and topic
    at the row's grain (as LetterMonth)."""

    grain = models.CharField(max_length=3)
    agency, unit, topic = _dimensions()
    kind = models.CharField(_("kind"), max_length=20)
    open = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("open letter figures")
        verbose_name_plural = _("open letter figures")
        indexes = [
            models.Index(fields=["grain", "agency"], name="letter_now_agency"),
            models.Index(fields=["grain", "unit"], name="letter_now_unit"),
            models.Index(fields=["grain", "topic"], name="letter_now_topic"),
        ]

    def __str__(self) -> str:
        return f"{self.grain} {self.kind}: {self.open}"


class Rollup(models.Model):
    """When the roll-up was last rebuilt (one row)."""

    refreshed_at = models.DateTimeField(_("refreshed at"))
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("roll-up of letter figures")
        verbose_name_plural = _("roll-ups of letter figures")

    def __str__(self) -> str:
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}"
