"""Reception schedules and their sessions, leaders' leave, the logbook (Form 03 of
TT 04/2021) and citizens' bookings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from danvan.cases.workflow import Kind
from danvan.places.models import Agency

from .rules import LeaderRole as LegalRole
from .rules import Period


class LeaderRole(models.TextChoices):
    COMMUNE_CHAIR = LegalRole.COMMUNE_CHAIR.value, _("Chair of a commune People's Committee")
    PROVINCIAL_CHAIR = (
        LegalRole.PROVINCIAL_CHAIR.value,
        _("Chair of the provincial People's Committee"),
    )
    AGENCY_HEAD = LegalRole.AGENCY_HEAD.value, _("Head of an agency")


class Frequency(models.TextChoices):
    WEEKLY = Period.WEEK.value, _("Weekly")
    MONTHLY = Period.MONTH.value, _("Monthly")


class ReceptionSchedule(models.Model):
    """A leader's periodic reception days: "every Friday", "the 15th of each month"."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("leader"), on_delete=models.PROTECT,
        related_name="reception_schedules",
    )  # fmt: skip
    leader_role = models.CharField(_("leader's office"), max_length=20, choices=LeaderRole)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
        related_name="reception_schedules",
    )  # fmt: skip
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency)
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), null=True, blank=True, help_text=_("0 = Monday … 6 = Sunday.")
    )
    day_of_month = models.PositiveSmallIntegerField(_("day of the month"), null=True, blank=True)
    roll_forward = models.BooleanField(
        _("move to the next working day"),
        default=True,
        help_text=_("When the chosen day is a holiday or a weekend."),
    )
    place = models.CharField(_("place"), max_length=250)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("reception schedule")
        verbose_name_plural = _("reception schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    frequency="weekly",
                    weekday__isnull=False,
                    weekday__lte=6,
                    day_of_month__isnull=True,
                )
                | Q(
                    frequency="monthly",
                    weekday__isnull=True,
                    day_of_month__isnull=False,
                    day_of_month__gte=1,
                    day_of_month__lte=31,
                ),
                name="reception_schedule_day_matches_frequency",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="reception_schedule_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader} · {self.agency}"

    @property
    def weekday_name(self) -> str:
        return str(WEEKDAYS[self.weekday]) if self.weekday is not None else ""


class LeaderLeave(models.Model):
    """A leader away from `starts_on` to `ends_on` inclusive, with the deputy proposed."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("leader"), on_delete=models.CASCADE,
        related_name="reception_leaves",
    )  # fmt: skip
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("deputy"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("leader's leave")
        verbose_name_plural = _("leaders' leave")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="leader_leave_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader}: {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"


class SessionKind(models.TextChoices):
    PERIODIC = "periodic", _("Periodic")
    AD_HOC = "ad_hoc", _("Ad hoc")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
    # The leader is away and the law no longer lets a deputy stand in (Luật 136/2025):
    # the leader sets a make-up day (an ad-hoc session) instead.
    TO_RESCHEDULE = "to_reschedule", _("To be rescheduled by the leader")


class ReceptionSession(models.Model):
    schedule = models.ForeignKey(
        ReceptionSchedule, verbose_name=_("schedule"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="sessions",
    )  # fmt: skip
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
        related_name="reception_sessions",
    )  # fmt: skip
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("leader"), on_delete=models.PROTECT,
        related_name="reception_sessions",
    )  # fmt: skip
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("standing in"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    held_on = models.DateField(_("date"))
    chosen_day = models.DateField(
        _("day by the schedule"), null=True, blank=True,
        help_text=_("Before moving to the next working day."),
    )  # fmt: skip
    place = models.CharField(_("place"), max_length=250)
    kind = models.CharField(_("kind"), max_length=10, choices=SessionKind)
    status = models.CharField(
        _("status"), max_length=15, choices=SessionStatus, default=SessionStatus.PLANNED
    )
    capacity = models.PositiveSmallIntegerField(_("slots for online booking"), default=20)
    conclusion = models.TextField(_("conclusions"), blank=True)

    class Meta:
        verbose_name = _("reception session")
        verbose_name_plural = _("reception sessions")
        ordering = ["held_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "chosen_day"], name="reception_session_once_per_chosen_day"
            ),
            models.CheckConstraint(
                condition=Q(kind="ad_hoc") | Q(schedule__isnull=False, chosen_day__isnull=False),
                name="reception_session_periodic_has_schedule",
            ),
        ]
        indexes = [models.Index(fields=["agency", "held_on"], name="reception_session_day")]

    def __str__(self) -> str:
        return f"{self.agency} · {self.held_on:%d/%m/%Y}"


class Route(models.TextChoices):
    """Form 03's handling route, or the refusal of LTCD Art. 9."""

    ACCEPT = "accept", _("Accepted for resolution")
    GUIDE = "guide", _("Returned with guidance")
    FORWARD = "forward", _("Forwarded to the competent body")
    REFUSED = "refused", _("Refused (LTCD Art. 9)")


class RefusalGround(models.TextChoices):
    """LTCD Art. 9: the three cases in which a reception officer may refuse."""

    INCAPABLE = (
        "incapable",
        _("Intoxicated, mentally ill or otherwise unable to understand or control their actions"),
    )
    MISCONDUCT = "misconduct", _("Threatens or insults staff or breaks the reception rules")
    SETTLED = (
        "settled",
        _(
            "Persists with a matter resolved correctly, reviewed, notified in writing and "
            "already received and guided"
        ),
    )


class ReceptionEntry(models.Model):
    """A row of the reception logbook (Sổ tiếp công dân, Form 03 of TT 04/2021).

    For a denunciation the citizen's name, ID number and address stay empty here: they are
    sealed with the case (Luật Tố cáo Art. 47); the database refuses them otherwise.
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(
        ReceptionSession, verbose_name=_("session"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="entries",
    )  # fmt: skip
    received_on = models.DateField(_("date"))
    citizen_name = models.CharField(_("full name"), max_length=150, blank=True)
    id_number = models.CharField(_("ID number"), max_length=12, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    content = models.TextField(_("content"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    group_size = models.PositiveSmallIntegerField(_("number of people"), default=1)
    representatives = models.JSONField(_("representatives"), default=list, blank=True)
    earlier_handling = models.CharField(
        _("authority that handled it before"), max_length=250, blank=True
    )
    route = models.CharField(_("handling route"), max_length=10, choices=Route)
    refusal_ground = models.CharField(
        _("ground for refusal"), max_length=12, choices=RefusalGround, blank=True
    )
    result = models.TextField(_("result"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("letter"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("reception logbook entry")
        verbose_name_plural = _("reception logbook")
        constraints = [
            models.CheckConstraint(
                condition=Q(route="refused", case__isnull=True) & ~Q(refusal_ground="")
                | ~Q(route="refused") & Q(case__isnull=False, refusal_ground=""),
                name="reception_entry_refused_xor_case",
            ),
            models.CheckConstraint(
                condition=~Q(kind="denunciation") | Q(citizen_name="", id_number="", address=""),
                name="reception_entry_no_plain_denouncer",
            ),
            models.CheckConstraint(
                condition=Q(group_size__gte=1), name="reception_entry_group_size_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "-received_on", "-id"], name="reception_entry_log")
        ]

    def __str__(self) -> str:
        return f"{self.received_on:%d/%m/%Y} · {self.get_kind_display()}"


class Booking(models.Model):
    """A citizen's request for a slot at an upcoming session, with the matter in brief."""

    session = models.ForeignKey(
        ReceptionSession, verbose_name=_("session"), on_delete=models.PROTECT,
        related_name="bookings",
    )  # fmt: skip
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("citizen account"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("mobile phone"), max_length=12)
    matter = models.TextField(_("the matter"))
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)

    class Meta:
        verbose_name = _("reception booking")
        verbose_name_plural = _("reception bookings")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "phone"], name="booking_once_per_phone")
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.session}"
