"""Criteria sets (a province's versioned tree of points) and the rounds that score agencies.

A set is data: its criteria, sub-criteria and indicators with their points, the evidence
they ask for and how each is scored (by the reviewer, or computed from a named metric with
a mapping rule); bonus and penalty items; tier bands; the flag rule; the tie-break rule;
disqualifying conditions. Once a round uses a set it is frozen: the database itself refuses
any change to it or its rows (triggers in migration 0002); a new version is a copy.

Scores are append-only rows (`ScoreEntry`): the unit's self-score, the computed value, the
reviewer's score with its reason. The latest row of each kind is the one that counts.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.places.models import Agency, Unit

from .metrics import METRIC_CHOICES
from .scoring import FLAGS


class SetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_FORCE = "in_force", _("In force")
    FROZEN = "frozen", _("Frozen (used by a round)")


class CriteriaSet(models.Model):
    """One version of a province's criteria set (Bộ tiêu chí đánh giá công tác dân vận)."""

    province = models.ForeignKey(
        Unit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"level": Unit.Level.PROVINCE, "valid_until__isnull": True},
    )  # fmt: skip
    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=250)
    legal_basis = models.CharField(
        _("issued by"), max_length=250, blank=True,
        help_text=_("The province's decision, e.g. QĐ 04/2025/QĐ-UBND."),
    )  # fmt: skip
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SetStatus, default=SetStatus.DRAFT
    )
    is_example = models.BooleanField(
        _("example to replace"), default=False,
        help_text=_("Shipped as an example: the province replaces it with its own decision."),
    )  # fmt: skip
    bonus_cap = models.DecimalField(
        _("bonus points at most"),
        default=Decimal(0),
        validators=[MinValueValidator(0)],
        max_digits=6,
        decimal_places=2,
    )
    flag_tier = models.SlugField(
        _("tier needed for a flag"), max_length=40, blank=True,
        help_text=_("The code of the lowest tier whose units may receive an emulation flag."),
    )  # fmt: skip
    flag_count = models.PositiveSmallIntegerField(
        _("flags per group"), default=3, help_text=_("Hạng Nhất, Nhì, Ba: at most 3.")
    )
    tie_break = models.CharField(
        _("tie-break order"), max_length=200, default="fewer_penalty, higher_computed, code",
        help_text=_(
            "Keys in order, separated by commas: fewer_penalty, higher_computed, "
            "higher_standard, higher_bonus, code (the agency's code, always last)."
        ),
    )  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["province", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="criteria_set_version"),
            models.CheckConstraint(
                condition=Q(status__in=SetStatus.values), name="criteria_set_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(flag_count__lte=len(FLAGS)), name="criteria_set_flags_at_most_3"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="criteria_set_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code} v{self.version})"

    @property
    def is_frozen(self) -> bool:
        return self.status == SetStatus.FROZEN


class TierBand(models.Model):
    """A tier ("Tốt": from 80 points); the highest band a total reaches is its tier."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="bands")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("name"), max_length=100)
    min_score = models.DecimalField(_("from (points)"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["-min_score"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="tier_band_code"),
            models.UniqueConstraint(fields=["criteria_set", "min_score"], name="tier_band_floor"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ≥ {self.min_score}"


class ItemKind(models.TextChoices):
    CRITERION = "criterion", _("Criterion")
    BONUS = "bonus", _("Bonus item")
    PENALTY = "penalty", _("Penalty item")


class ScoredBy(models.TextChoices):
    REVIEWER = "reviewer", _("Self-assessed, then reviewed")
    COMPUTED = "computed", _("Computed from platform data")


class Mapping(models.TextChoices):
    LINEAR = "linear", _("Linear between two bounds")
    THRESHOLDS = "thresholds", _("Thresholds")


class Criterion(models.Model):
    """A node of the tree: criterion -> sub-criterion -> indicator. Only leaves are scored;
    a node's points are those of its children. Bonus and penalty items are top-level nodes
    of their own kind."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="children",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind, default=ItemKind.CRITERION)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(_("number"), max_length=20, help_text=_("For example 1, 1.2, 1.2.a."))
    title = models.TextField(_("title"))
    max_points = models.DecimalField(
        _("points at most"), validators=[MinValueValidator(0)], max_digits=6, decimal_places=2
    )
    evidence = models.TextField(_("evidence asked for"), blank=True)
    scored_by = models.CharField(
        _("scored by"), max_length=10, choices=ScoredBy, default=ScoredBy.REVIEWER
    )
    metric = models.CharField(_("metric"), max_length=40, choices=METRIC_CHOICES, blank=True)
    mapping = models.CharField(_("mapping rule"), max_length=12, choices=Mapping, blank=True)
    zero_at = models.DecimalField(
        _("no points at"), null=True, blank=True, max_digits=12, decimal_places=2,
        help_text=_("Linear rule: the metric's value that earns nothing."),
    )  # fmt: skip
    full_at = models.DecimalField(
        _("full points at"), null=True, blank=True, max_digits=12, decimal_places=2,
        help_text=_("Linear rule: the value that earns every point (may be below the other)."),
    )  # fmt: skip
    thresholds = models.CharField(
        _("thresholds"), max_length=200, blank=True,
        help_text=_('Steps "bound:points", e.g. ">=95:10; >=90:8" or "<=0:5; <=2:3".'),
    )  # fmt: skip
    no_data_points = models.DecimalField(
        _("points without data"), null=True, blank=True, max_digits=6, decimal_places=2,
        help_text=_("When the metric has nothing to measure (no letter due): empty = full points."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("criterion or indicator")
        verbose_name_plural = _("criteria and indicators")
        ordering = ["criteria_set", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code"),
            models.CheckConstraint(
                condition=Q(scored_by="reviewer", metric="", mapping="")
                | Q(scored_by="computed") & ~Q(metric="") & ~Q(mapping=""),
                name="criterion_computed_has_metric_and_rule",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ItemKind.values), name="criterion_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["criteria_set", "position"], name="criterion_set_order")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title[:80]}"

    @property
    def is_computed(self) -> bool:
        return self.scored_by == ScoredBy.COMPUTED


class Disqualifier(models.Model):
    """A condition that makes a unit not eligible for a tier ("không đủ điều kiện xếp loại")."""

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="disqualifiers"
    )
    code = models.SlugField(_("code"), max_length=40)
    title = models.TextField(_("condition"))

    class Meta:
        verbose_name = _("disqualifying condition")
        verbose_name_plural = _("disqualifying conditions")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="disqualifier_code")
        ]

    def __str__(self) -> str:
        return self.title[:100]


# Rounds ---------------------------------------------------------------------------------


class RoundStatus(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    REVIEW = "review", _("Review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


FINAL = (RoundStatus.APPROVED, RoundStatus.PUBLISHED)


class Round(models.Model):
    """A year's evaluation in a province with one criteria set."""

    province = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.PROTECT,
        related_name="rounds",
    )  # fmt: skip
    period_start = models.DateField(_("figures from"))
    period_end = models.DateField(_("figures until"))
    self_due = models.DateField(_("self-assessment due"))
    review_due = models.DateField(_("review due"))
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus, default=RoundStatus.SELF_ASSESSMENT
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="round_once_a_year"),
            models.CheckConstraint(
                condition=Q(status__in=RoundStatus.values), name="round_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(review_due__gte=models.F("self_due"))
                & Q(period_end__gte=models.F("period_start")),
                name="round_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.criteria_set.name}"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL


class Group(models.TextChoices):
    COMMUNE = "commune", _("Communes and wards")
    PROVINCIAL = "provincial", _("Provincial departments and agencies")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Being self-assessed")
    SUBMITTED = "submitted", _("Submitted for review")
    REVIEWED = "reviewed", _("Reviewed")


class Assessment(models.Model):
    """One unit (an agency; a commune through its People's Committee) in a round."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="assessments")
    agency = models.ForeignKey(Agency, verbose_name=_("unit"), on_delete=models.PROTECT,
                               related_name="+")  # fmt: skip
    group = models.CharField(_("group"), max_length=12, choices=Group)
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus, default=AssessmentStatus.DRAFT
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer named to self-assess"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )  # fmt: skip
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    eligible = models.BooleanField(_("eligible for a tier"), default=True)
    disqualifier = models.ForeignKey(
        Disqualifier, verbose_name=_("condition"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    ineligible_reason = models.TextField(_("why not eligible"), blank=True)
    computed_at = models.DateTimeField(_("figures read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["round", "group", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "agency"], name="assessment_once_per_round"),
            models.CheckConstraint(
                condition=Q(eligible=True, ineligible_reason="", disqualifier__isnull=True)
                | Q(eligible=False) & ~Q(ineligible_reason=""),
                name="assessment_not_eligible_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(group__in=Group.values), name="assessment_group_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round.year} · {self.agency.name}"


class Stage(models.TextChoices):
    SELF = "self", _("Self-assessment")
    COMPUTED = "computed", _("Computed")
    REVIEW = "review", _("Review")


class ScoreEntry(models.Model):
    """One score of one line, append-only: the history of every score is kept."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=10, choices=Stage)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2)
    value = models.DecimalField(
        _("metric value"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    note = models.TextField(_("note"), blank=True)
    reason = models.TextField(_("reason for the change"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["assessment", "criterion", "stage", "id"], name="score_latest")
        ]
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=Stage.values), name="score_stage_valid"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_points_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.criterion_id} {self.stage} {self.points}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("scores are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("scores are append-only")


class Evidence(models.Model):
    """A file (checked by content) or a link to a record in the platform, for one line."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="evidence")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="evaluation/%Y/", blank=True)
    name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    link = models.CharField(_("link to a record"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["assessment", "criterion"], name="evidence_line")]
        constraints = [
            models.CheckConstraint(
                condition=Q(link="") & ~Q(sha256="") | ~Q(link="") & Q(sha256=""),
                name="evidence_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.link


class RoundEvent(models.Model):
    """What happened in a round (opened, submitted, eligibility, approved...): append-only."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="events")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    action = models.CharField(max_length=30)
    data = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["round", "at"], name="round_event_time")]

    def __str__(self) -> str:
        return f"{self.round_id} {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("round events are append-only")
        super().save(*args, **kwargs)


class Result(models.Model):
    """A unit's final result, written when the round is approved (then frozen)."""

    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="result")
    standard = models.DecimalField(max_digits=6, decimal_places=2)
    bonus = models.DecimalField(max_digits=6, decimal_places=2)
    penalty = models.DecimalField(max_digits=6, decimal_places=2)
    computed = models.DecimalField(max_digits=6, decimal_places=2)
    total = models.DecimalField(max_digits=6, decimal_places=2)
    tier = models.CharField(max_length=40)
    tier_label = models.CharField(max_length=100)
    group_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    rank = models.PositiveSmallIntegerField()
    flag = models.CharField(max_length=4, blank=True)

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.total}"


class Reminder(models.Model):
    """An outbox row: one reminder of a round's deadline to one official (unique key)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("No address")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=120, unique=True)
    purpose = models.CharField(max_length=20)
    due_on = models.DateField()
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "created_at"], name="evaluation_reminder_state")]

    def __str__(self) -> str:
        return self.key
