"""Cases (letters), their topics and routing, their append-only events, and attachments."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.places.models import Agency, Unit

from .workflow import Action, DeclineReason, Kind, Status


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


class DocumentNumber(models.Model):
    """The running number of an agency's outgoing documents in a year ("Số: 12/TB-UBND")."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="document_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


class HeldFile(models.Model):
    """A checked file of a letter form that came back with an error, kept for the next try.

    Bound to the form's token and to the session that sent it (`holder`, a random value kept
    in that session); always sealed, as the letter may still become a denunciation. Deleted
    once the letter is sent, when removed on the form, or after a day (cases.held).
    """

    token = models.CharField(max_length=64)
    holder = models.CharField(max_length=64)
    file = models.FileField(upload_to="held/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("file kept for a letter form")
        verbose_name_plural = _("files kept for letter forms")
        indexes = [
            models.Index(fields=["holder", "token"], name="held_file_form"),
            models.Index(fields=["created_at"], name="held_file_age"),
        ]

    def __str__(self) -> str:
        return self.name
