"""`/staff/retention/`: the head decides on archived letters whose retention period is over."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from danvan.accounts.models import User
from danvan.core.forms import ModelMultipleIdField, TextForm

from .access import retention_agency_ids
from .models import Case
from .retention import RetentionRefused, cases_decide, retention_due

KEEP, DESTROY = "keep", "destroy"


class RetentionDecisionForm(TextForm):
    cases = ModelMultipleIdField(
        label=gettext_lazy("Letters"),
        queryset=Case.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Tick at least one letter."),
            "invalid_choice": gettext_lazy(
                "A ticked letter is no longer waiting for a decision; reload the page."
            ),
        },
    )
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (KEEP, gettext_lazy("Keep for another retention period")),
            (DESTROY, gettext_lazy("Destroy (TT 05/2021 Art. 28)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose a decision.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required to keep a letter longer; recorded in the audit log."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I confirm the destruction: the content, personal data and files are erased for good."
        ),
        required=False,
    )

    def __init__(self, *args: Any, due: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cases = cast("forms.ModelMultipleChoiceField[Case]", self.fields["cases"])
        cases.queryset = due

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == KEEP and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for keeping the letters longer."))
        if data.get("decision") == DESTROY and not data.get("confirm"):
            self.add_error("confirm", _("Tick the box to confirm the destruction."))
        return data


@require_http_methods(["GET", "POST"])
@login_required
def retention(request: HttpRequest) -> HttpResponse:
    agencies = retention_agency_ids(request.user)
    if not agencies:
        raise PermissionDenied
    due = retention_due(agency_ids=agencies)
    form = RetentionDecisionForm(request.POST or None, due=due)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        destroy = data["decision"] == DESTROY
        try:
            done = cases_decide(cases=list(data["cases"]), by=cast(User, request.user),
                                destroy=destroy, reason=data["reason"])  # fmt: skip
        except RetentionRefused as refused:
            form.add_error(None, _("Letter %(code)s cannot be decided on now; nothing was "
                                   "changed.") % {"code": refused.case.tracking_code})  # fmt: skip
        else:
            count = len(done)
            text = (
                ngettext("%(count)d letter destroyed.", "%(count)d letters destroyed.", count)
                if destroy
                else ngettext(
                    "%(count)d letter kept for another period.",
                    "%(count)d letters kept for another period.",
                    count,
                )
            )
            messages.success(request, text % {"count": count})
            return redirect("cases:retention")
    status = 422 if request.method == "POST" else 200
    return render(request, "cases/retention.html", {"form": form, "due": due}, status=status)
