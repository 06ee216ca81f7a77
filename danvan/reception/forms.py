"""What reception officers and citizens type, checked with Vietnamese messages."""

import re
from collections.abc import Collection
from datetime import date, timedelta
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES
from django.utils.translation import gettext_lazy as _

from danvan.accounts.access import AnyUser, agency_ids_of
from danvan.accounts.models import User
from danvan.accounts.phone import normalize_phone
from danvan.cases.access import ACTING_ROLES, visible_cases
from danvan.cases.forms import FormTokenField
from danvan.cases.models import Case
from danvan.cases.queries import case_by_tracking_code
from danvan.cases.workflow import Kind
from danvan.core.forms import TextForm
from danvan.places.models import Agency, Unit
from danvan.places.queries import served_communes

from .models import Frequency, LeaderRole, ReceptionSession, RefusalGround, Route
from .services import ReceptionError, check_group

ID_NUMBER = re.compile(r"^(\d{9}|\d{12})$")
CONTENT_MAX, MATTER_MAX = 10_000, 1_000
SESSION_DAYS_BACK = 7
WEEKDAYS = list(WEEKDAY_NAMES.items())


class EntryForm(TextForm):
    """One row of the logbook (Form 03 of TT 04/2021), an accepted matter or a refusal."""

    form_token = FormTokenField()
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    session = forms.ModelChoiceField(
        label=_("Reception session"), queryset=ReceptionSession.objects.none(), required=False,
        empty_label=_("Regular reception (no session)"),
    )  # fmt: skip
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, widget=forms.RadioSelect)
    content = forms.CharField(
        label=_("Content"), max_length=CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    unit = forms.ModelChoiceField(
        label=_("Commune or ward concerned"), queryset=Unit.objects.none(), required=False
    )
    name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    id_number = forms.CharField(label=_("ID number"), max_length=12, required=False)
    address = forms.CharField(label=_("Address"), max_length=250, required=False)
    phone = forms.CharField(label=_("Mobile number"), max_length=20, required=False)
    group_size = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=10_000,
                                    initial=1)  # fmt: skip
    representatives = forms.CharField(
        label=_("Representatives (one name per line)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    earlier_handling = forms.CharField(
        label=_("Authority that handled it before"), max_length=250, required=False
    )
    route = forms.ChoiceField(label=_("Handling route"), choices=Route.choices,
                              widget=forms.RadioSelect)  # fmt: skip
    refusal_ground = forms.ChoiceField(
        label=_("Ground for refusal"), choices=[("", "—"), *RefusalGround.choices], required=False
    )
    existing_case = forms.CharField(
        label=_("Tracking code of a letter already registered"), max_length=20, required=False,
        help_text=_("Leave empty to register a new letter."),
    )  # fmt: skip
    result = forms.CharField(
        label=_("Result, or the explanation of a refusal"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: AnyUser, agency_ids: Collection[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=agency_ids)  # type: ignore[attr-defined]
        today = timezone.localdate()
        self.fields["session"].queryset = ReceptionSession.objects.filter(  # type: ignore[attr-defined]
            agency_id__in=agency_ids, held_on__range=(today - timedelta(SESSION_DAYS_BACK), today)
        ).select_related("agency")
        self.fields["unit"].queryset = served_communes()  # type: ignore[attr-defined]
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "Please choose a commune or ward from the list."
        )

    def clean_id_number(self) -> str:
        value: str = self.cleaned_data["id_number"].strip()
        if value and not ID_NUMBER.match(value):
            raise forms.ValidationError(_("An ID number has 9 or 12 digits."))
        return value

    def clean_phone(self) -> str:
        value: str = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        return normalize_phone(value)

    def clean_representatives(self) -> list[str]:
        text: str = self.cleaned_data["representatives"]
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean_existing_case(self) -> Case | None:
        code: str = self.cleaned_data["existing_case"].strip()
        if not code:
            return None
        case = case_by_tracking_code(code)
        acting = agency_ids_of(self.user, roles=ACTING_ROLES)
        if (
            case is None
            or case.agency_id not in acting
            or not visible_cases(self.user).filter(pk=case.pk).exists()
        ):
            raise forms.ValidationError(_("No letter of your agency has this tracking code."))
        return case

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        refused = data.get("route") == Route.REFUSED
        if refused:
            self._clean_refusal(data)
        else:
            self._clean_accepted(data)
        session = data.get("session")
        if session and data.get("agency") and session.agency_id != data["agency"].pk:
            self.add_error("session", _("This session belongs to another agency."))
        if "group_size" in data and "representatives" in data:
            try:
                check_group(data["group_size"], data["representatives"])
            except ReceptionError as error:
                self.add_error("representatives", str(error))
        return data

    def _clean_refusal(self, data: dict[str, Any]) -> None:
        if not data.get("refusal_ground"):
            self.add_error("refusal_ground", _("Choose the ground for refusal in the law."))
        if not data.get("result", "").strip():
            self.add_error("result", _("Explain to the citizen why they were refused."))
        if data.get("existing_case"):
            self.add_error("existing_case", _("A refused visit is not linked to a letter."))

    def _clean_accepted(self, data: dict[str, Any]) -> None:
        if data.get("refusal_ground"):
            self.add_error("refusal_ground", _("A ground for refusal is only for a refusal."))
        if data.get("existing_case"):
            return
        if not data.get("name", "").strip():
            self.add_error("name", _("Please enter the citizen's full name."))
        if not data.get("unit"):
            self.add_error("unit", _("Choose the commune or ward the matter concerns."))


class BookingForm(TextForm):
    name = forms.CharField(label=_("Full name"), max_length=150,
                           error_messages={"required": _("Please enter your full name.")})  # fmt: skip
    phone = forms.CharField(
        label=_("Mobile number"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("Please enter your mobile number.")},
    )  # fmt: skip
    matter = forms.CharField(
        label=_("Your matter, in a few lines"), max_length=MATTER_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please write your matter in a few lines.")},
    )  # fmt: skip

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])


class SessionStatusForm(TextForm):
    status = forms.ChoiceField(choices=[("held", _("Held")), ("cancelled", _("Cancelled"))])
    conclusion = forms.CharField(label=_("Conclusions"), required=False, widget=forms.Textarea)


def _not_past(day: date) -> date:
    if day < timezone.localdate():
        raise forms.ValidationError(_("This date has passed. Please choose today or later."))
    return day


class _AgencyForm(TextForm):
    """A form about one of the agencies the officer keeps the reception of."""

    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=User.objects.none())

    def __init__(self, *args: Any, agency_ids: Collection[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=agency_ids)  # type: ignore[attr-defined]
        self.fields["leader"].queryset = leaders_of(agency_ids)  # type: ignore[attr-defined]
        self.fields["leader"].label_from_instance = lambda user: user.full_name  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agency, leader = data.get("agency"), data.get("leader")
        if agency and leader and not leaders_of([agency.pk]).filter(pk=leader.pk).exists():
            self.add_error("leader", _("This person does not work in the chosen agency."))
        return data


def leaders_of(agency_ids: Collection[int]) -> QuerySet[User]:
    """Who may lead a reception of these agencies: their current members and the leaders
    of their schedules (a provincial chair need not be a platform member of the agency)."""
    today = timezone.localdate()
    member = Q(memberships__agency_id__in=agency_ids, memberships__started_on__lte=today) & (
        Q(memberships__ended_on__isnull=True) | Q(memberships__ended_on__gte=today)
    )
    scheduled = Q(reception_schedules__agency_id__in=agency_ids)
    return User.objects.filter(member | scheduled, is_active=True).distinct().order_by("full_name")


class ScheduleForm(_AgencyForm):
    leader_role = forms.ChoiceField(label=_("Leader's office"), choices=LeaderRole.choices)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices,
                                  widget=forms.RadioSelect)  # fmt: skip
    weekday = forms.TypedChoiceField(
        label=_("Day of the week (weekly)"), choices=[("", "—"), *WEEKDAYS], coerce=int,
        required=False, empty_value=None,
    )  # fmt: skip
    day_of_month = forms.IntegerField(label=_("Day of the month (monthly)"), min_value=1,
                                      max_value=31, required=False)  # fmt: skip
    roll_forward = forms.BooleanField(
        label=_("Move to the next working day when the day is a holiday or a weekend"),
        required=False, initial=True,
    )  # fmt: skip
    place = forms.CharField(label=_("Place"), max_length=250)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until (leave empty if open-ended)"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip

    def clean_starts_on(self) -> date:
        return _not_past(self.cleaned_data["starts_on"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        weekly = data.get("frequency") == Frequency.WEEKLY
        if weekly and data.get("weekday") is None:
            self.add_error("weekday", _("Choose the day of the week for a weekly schedule."))
        if data.get("frequency") == Frequency.MONTHLY and not data.get("day_of_month"):
            self.add_error("day_of_month", _("Choose the day of the month for a monthly schedule."))
        ends, starts = data.get("ends_on"), data.get("starts_on")
        if ends and starts and ends < starts:
            self.add_error("ends_on", _("The end date is before the start date."))
        return data


class LeaveForm(_AgencyForm):
    starts_on = forms.DateField(
        label=_("Away from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Away until"), widget=forms.DateInput(attrs={"type": "date"}))
    deputy = forms.ModelChoiceField(
        label=_("Deputy standing in (only before 01/07/2026)"), queryset=User.objects.none(),
        required=False,
    )  # fmt: skip
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, agency_ids: Collection[int], **kwargs: Any):
        super().__init__(*args, agency_ids=agency_ids, **kwargs)
        self.fields["deputy"].queryset = leaders_of(agency_ids)  # type: ignore[attr-defined]
        self.fields["deputy"].label_from_instance = lambda user: user.full_name  # type: ignore[attr-defined]

    def clean_ends_on(self) -> date:
        return _not_past(self.cleaned_data["ends_on"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date is before the start date."))
        if data.get("deputy") and data.get("deputy") == data.get("leader"):
            self.add_error("deputy", _("A leader cannot stand in for themselves."))
        return data


class AdHocSessionForm(_AgencyForm):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=250)
    capacity = forms.IntegerField(label=_("Slots for online booking"), min_value=0,
                                  max_value=500, initial=20)  # fmt: skip

    def clean_held_on(self) -> date:
        return _not_past(self.cleaned_data["held_on"])
