"""What the supervisor and the units type in a round, checked with Vietnamese messages."""

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import User
from danvan.accounts.queries import agency_members
from danvan.core.forms import ModelMultipleIdField, TextForm
from danvan.core.upload_field import MultipleFileField
from danvan.places.models import Agency

from .access import UNIT_ROLES
from .models import CriteriaSet, Criterion, Disqualifier, SetStatus

LINK_MAX = 10


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(TextForm):
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100)
    criteria_set = forms.ModelChoiceField(
        label=_("Criteria set"), queryset=CriteriaSet.objects.none()
    )
    self_due = forms.DateField(label=_("Self-assessment due"), widget=_date_input())
    review_due = forms.DateField(label=_("Review due"), widget=_date_input())
    agencies = ModelMultipleIdField(
        label=_("Units scored"), queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one unit.")},
    )  # fmt: skip

    def __init__(self, *args: Any, province_ids: set[int], candidates: list[Agency],
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        sets = CriteriaSet.objects.filter(province_id__in=province_ids).exclude(
            status=SetStatus.DRAFT
        )
        self.fields["criteria_set"].queryset = sets.order_by("-effective_from", "-version")  # type: ignore[attr-defined]
        agencies = self.fields["agencies"]
        agencies.queryset = Agency.objects.filter(pk__in=[a.pk for a in candidates])  # type: ignore[attr-defined]
        order = {a.pk: n for n, a in enumerate(candidates)}
        agencies.choices = sorted(  # type: ignore[attr-defined]
            ((a.pk, a.name) for a in candidates), key=lambda choice: order[choice[0]]
        )
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)
            self.initial.setdefault("agencies", [a.pk for a in candidates])


def points_text(value: Decimal) -> str:
    """30 for 30.00, 27,5 for 27.50: points as a person writes them."""
    if value == value.to_integral_value():
        return str(int(value))
    return number_format(value.normalize())


class PointsField(forms.DecimalField):
    """Points typed with a comma (27,5, as Vietnamese writes it) or a point (27.5)."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def _points_field(criterion: Criterion, label: Any) -> forms.DecimalField:
    return PointsField(
        label=label, min_value=Decimal(0), max_value=criterion.max_points, decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": _("Give the points."),
            "max_value": _("At most %(max)s points.") % {"max": points_text(criterion.max_points)},
            "min_value": _("At least 0 points."),
            "invalid": _("Give the points as a number, e.g. 27,5."),
        },
    )  # fmt: skip


class SelfScoreForm(TextForm):
    points = forms.DecimalField()  # replaced in __init__ with the line's own limits
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    evidence = MultipleFileField(label=_("Evidence files"))
    links = forms.CharField(
        label=_("Links to records in the platform"), required=False, max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line, e.g. /doi-thoai/12/ or the address of a letter's page."),
    )  # fmt: skip

    def __init__(self, *args: Any, criterion: Criterion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["points"] = _points_field(criterion, _("Points (self-assessed)"))

    def clean_links(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > LINK_MAX:
            raise forms.ValidationError(_("At most %(n)s links."), params={"n": LINK_MAX})
        return [platform_path(line) for line in lines]


def platform_path(text: str) -> str:
    """The path of a page of this platform, from a path or a full address; refused when it
    leads nowhere here (an outside address, a typo)."""
    path = text
    if "://" in text:
        path = "/" + text.split("://", 1)[1].partition("/")[2]
    path = path.split("#", 1)[0]
    try:
        resolve(path.split("?", 1)[0])
    except Resolver404:
        raise forms.ValidationError(
            _("%(link)s is not a page of the platform."), params={"link": text}
        ) from None
    return path


class ReviewScoreForm(TextForm):
    points = forms.DecimalField()
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args: Any, criterion: Criterion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["points"] = _points_field(criterion, _("Points (reviewed)"))


class AssessorForm(TextForm):
    assessor = forms.ModelChoiceField(
        label=_("Officer who self-assesses"), queryset=User.objects.none(), required=False,
        empty_label=_("The head alone"),
    )  # fmt: skip

    def __init__(self, *args: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = [role.value for role in UNIT_ROLES]
        officials: QuerySet[User] = agency_members(agency_id=agency_id, roles=roles)
        self.fields["assessor"].queryset = officials.order_by("full_name")  # type: ignore[attr-defined]


class EligibilityForm(TextForm):
    eligible = forms.TypedChoiceField(
        label=_("Eligible for a tier"), coerce=lambda value: value == "yes",
        choices=[("yes", _("Eligible")), ("no", _("Not eligible"))], widget=forms.RadioSelect,
    )  # fmt: skip
    disqualifier = forms.ModelChoiceField(
        label=_("Condition of the criteria set"), queryset=Disqualifier.objects.none(),
        required=False,
    )  # fmt: skip
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args: Any, criteria_set: CriteriaSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["disqualifier"].queryset = criteria_set.disqualifiers.all()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("eligible") is False and not data.get("reason", "").strip():
            self.add_error("reason", _("Give the reason why the unit is not eligible."))
        return data
