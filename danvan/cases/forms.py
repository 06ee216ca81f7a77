"""What citizens and officers type, checked with Vietnamese messages."""

import re
from datetime import date
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import User
from danvan.accounts.phone import normalize_phone
from danvan.accounts.queries import agency_members
from danvan.accounts.roles import Role
from danvan.core.forms import TextForm
from danvan.core.ratings import RATING_CHOICES
from danvan.core.upload_field import MultipleFileField
from danvan.places.models import Agency, Unit
from danvan.places.queries import served_communes

from .intake import missing_for, missing_message, refused_without, required_for
from .models import Channel, Topic
from .timing import answer_variants
from .workflow import DeclineReason, Kind

TITLE_MAX, CONTENT_MAX = 200, 10_000


ID_NUMBER = re.compile(r"^(\d{9}|\d{12})$")
TOKEN = re.compile(r"\A[0-9A-Za-z_-]{1,40}\Z")  # a key's prefix and 40 fit Case.idempotency_key


class FormTokenField(forms.CharField):
    """The hidden token of one filling of a letter form: the letter's idempotency key."""

    def __init__(self, **kwargs: Any) -> None:
        message = _("This form is no longer valid. Reload the page and send your letter again.")
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("strip", False)  # as sent: the files kept under it use the raw token
        kwargs.setdefault("validators", [RegexValidator(TOKEN, message)])
        kwargs.setdefault("error_messages", {"required": message})
        super().__init__(**kwargs)


class SubmitForm(TextForm):
    kind = forms.ChoiceField(
        label=_("What kind of letter is it?"), choices=Kind.choices, widget=forms.RadioSelect
    )
    unit = forms.ModelChoiceField(
        label=_("Commune or ward concerned"), queryset=Unit.objects.none()
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.none(),
        required=False,
        empty_label=_("I don't know"),
    )
    title = forms.CharField(label=_("Subject"), max_length=TITLE_MAX)
    content = forms.CharField(
        label=_("Content"), max_length=CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )
    place = forms.CharField(label=_("Exact place (street, hamlet)"), max_length=250, required=False)
    anonymous = forms.BooleanField(label=_("Send without my name"), required=False)
    name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(label=_("Your address"), max_length=250, required=False)
    id_number = forms.CharField(
        label=_("Citizen ID number (for a denunciation)"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    attachments = MultipleFileField(
        label=_("Photos or documents"),
        help_text=_("Up to 5 files: photos (JPEG, PNG), PDF, Word or Excel; 10 MB each."),
    )
    form_token = FormTokenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = served_communes()  # type: ignore[attr-defined]
        self.fields["topic"].queryset = Topic.objects.filter(is_public=True, is_active=True)  # type: ignore[attr-defined]
        messages = {
            "kind": _("Choose the kind of letter."),
            "unit": _("Choose the commune or ward concerned."),
            "title": _("Write a short subject."),
            "content": _("Write what happened and what you ask for."),
        }
        for name, message in messages.items():
            self.fields[name].error_messages["required"] = message
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "Choose a commune or ward from the list."
        )
        self.fields["topic"].error_messages["invalid_choice"] = _("Choose a topic from the list.")
        self._mark_conditional()
        self.fields["email"].error_messages["invalid"] = _(
            "Enter a valid email address, for example ten@example.com."
        )

    def _mark_conditional(self) -> None:
        """Fields needed unless the letter is sent without a name are not labelled optional;
        their help says when they are needed (the law's rule for complaints, denunciations)."""
        needs = {
            "name": _("Needed unless you tick 'Send without my name'."),
            "address": _(
                "Needed for a complaint (Article 8 of the Law on Complaints) and a"
                " denunciation (Article 23 of the Law on Denunciations); without it a"
                " denunciation is received only as information (Article 25)."
            ),
            "phone": _("A mobile number or an email is needed unless you send without your name."),
        }
        for name, help_text in needs.items():
            self.fields[name].conditional = True  # type: ignore[attr-defined]
            self.fields[name].help_text = help_text

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        return normalize_phone(raw) if raw else ""

    def clean_id_number(self) -> str:
        value = "".join(self.cleaned_data["id_number"].split())
        if value and not ID_NUMBER.match(value):
            raise forms.ValidationError(
                _("An ID number has 12 digits (citizen ID) or 9 digits (old ID card).")
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("anonymous"):
            kind = data.get("kind", "")
            if refused_without(kind):
                self.add_error("anonymous", missing_message(kind, list(required_for(kind))))
            return data
        kind = data.get("kind", "")
        missing = missing_for(kind, data) if refused_without(kind) else []
        for name in missing:
            self.add_error(name, missing_message(kind, [name]))
        if "name" not in missing and not data.get("name", "").strip():
            self.add_error("name", _("Enter your full name, or tick 'Send without my name'."))
        if (
            not data.get("phone")
            and not data.get("email")
            and not self.has_error("phone")
            and not self.has_error("email")
        ):
            self.add_error(
                "phone", _("Leave a mobile number or an email so that we can answer you.")
            )
        return data


class IntakeForm(SubmitForm):
    """A paper letter or a walk-in, typed by a reception officer, with its scans."""

    channel = forms.ChoiceField(
        label=_("How the letter came"),
        choices=[
            (Channel.PAPER, Channel.PAPER.label),
            (Channel.RECEPTION, Channel.RECEPTION.label),
        ],
        widget=forms.RadioSelect,
    )
    received_on = forms.DateField(
        label=_("Date received"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    people_count = forms.IntegerField(
        label=_("Number of signers"),
        min_value=1,
        max_value=10_000,
        error_messages={
            "min_value": _("Write the number of signers: 1 or more."),
            "max_value": _("Write the number of signers: at most 10,000."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Full name of the citizen")
        self.fields["address"].label = _("Citizen's address")
        self.fields["anonymous"].label = _("The letter carries no name")
        self.fields["attachments"].label = _("Scans of the letter and its documents")

    def clean_received_on(self) -> date:
        received: date = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise forms.ValidationError(_("The date received cannot be in the future."))
        return received


class ImportForm(TextForm):
    file = forms.FileField(
        label=_("Spreadsheet of letters (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={"required": _("Choose the spreadsheet file to import.")},
    )
    partial = forms.BooleanField(
        label=_("Import the good rows even if some rows have errors"), required=False
    )
    dry_run = forms.BooleanField(label=_("Only check the file, import nothing"), required=False)


class AssignForm(TextForm):
    assignee = forms.ModelChoiceField(label=_("Officer"), queryset=User.objects.none())

    def __init__(
        self, *args: Any, agency_id: int | None = None, exclude: int | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        members = agency_members(
            agency_id=agency_id or 0,
            roles=[Role.HANDLING_OFFICER, Role.HEAD, Role.RECEPTION_OFFICER],
        )
        if exclude is not None:  # a head's delegate never designates themselves
            members = members.exclude(pk=exclude)
        self.fields["assignee"].queryset = members.order_by("full_name")  # type: ignore[attr-defined]
        self.fields["assignee"].error_messages["invalid_choice"] = _(
            "Choose an officer of this agency."
        )


class SplitForm(TextForm):
    """One more case cut out of a letter with several contents."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.filter(is_active=True), required=False
    )
    title = forms.CharField(label=_("Subject"), max_length=TITLE_MAX)
    content = forms.CharField(
        label=_("The part of the content it covers"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


# Complexity of a letter, as the deadline rules name their variants (rules.csv).
VARIANTS = {
    "complex": _("Complex"),
    "especially_complex": _("Especially complex"),
    "remote": _("Remote area, hard to travel"),
    "remote+complex": _("Remote area and complex"),
}
TOPIC_UNKNOWN = _("There is no such topic.")
AGENCY_UNKNOWN = _("There is no such agency.")
NOT_ALLOWED_VALUE = _("Choose one of the allowed values.")


class ActionForm(TextForm):
    """A step on a letter. The case page picks a topic or an agency by its row; the API
    names it by its code (`by_code`): the same form, the same checks and messages."""

    def __init__(self, *args: Any, by_code: bool = False, case: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.to_field_name = "code" if by_code else None
            elif isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = NOT_ALLOWED_VALUE
        if case is not None:
            self.for_case(case)

    def for_case(self, case: Any) -> None:
        """Fit the form to the letter it acts on (a form that depends on it overrides this)."""


class ClassifyForm(ActionForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        error_messages={"invalid_choice": TOPIC_UNKNOWN},
    )
    note = forms.CharField(label=_("Note"), required=False)


class AcceptForm(ActionForm):
    variant = forms.ChoiceField(
        label=_("Complexity"),
        required=False,
        choices=[("", _("Usual")), *VARIANTS.items()],
        help_text=_("Sets the resolution deadline where the law allows more time."),
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def for_case(self, case: Any) -> None:
        """Only the complexities the rule timing this letter's answer knows; none to choose
        (feedback): the field is hidden and takes only the usual deadline."""
        known = answer_variants(kind=case.kind, on=timezone.localdate(),
                                second_round=case.complaint_round == 2)  # fmt: skip
        field = self.fields["variant"]
        field.choices = [(v, label) for v, label in field.choices if not v or v in known]  # type: ignore[attr-defined]
        if not known:
            field.widget = forms.HiddenInput()


class DeclineForm(ActionForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)
    note = forms.CharField(
        label=_("Explanation to the citizen"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ForwardForm(ActionForm):
    agency = forms.ModelChoiceField(
        label=_("Competent agency"),
        queryset=Agency.objects.filter(is_active=True),
        error_messages={"invalid_choice": AGENCY_UNKNOWN},
    )
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(ActionForm):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class RequiredNoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtendForm(ActionForm):
    variant = forms.ChoiceField(
        label=_("Complexity"),
        required=False,
        choices=[
            ("", _("As before")),
            ("complex", VARIANTS["complex"]),
            ("especially_complex", VARIANTS["especially_complex"]),
        ],
    )
    note = forms.CharField(
        label=_("Reason for the extension"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolveForm(ActionForm):
    answer = forms.CharField(
        label=_("Answer to the citizen"), widget=forms.Textarea(attrs={"rows": 6})
    )


class RateForm(TextForm):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        coerce=int,
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TrackForm(TextForm):
    code = forms.CharField(label=_("Tracking code"), max_length=20)
