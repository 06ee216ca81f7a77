from django import forms
from django.utils.translation import gettext_lazy as _

from danvan.core.forms import TextForm

from .models import DataRequest


class DataRequestForm(TextForm):
    kind = forms.ChoiceField(
        label=_("What do you ask for?"),
        choices=DataRequest.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you ask for.")},
    )
    details = forms.CharField(
        label=_("Details"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Which data (e.g. the tracking code of a letter) and what should change. "
            "Do not write other people's personal data here."
        ),
        error_messages={
            "required": _("Describe your request."),
            "max_length": _("Please keep it under %(limit_value)d characters."),
        },
    )
