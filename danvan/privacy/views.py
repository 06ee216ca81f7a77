"""A signed-in person's own data: download it, or ask for a correction or deletion."""

import json
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from danvan.accounts.models import User
from danvan.core.downloads import JSON, file_response

from .forms import DataRequestForm
from .models import DataRequest
from .services import data_request_submit, export_data


@require_POST
@login_required
def export(request: HttpRequest) -> HttpResponse:
    data = export_data(cast(User, request.user))
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    name = f"du-lieu-ca-nhan-{timezone.localdate():%Y-%m-%d}.json"
    return file_response(body.encode(), name=name, content_type=JSON)


@require_http_methods(["GET", "POST"])
@login_required
def requests(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = DataRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = data_request_submit(user=user, **form.cleaned_data)
        messages.success(
            request,
            _("Your request was received. You will have a first answer by %(day)s.")
            % {"day": f"{made.first_response_due:%d/%m/%Y}"},
        )
        return redirect("privacy:requests")
    mine = DataRequest.objects.filter(user=user).order_by("-received_at")[:50]
    status = 422 if request.method == "POST" else 200
    return render(request, "privacy/requests.html", {"form": form, "mine": mine}, status=status)
