"""What administrators add to the legal rules: calendar swaps and values for unconfirmed rules."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.deadlines.rules import DayType


class CalendarDay(models.Model):
    """A day the government made a working day (a swapped Saturday) or a day off."""

    day = models.DateField(_("day"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"),
        help_text=_("Ticked: a working day (e.g. a swapped Saturday). Not ticked: a day off."),
    )
    reason = models.CharField(
        _("reason"), max_length=200, help_text=_("For example the decision that set it.")
    )

    class Meta:
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}: {self.reason}"


class RuleSetting(models.Model):
    """An administrator's value for a rule whose legal text is not confirmed."""

    code = models.CharField(_("rule code"), max_length=20, unique=True)
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)
    day_type = models.CharField(
        _("day type"),
        max_length=10,
        blank=True,
        choices=[
            (DayType.CALENDAR.value, _("calendar days")),
            (DayType.WORKING.value, _("working days")),
        ],
    )
    roll_forward = models.BooleanField(
        _("move to the next working day"),
        null=True,
        blank=True,
        help_text=_("When a calendar-day deadline ends on a day off."),
    )
    basis = models.CharField(_("basis for this value"), max_length=250)

    class Meta:
        verbose_name = _("deadline rule setting")
        verbose_name_plural = _("deadline rule settings")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code
