"""`/staff/delegations/`: the head records who, by a written delegation, designates the
handlers of the agency's denunciations, and revokes it (`delegations.py`)."""

from functools import reduce
from operator import or_
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from danvan.accounts.models import User
from danvan.accounts.queries import agency_members
from danvan.core.forms import TextForm
from danvan.places.models import Agency

from .access import retention_agency_ids
from .delegations import (
    DELEGATE_ROLES,
    DelegationRefused,
    Written,
    delegation_create,
    delegation_revoke,
    delegations_in_force,
    delegations_of,
)

REFUSALS = {
    "not_head": gettext_lazy(
        "Only the current head of the agency records or revokes a delegation."
    ),
    "not_an_officer": gettext_lazy("Choose a reception or handling officer of this agency."),
    "period": gettext_lazy("The end of the period cannot come before its start."),
    "already_revoked": gettext_lazy("This delegation was already revoked."),
}


class DelegationForm(TextForm):
    agency = forms.ModelChoiceField(label=gettext_lazy("Agency"), queryset=Agency.objects.none())
    delegate = forms.ModelChoiceField(
        label=gettext_lazy("Delegated officer"), queryset=User.objects.none()
    )
    document_number = forms.CharField(
        label=gettext_lazy("Number of the written delegation"), max_length=60,
        help_text=gettext_lazy("As on the signed document, e.g. 12/GUQ-UBND."),
    )  # fmt: skip
    document_date = forms.DateField(label=gettext_lazy("Date of the document"))
    valid_from = forms.DateField(label=gettext_lazy("Valid from"))
    valid_until = forms.DateField(label=gettext_lazy("Valid until"), required=False)

    def __init__(self, *args: Any, agency_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = cast("forms.ModelChoiceField[Agency]", self.fields["agency"])
        agencies.queryset = Agency.objects.filter(pk__in=agency_ids).order_by("name")
        delegates = cast("forms.ModelChoiceField[User]", self.fields["delegate"])
        members = [agency_members(agency_id=pk, roles=DELEGATE_ROLES) for pk in agency_ids]
        delegates.queryset = reduce(or_, members).order_by("full_name")
        delegates.label_from_instance = lambda obj: obj.full_name  # type: ignore[method-assign]

    def written(self) -> Written:
        data = self.cleaned_data
        return Written(document_number=data["document_number"].strip(),
                       document_date=data["document_date"], valid_from=data["valid_from"],
                       valid_until=data["valid_until"])  # fmt: skip


def _head_agencies(request: HttpRequest) -> set[int]:
    """The agencies `request.user` heads (the same as those whose archives they decide)."""
    agencies = retention_agency_ids(request.user)
    if not agencies:
        raise PermissionDenied
    return agencies


@require_http_methods(["GET", "POST"])
@login_required
def delegations(request: HttpRequest) -> HttpResponse:
    agencies = _head_agencies(request)
    form = DelegationForm(request.POST or None, agency_ids=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            delegation_create(head=cast(User, request.user), agency=form.cleaned_data["agency"],
                              delegate=form.cleaned_data["delegate"], written=form.written())  # fmt: skip
        except DelegationRefused as refused:
            form.add_error(None, REFUSALS[refused.code])
        else:
            messages.success(request, _("The delegation was recorded."))
            return redirect("cases:delegations")
    in_force = set(delegations_in_force(agency_ids=agencies).values_list("pk", flat=True))
    context = {"form": form, "delegations": delegations_of(agency_ids=agencies)[:200],
               "in_force": in_force}  # fmt: skip
    status = 422 if request.method == "POST" else 200
    return render(request, "cases/delegations.html", context, status=status)


@require_POST
@login_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    agencies = _head_agencies(request)
    delegation = delegations_of(agency_ids=agencies).filter(pk=pk).first()
    if delegation is None:
        raise Http404
    try:
        delegation_revoke(delegation=delegation, by=cast(User, request.user))
    except DelegationRefused as refused:
        messages.error(request, str(REFUSALS[refused.code]))
    else:
        messages.success(request, _("The delegation was revoked."))
    return redirect("cases:delegations")
