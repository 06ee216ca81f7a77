"""What citizens and officials type about dialogues, checked with Vietnamese messages."""

from datetime import date, datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.accounts.access import AnyUser
from danvan.accounts.models import User
from danvan.accounts.queries import agency_members
from danvan.accounts.roles import OFFICIAL_ROLES
from danvan.cases.access import visible_cases
from danvan.cases.models import Case
from danvan.cases.workflow import Kind
from danvan.core.forms import ModelMultipleIdField, TextForm
from danvan.core.upload_field import MultipleFileField
from danvan.places.models import Agency

from .models import Dialogue, Question
from .services import MESSAGES

QUESTION_MAX = 2_000
OFFICIAL_ROLE_VALUES = [role.value for role in OFFICIAL_ROLES]


def _officials(agency_ids: list[int]) -> QuerySet[User]:
    users = User.objects.none()
    for agency_id in agency_ids:
        users = users | agency_members(agency_id=agency_id, roles=OFFICIAL_ROLE_VALUES)
    return users.distinct().order_by("full_name")


class DialogueForm(TextForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    organiser = forms.ModelChoiceField(label=_("Organising agency"), queryset=Agency.objects.none())
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=User.objects.none())
    agencies = ModelMultipleIdField(
        label=_("Agencies attending"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    audience = forms.CharField(
        label=_("Subject group"),
        max_length=200,
        required=False,
        help_text=_("For example: workers of an industrial zone."),
    )
    issue_group = forms.CharField(
        label=_("Issue group"),
        max_length=200,
        required=False,
        help_text=_("For example: households affected by a site clearance."),
    )
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=250, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    invitations = forms.CharField(
        label=_("Invitation list"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One person or organisation per line."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, agency_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Agency.objects.filter(pk__in=agency_ids)  # type: ignore[attr-defined]
        self.fields["chair"].queryset = _officials(sorted(agency_ids))  # type: ignore[attr-defined]
        self.fields["title"].error_messages["required"] = _("Please give the dialogue a title.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("place") and not data.get("online_link"):
            self.add_error("place", _("Give the place of the dialogue or an online link."))
        if data.get("day") and data.get("time"):
            starts_at = timezone.make_aware(datetime.combine(data["day"], data["time"]))
            if starts_at < timezone.now():
                self.add_error("day", MESSAGES["past_start"])
            data["starts_at"] = starts_at
        return data


class QuestionForm(TextForm):
    text = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": MESSAGES["empty_question"]},
    )
    name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    contact = forms.CharField(
        label=_("Phone or email, if you want an answer"), max_length=150, required=False
    )

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).strip()
        if not text:
            raise forms.ValidationError(MESSAGES["empty_question"])
        return text


class HideForm(TextForm):
    reason = forms.CharField(
        label=_("Reason (abuse only)"),
        max_length=300,
        error_messages={"required": MESSAGES["no_reason"]},
    )


class GroupForm(TextForm):
    title = forms.CharField(label=_("Group title"), max_length=200)
    questions = ModelMultipleIdField(
        label=_("Questions"), queryset=Question.objects.none(), widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = dialogue.questions.all()  # type: ignore[attr-defined]


class MinutesForm(TextForm):
    question = forms.ModelChoiceField(
        label=_("Question answered"),
        queryset=Question.objects.none(),
        required=False,
        empty_label=_("A question raised in the room"),
    )
    question_text = forms.CharField(
        label=_("Question raised in the room"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    answer = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": MESSAGES["empty_answer"]},
    )
    answered_by = forms.ModelChoiceField(
        label=_("Answering official"), queryset=User.objects.none()
    )
    agency = forms.ModelChoiceField(
        label=_("Agency of the official"), queryset=Agency.objects.none()
    )
    promises = forms.BooleanField(label=_("The answer promises something"), required=False)
    commitment = forms.CharField(
        label=_("What is promised"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.ModelChoiceField(
        label=_("Agency that keeps the promise"),
        queryset=Agency.objects.filter(is_active=True).order_by("name"),
        required=False,
    )
    due_on = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    case_code = forms.CharField(
        label=_("Tracking code of the complaint (dialogue in complaint resolution)"),
        max_length=20,
        required=False,
    )

    def __init__(self, *args: Any, dialogue: Dialogue, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["question"].queryset = dialogue.questions.filter(  # type: ignore[attr-defined]
            hidden_at__isnull=True, answer=""
        ).order_by("-votes", "id")
        agency_ids = [dialogue.organiser_id, *dialogue.agencies.values_list("pk", flat=True)]
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=agency_ids)  # type: ignore[attr-defined]
        self.fields["answered_by"].queryset = _officials(agency_ids)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("question") and not str(data.get("question_text", "")).strip():
            self.add_error("question_text", MESSAGES["empty_question"])
        official, agency = data.get("answered_by"), data.get("agency")
        if official and agency and not _is_member(official, agency):
            self.add_error("answered_by", _("This official does not belong to that agency."))
        if data.get("promises"):
            self._clean_promise(data)
        return data

    def _clean_promise(self, data: dict[str, Any]) -> None:
        if not str(data.get("commitment", "")).strip():
            self.add_error("commitment", _("Please write what is promised."))
        if not data.get("owner"):
            self.add_error("owner", _("Choose the agency that keeps the promise."))
        due: date | None = data.get("due_on")
        if due is None:
            self.add_error("due_on", _("Please give the due date."))
        elif due < timezone.localdate():
            self.add_error("due_on", MESSAGES["past_due"])
        code = str(data.get("case_code", "")).strip().upper()
        if code:
            data["case"] = _complaint(self.user, code)
            if data["case"] is None:
                self.add_error("case_code", _("No complaint you can see has this tracking code."))


def _is_member(user: User, agency: Agency) -> bool:
    return (
        agency_members(agency_id=agency.pk, roles=OFFICIAL_ROLE_VALUES).filter(pk=user.pk).exists()
    )


def _complaint(user: AnyUser, code: str) -> Case | None:
    return visible_cases(user).filter(tracking_code=code, kind=Kind.COMPLAINT).first()


class ProgressForm(TextForm):
    text = forms.CharField(
        label=_("Progress"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": MESSAGES["empty_progress"]},
    )
    evidence = MultipleFileField(label=_("Evidence files"))
    document_link = forms.URLField(
        label=_("Link to a document"), required=False, assume_scheme="https"
    )
    close = forms.BooleanField(label=_("The commitment is done: close it"), required=False)
