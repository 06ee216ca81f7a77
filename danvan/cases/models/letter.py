"""The letter, its append-only events and its files."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.places.models import Agency, Unit

from ..workflow import Action, DeclineReason, Kind, Status
from .triage import Topic


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    RECEPTION = "reception", _("Citizen reception")
    PAPER = "paper", _("Paper letter")
    IMPORT = "import", _("Import")
    API = "api", _("API")


class Case(models.Model):
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.RECEIVED)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel, default=Channel.WEB)
    title = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"))
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, null=True, blank=True
    )
    # db_index=False on the foreign keys that lead a composite index below (case_unit_topic,
    # case_queue and case_agency_due, case_assignee_due, case_citizen): that index serves
    # their look-ups, and each index less is one write less for every letter.
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("commune or ward concerned"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,
    )
    address = models.CharField(_("place concerned"), max_length=250, blank=True)
    # Where it is, when the sender's app knows (Open311 lat/long); WGS 84 degrees.
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("handling agency"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        db_index=False,
    )
    # Who wrote. For a denunciation these stay empty: the identity lives encrypted apart.
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        db_index=False,
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    submitter_name = models.CharField(_("full name"), max_length=150, blank=True)
    submitter_phone = models.CharField(_("phone"), max_length=12, blank=True)
    submitter_email = models.EmailField(_("email"), blank=True)
    submitter_address = models.CharField(_("address"), max_length=250, blank=True)
    people_count = models.PositiveSmallIntegerField(_("number of signers"), default=1)
    # True once a denouncer's identity was sealed for this case (kept even if reclassified).
    identity_sealed = models.BooleanField(default=False, editable=False)

    parent = models.ForeignKey(
        "self",
        verbose_name=_("split from"),
        on_delete=models.PROTECT,
        db_index=False,  # almost always empty: a partial index serves it (Meta)
        null=True,
        blank=True,
        related_name="parts",
    )
    first_round = models.ForeignKey(
        "self",
        verbose_name=_("first-round complaint"),
        on_delete=models.PROTECT,
        db_index=False,  # almost always empty: a partial index serves it (Meta)
        null=True,
        blank=True,
        related_name="second_rounds",
    )
    complaint_round = models.PositiveSmallIntegerField(_("complaint round"), null=True, blank=True)

    received_at = models.DateTimeField(_("received"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Archiving (lưu đơn, TT 05/2021 Art. 28): a declined letter is kept until `retain_until`
    # (rule DON-4), then the head of the agency keeps it longer or has it destroyed.
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    retain_until = models.DateField(_("kept until"), null=True, blank=True)
    destroyed_at = models.DateTimeField(_("destroyed"), null=True, blank=True)
    # Deadlines, computed once from the rule in force and stored with it.
    rulebook_edition = models.DateField(_("rules edition"))
    variant = models.CharField(_("deadline variant"), max_length=30, blank=True)
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    process_rule = models.CharField(_("processing rule"), max_length=10, blank=True)
    process_due = models.DateField(_("processing deadline"), null=True, blank=True)
    resolve_rule = models.CharField(_("resolution rule"), max_length=10, blank=True)
    resolve_due = models.DateField(_("resolution deadline"), null=True, blank=True)
    due_on = models.DateField(
        _("deadline"), null=True, blank=True, help_text=_("The deadline that runs now.")
    )
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    paused_since = models.DateField(_("paused since"), null=True, blank=True)
    pauses = models.JSONField(default=list, blank=True, editable=False)  # [[first, last], ...]

    # What the language module suggested at intake; an officer confirms or corrects it.
    suggested_topic = models.ForeignKey(
        Topic,
        verbose_name=_("suggested topic"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    suggested_kind = models.CharField(_("suggested kind"), max_length=20, choices=Kind, blank=True)
    suggestion_confidence = models.FloatField(
        _("confidence of the suggestion"), null=True, blank=True
    )
    suggestion_source = models.CharField(max_length=40, blank=True)
    # A duplicate merged into an earlier letter: handled there, its citizen told of the answer.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # almost always empty: a partial index serves it (Meta)
        related_name="merged",
    )
    decline_reason = models.CharField(_("reason"), max_length=20, choices=DeclineReason, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("comment on the answer"), blank=True)
    idempotency_key = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    # What was sent under the key (cases.idempotency): a retry sends the same, another letter
    # under the same key does not and is refused. Empty without a key and on older letters.
    submission_digest = models.CharField(max_length=64, blank=True, editable=False)
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # The officer queue: an agency's cases, by deadline then id (key pagination).
            models.Index(fields=["agency", "status", "due_on", "id"], name="case_queue"),
            models.Index(fields=["agency", "due_on", "id"], name="case_agency_due"),
            # Every case with a running deadline, by deadline: the overdue count (ops metrics).
            models.Index(
                fields=["due_on", "status"],
                condition=Q(due_on__isnull=False),
                name="case_due_status",
            ),
            models.Index(fields=["assignee", "due_on", "id"], name="case_assignee_due"),
            models.Index(fields=["citizen", "-received_at"], name="case_citizen"),
            models.Index(fields=["unit", "topic", "received_at"], name="case_unit_topic"),
            # Related letters on the case page: same sender, split parts, complaint rounds.
            models.Index(fields=["submitter_phone"], name="case_submitter_phone"),
            models.Index(fields=["submitter_email"], name="case_submitter_email"),
            models.Index(
                fields=["parent"], condition=Q(parent__isnull=False), name="case_parent_set"
            ),
            models.Index(
                fields=["first_round"],
                condition=Q(first_round__isnull=False),
                name="case_first_round_set",
            ),
            models.Index(
                fields=["merged_into"],
                condition=Q(merged_into__isnull=False),
                name="case_merged_into_set",
            ),
            models.Index(
                fields=["agency", "retain_until"],
                condition=Q(archived_at__isnull=False, destroyed_at__isnull=True),
                name="case_retention_due",
            ),
            # Every column the per-agency figures of a period read (cases.stats), so that they
            # read this index and not the rows with the letters' text (evaluation of agencies).
            models.Index(
                fields=[
                    "agency",
                    "received_at",
                    "kind",
                    "status",
                    "merged_into",
                    "process_due",
                    "resolve_due",
                    "accepted_at",
                    "resolved_at",
                    "archived_at",
                    "rating",
                ],
                name="case_period_stats",
            ),
            models.Index(
                fields=["due_on"],
                condition=Q(overdue_since__isnull=True)
                & ~Q(status__in=["resolved", "closed", "declined", "forwarded", "guided"]),
                name="case_open_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="case_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="case_status_valid"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="case_rating_1_5",
            ),
            models.CheckConstraint(
                condition=~Q(kind="denunciation")
                | (
                    Q(submitter_name="")
                    & Q(submitter_phone="")
                    & Q(submitter_email="")
                    & Q(submitter_address="")
                ),
                name="case_denouncer_identity_not_plain",
            ),
            models.CheckConstraint(
                condition=Q(complaint_round__isnull=True) | Q(complaint_round__in=[1, 2]),
                name="case_complaint_round_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:detail", args=[self.pk])


class CaseEvent(models.Model):
    """Append-only history: the citizen's timeline, the officers' record and the audit trail."""

    # Served by case_event_timeline (case first), as the case's own index would duplicate it.
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events", db_index=False)
    action = models.CharField(_("action"), max_length=20, choices=Action)
    from_status = models.CharField(max_length=20, choices=Status, blank=True)
    to_status = models.CharField(max_length=20, choices=Status, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    is_public = models.BooleanField(_("shown to the citizen"), default=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at", "id"], name="case_event_timeline")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("case events are append-only")


class Attachment(models.Model):
    """A file of a case: the citizen's scans and photos, or a document the agency issued.

    Files of a denunciation are sealed (encrypted) at rest: scans show the handwriting.
    """

    class Source(models.TextChoices):
        CITIZEN = "citizen", _("Sent with the letter")
        OFFICER = "officer", _("Added by an officer")
        DOCUMENT = "document", _("Issued document")

    case = models.ForeignKey(  # served by attachment_case (case first)
        Case, on_delete=models.PROTECT, related_name="attachments", db_index=False
    )
    file = models.FileField(_("file"), upload_to="cases/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source, default=Source.CITIZEN)
    document_kind = models.CharField(max_length=30, blank=True)
    is_public = models.BooleanField(_("shown to the citizen"), default=False)
    sealed = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["case", "uploaded_at"], name="attachment_case")]

    def __str__(self) -> str:
        return self.name
