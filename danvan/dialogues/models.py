"""Dialogue conferences, the questions citizens send, the minutes, and the commitments made."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.cases.models import Case
from danvan.places.models import Agency, Unit


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    OPEN = "open", _("Open for questions")
    HELD = "held", _("Held")
    CLOSED = "closed", _("Closed")


class Dialogue(models.Model):
    """A dialogue conference with citizens of one subject group or issue group."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organiser = models.ForeignKey(
        Agency,
        verbose_name=_("organising agency"),
        on_delete=models.PROTECT,
        related_name="organised_dialogues",
    )
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("agencies attending"), related_name="+", blank=True
    )
    # The unit whose accountability page lists its commitments (the organiser's own unit).
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    audience = models.CharField(_("subject group"), max_length=200, blank=True)
    issue_group = models.CharField(_("issue group"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=250, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    invitations = models.TextField(
        _("invitation list"), blank=True, help_text=_("One person or organisation per line.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dialogue conference")
        verbose_name_plural = _("dialogue conferences")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["organiser", "-starts_at"], name="dialogue_organiser"),
            models.Index(fields=["unit", "-starts_at"], name="dialogue_unit"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="dialogue_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""), name="dialogue_place_or_link"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("dialogues:detail", args=[self.pk])

    def invitation_lines(self) -> list[str]:
        return [line.strip() for line in self.invitations.splitlines() if line.strip()]


class QuestionGroup(models.Model):
    """Similar questions the organisers answer together (proposed by similarity, confirmed)."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="groups")
    title = models.CharField(_("group title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A citizen's question, sent ahead or raised in the room; its answer is the minutes."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.PROTECT, related_name="questions")
    text = models.TextField(_("question"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    contact = models.CharField(_("contact"), max_length=150, blank=True)
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    from_floor = models.BooleanField(_("raised in the room"), default=False)
    submitted_at = models.DateTimeField(default=timezone.now)
    votes = models.PositiveIntegerField(_("votes"), default=0)  # all of them
    anonymous_votes = models.PositiveIntegerField(_("votes without an account"), default=0)
    group = models.ForeignKey(
        QuestionGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    # Moderation is for abuse only (insults, personal data of others, spam), never criticism.
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answering official"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-votes", "id"]
        indexes = [models.Index(fields=["dialogue", "-votes", "id"], name="question_dialogue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer="")
                | Q(answered_by__isnull=False, answered_agency__isnull=False),
                name="question_answer_has_official",
            ),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="question_hidden_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(anonymous_votes__lte=F("votes")), name="question_anonymous_votes_in_all"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def account_votes(self) -> int:
        return self.votes - self.anonymous_votes

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class QuestionVote(models.Model):
    """One vote per account (`u:<id>`) or per browser session (`s:<key>`). A vote without
    an account keeps a keyed hash of the client address (never the address itself), so
    the votes from one address can be counted and capped (DANVAN_VOTES_PER_ADDRESS)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    voter = models.CharField(max_length=60)
    address = models.CharField(max_length=64, blank=True)  # "" for an account's vote
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "voter"], name="question_vote_once")
        ]
        indexes = [
            models.Index(
                fields=["question", "address"],
                condition=~Q(address=""),
                name="question_vote_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}:{self.voter}"


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Commitment(models.Model):
    """A promise made in an answer: who keeps it, by when, and how it is going.

    "Overdue" is not stored: it is a commitment not done whose due date has passed.
    """

    dialogue = models.ForeignKey(Dialogue, on_delete=models.PROTECT, related_name="commitments")
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, null=True, blank=True, related_name="commitments"
    )
    text = models.TextField(_("commitment"))
    owner = models.ForeignKey(
        Agency, verbose_name=_("owner agency"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=CommitmentStatus, default=CommitmentStatus.OPEN
    )
    # A commitment made in the dialogue step of a complaint (LKN Art. 30 and 39).
    case = models.ForeignKey(
        Case,
        verbose_name=_("complaint"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on", "id"], name="commitment_owner"),
            models.Index(
                fields=["due_on"], condition=~Q(status="done"), name="commitment_open_due"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CommitmentStatus.values), name="commitment_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_at__isnull=False),
                name="commitment_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def is_overdue_on(self, day: date) -> bool:
        return self.status != CommitmentStatus.DONE and self.due_on < day

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())


class CommitmentUpdate(models.Model):
    """A progress report with its evidence; a closing one carries a file or a document link."""

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="updates")
    text = models.TextField(_("progress"))
    document_link = models.URLField(_("link to a document"), blank=True)
    closes = models.BooleanField(_("closes the commitment"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["commitment", "at"], name="commitment_update")]

    def __str__(self) -> str:
        return f"{self.commitment_id} {self.at:%Y-%m-%d}"


class Evidence(models.Model):
    """A file attached to a progress update, checked by content (core.uploads)."""

    update = models.ForeignKey(CommitmentUpdate, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to="commitments/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.name


class Reminder(models.Model):
    """An outbox row: one reminder to one official about one commitment (unique key)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("No address")

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=120, unique=True)
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    days_before = models.SmallIntegerField()
    state = models.CharField(max_length=10, choices=State, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)  # the last claim (outbox.claim)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "created_at"], name="dialogue_reminder_state")]

    def __str__(self) -> str:
        return self.key
