from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import TextModelForm

from .models import CalendarDay, RuleSetting
from .store import configurable_codes


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin[CalendarDay]):
    form = TextModelForm
    list_display = ["day", "is_working_day", "reason"]
    list_filter = ["is_working_day"]
    date_hierarchy = "day"


class RuleSettingForm(TextModelForm):
    class Meta:
        model = RuleSetting
        fields = ["code", "days", "day_type", "roll_forward", "basis"]

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip().upper()
        allowed = configurable_codes(timezone.localdate())
        if code not in allowed:
            raise forms.ValidationError(
                _("Only rules not confirmed in the legal text can be changed: %(codes)s"),
                params={"codes": ", ".join(allowed)},
            )
        return code


@admin.register(RuleSetting)
class RuleSettingAdmin(admin.ModelAdmin[RuleSetting]):
    form = RuleSettingForm
    list_display = ["code", "days", "day_type", "roll_forward", "basis"]
