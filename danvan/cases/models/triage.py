"""Topics, the routing table and what suggests a letter's topic or kind (cases.triage)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.places.models import Agency, Unit

from ..workflow import Kind


class Topic(models.Model):
    """A node of the configurable topic tree (land, procedures, environment, ...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    is_public = models.BooleanField(
        _("citizens can choose it"),
        default=True,
        help_text=_("Shown on the citizen form and as an Open311 service."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class RoutingRule(models.Model):
    """Topic × unit -> competent agency. A rule without a unit applies everywhere."""

    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.CASCADE)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Empty: every unit; a province: every commune in it."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, blank=True)
    agency = models.ForeignKey(Agency, verbose_name=_("competent agency"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "unit", "kind"],
                condition=Q(unit__isnull=False),
                name="routing_rule_unique",
            ),
            models.UniqueConstraint(
                fields=["topic", "kind"],
                condition=Q(unit__isnull=True),
                name="routing_rule_unique_everywhere",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} / {self.unit or '*'} -> {self.agency}"


class KeywordRule(models.Model):
    """Cold-start suggestion: words that point to a topic or a kind, edited by an administrator."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, blank=True)
    keywords = models.TextField(
        _("keywords"),
        help_text=_("One word or phrase per line; accents and letter case do not matter."),
    )

    class Meta:
        verbose_name = _("keyword rule")
        verbose_name_plural = _("keyword rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False, kind="") | Q(topic__isnull=True) & ~Q(kind=""),
                name="keyword_rule_topic_or_kind",
                violation_error_message=_("Choose either a topic or a kind."),
            )
        ]

    def __str__(self) -> str:
        return str(self.topic or self.get_kind_display())

    def words(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]


class SuggestionModel(models.Model):
    """A trained topic or kind model with its evaluation; the active one suggests."""

    class Target(models.TextChoices):
        TOPIC = "topic", _("Topic")
        KIND = "kind", _("Kind")

    target = models.CharField(_("suggests"), max_length=10, choices=Target)
    created_at = models.DateTimeField(_("trained"), default=timezone.now)
    examples = models.PositiveIntegerField(_("training examples"))
    tested_on = models.PositiveIntegerField(_("test examples"))
    accuracy = models.FloatField(_("accuracy"))
    macro_f1 = models.FloatField(_("macro F1"))
    per_label = models.JSONField(_("F1 per label"), default=dict)
    model = models.BinaryField(editable=False)
    is_active = models.BooleanField(_("in use"), default=False)

    class Meta:
        verbose_name = _("suggestion model")
        verbose_name_plural = _("suggestion models")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["target"], condition=Q(is_active=True), name="suggestion_model_one_active"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_target_display()} {self.created_at:%Y-%m-%d %H:%M} F1={self.macro_f1:.3f}"
        )


class SuggestionSettings(models.Model):
    """One row: when a suggestion may route a letter by itself."""

    threshold = models.FloatField(
        _("confidence needed to route on its own"),
        default=0.9,
        help_text=_("Between 0 and 1. Below it, the suggestion waits for an officer."),
    )
    auto_route = models.BooleanField(_("route confident suggestions automatically"), default=False)
    min_examples = models.PositiveIntegerField(
        _("confirmed letters needed before training a model"), default=200
    )

    class Meta:
        verbose_name = _("suggestion settings")
        verbose_name_plural = _("suggestion settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=0, threshold__lte=1), name="suggestion_threshold_0_1"
            )
        ]

    def __str__(self) -> str:
        return str(_("Suggestion settings"))

    @classmethod
    def current(cls) -> "SuggestionSettings":
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row
