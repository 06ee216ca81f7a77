"""A letter arriving through an API (Open311 POST or REST): checked, placed, registered.

Both APIs hand the raw fields to `letter_submit`; one form checks them with the citizen
form's Vietnamese messages, so a bad field reads the same wherever it came from, and
nothing is stored unless every field is right.

Where: a commune code if the caller knows it; else the commune whose centre is nearest to
lat/long (within MAX_KM of it, so a point outside the province is refused, not filed at
the border); else the commune whose name the address names.
"""

import math
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from danvan.accounts.phone import normalize_phone
from danvan.cases.draft import LetterDraft, Sender
from danvan.cases.idempotency import IdempotencyKeyReused
from danvan.cases.intake import missing_for, missing_message, refused_without
from danvan.cases.models import Case, Channel, Topic
from danvan.cases.submission import case_submit
from danvan.cases.triage.reference import topic_by_code
from danvan.cases.workflow import Kind
from danvan.core.forms import TextForm
from danvan.language.text import fold
from danvan.places.models import Unit
from danvan.places.queries import served_commune_list

from .errors import SENDER, ApiError, input_code
from .models import ApiKey

TITLE_MAX, CONTENT_MAX = 200, 10_000
MAX_KM = 30.0
API_KINDS = [Kind.FEEDBACK, Kind.PETITION, Kind.COMPLAINT]  # a denunciation: see clean_kind


class LetterForm(TextForm):
    service_code = forms.CharField(max_length=40)
    kind = forms.CharField(max_length=20, required=False)
    description = forms.CharField(max_length=CONTENT_MAX)
    title = forms.CharField(max_length=TITLE_MAX, required=False)
    unit_code = forms.CharField(max_length=5, required=False)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90)
    long = forms.FloatField(required=False, min_value=-180, max_value=180)
    address_string = forms.CharField(max_length=250, required=False)
    address = forms.CharField(max_length=250, required=False)  # the sender's own address
    name = forms.CharField(max_length=150, required=False)
    phone = forms.CharField(max_length=20, required=False)
    email = forms.EmailField(max_length=254, required=False)
    media_url = forms.URLField(max_length=500, required=False, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].error_messages["required"] = _(
            "Write what happened and what you ask for."
        )
        self.fields["email"].error_messages["invalid"] = _(
            "Enter a valid email address, for example ten@example.com."
        )
        for name in ("lat", "long"):
            self.fields[name].error_messages["invalid"] = _("Enter a number in degrees (WGS 84).")

    def clean_kind(self) -> str:
        kind = self.cleaned_data["kind"] or Kind.FEEDBACK
        if kind == Kind.DENUNCIATION:
            raise ValidationError(
                _(
                    "A denunciation is received only through the portal's form or in person,"
                    " where the denouncer's identity is protected."
                )
            )
        if kind not in API_KINDS:
            raise ValidationError(_("Kind must be feedback, petition or complaint."))
        return kind

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        return normalize_phone(raw) if raw else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("long") is None):
            self.add_error("lat", _("Give both lat and long, or neither."))
        located = data.get("lat") is not None or data.get("address_string") or data.get("unit_code")
        if not located and not self.errors:
            self.add_error("lat", _("Give lat and long, or an address."))
        kind = data.get("kind", "")
        if refused_without(kind):
            for name in missing_for(kind, data):
                self.add_error(name, ValidationError(missing_message(kind, [name]), code=SENDER))
        return data


def letter_submit(
    fields: dict[str, Any], *, key: ApiKey | None, idempotency_key: str | None = None
) -> tuple[Case, bool]:
    """Check `fields` and register the letter: (the case, whether it was created now, not
    a retry's first one); ApiError with every wrong field otherwise. The same key with a
    different letter: ApiError idempotency_key_reused, nothing stored.
    """
    form = LetterForm(fields)
    if not form.is_valid():
        raise form_error(form)
    data = form.cleaned_data
    topic = topic_by_code(data["service_code"], public=True)
    if topic is None:
        raise ApiError(
            "unknown_service", fields={"service_code": str(_("Choose a topic from the list."))}
        )
    unit = unit_for(data)
    try:
        return case_submit(
            draft=api_draft(data, unit=unit, topic=topic), by=None, idempotency_key=idempotency_key
        )
    except IdempotencyKeyReused as error:  # the first letter is not named: keys are guessable
        raise ApiError("idempotency_key_reused") from error


def api_draft(data: dict[str, Any], *, unit: Unit, topic: Topic) -> LetterDraft:
    """The letter an API call sends (`LetterForm`'s cleaned data); no name, phone or e-mail
    makes it anonymous."""
    location = (data["lat"], data["long"]) if data["lat"] is not None else None
    sender = Sender(
        name=data["name"], phone=data["phone"], email=data["email"], address=data["address"]
    )
    return LetterDraft(
        kind=data["kind"],
        title=data["title"] or _title(data["description"]),
        content=_content(data),
        unit=unit,
        topic=topic,
        sender=sender,
        anonymous=not (data["name"] or data["phone"] or data["email"]),
        place=data["address_string"],
        location=location,
        channel=Channel.API,
    )


def form_error(form: forms.BaseForm) -> ApiError:
    """Every wrong field of a form, its first message each, under one error code."""
    fields = {name: str(problems[0]) for name, problems in form.errors.items()}
    codes = (error.code or "" for errors in form.errors.as_data().values() for error in errors)
    return ApiError(input_code(codes), fields=fields)


def _title(description: str) -> str:
    first = description.strip().splitlines()[0]
    return first if len(first) <= 80 else first[:79].rsplit(" ", 1)[0] + "…"


def _content(data: dict[str, Any]) -> str:
    # A photo's link is kept for the officer to open; the platform does not fetch it.
    if not data["media_url"]:
        return str(data["description"])
    return f"{data['description']}\n\n{_('Photo (link)')}: {data['media_url']}"


def unit_for(data: dict[str, Any]) -> Unit:
    units = served_commune_list()
    if data.get("unit_code"):
        found = next((u for u in units if u.code == data["unit_code"]), None)
        if found is None:
            raise ApiError(
                "invalid_input",
                fields={"unit_code": str(_("Choose a commune or ward from the list."))},
            )
        return found
    if data.get("lat") is not None:
        return _nearest(units, data["lat"], data["long"])
    named = _named(units, data.get("address_string") or "")
    if named is None:
        raise ApiError(
            "invalid_input",
            fields={"address_string": str(_("Name the commune or ward, or give lat and long."))},
        )
    return named


def _nearest(units: list[Unit], lat: float, long: float) -> Unit:
    placed = [u for u in units if u.latitude is not None and u.longitude is not None]
    best = min(placed, key=lambda u: _km(lat, long, u.latitude, u.longitude), default=None)  # type: ignore[arg-type]
    if best is None or _km(lat, long, best.latitude, best.longitude) > MAX_KM:  # type: ignore[arg-type]
        raise ApiError(
            "invalid_input", fields={"lat": str(_("This place is outside the province."))}
        )
    return best


def _named(units: list[Unit], address: str) -> Unit | None:
    """The commune whose full name ("phường Hiến Nam") or short name the address holds;
    the longest name wins, so "Tân Hưng" is not taken for "Hưng"."""
    text = f" {' '.join(fold(address).replace(',', ' ').split())} "
    found = [
        (len(name), u)
        for u in units
        for name in {fold(u.name), fold(u.short_name)}
        if name and f" {name} " in text
    ]
    return max(found, key=lambda pair: pair[0])[1] if found else None


def _km(lat1: float, long1: float, lat2: float, long2: float) -> float:
    """Great-circle distance (haversine), enough for "which commune is nearest"."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(long2 - long1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))
