"""The overview's filters and the report's choices: selections only, checked against
what exists (a period code, a commune of the province, a topic, a kind)."""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.cases.models import Topic
from danvan.cases.workflow import Kind
from danvan.core.forms import TextForm
from danvan.places.models import Unit

from .periods import Period, period_codes, period_parse

YEARS_BACK = 3


def period_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    this_year = timezone.localdate().year
    groups = []
    for year in range(this_year, this_year - YEARS_BACK, -1):
        groups.append((str(year), [(code, _period_label(code)) for code in period_codes(year)]))
    return groups


def _period_label(code: str) -> str:
    period = period_parse(code)
    return period.label_vi if period else code


class FiltersForm(TextForm):
    period = forms.ChoiceField(label=_("Period"))
    unit = forms.TypedChoiceField(label=_("Commune or ward"), coerce=int, required=False,
                                  empty_value=None)  # fmt: skip
    topic = forms.TypedChoiceField(label=_("Topic"), coerce=int, required=False,
                                   empty_value=None)  # fmt: skip
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args: Any, communes: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        topics = Topic.objects.filter(is_active=True).order_by("position", "name")
        choices: dict[str, Any] = {
            "period": period_choices(),
            "unit": everything + [(u.pk, u.name) for u in communes],
            "topic": everything + [(t.pk, t.name) for t in topics],
            "kind": everything + list(Kind.choices),
        }
        for name, options in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = options

    def chosen_period(self) -> Period:
        period = period_parse(self.cleaned_data["period"])
        if period is None:  # the choices are valid codes: never
            raise ValueError(self.cleaned_data["period"])
        return period
