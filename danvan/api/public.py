"""What of a case the public may read through the APIs, and how it is shown.

Public lists hold feedback and petitions on public topics only: complaints and
denunciations concern named people and are read by their handlers alone. Texts are shown
through the platform's one public masking (`language.pii.mask_public`): phone numbers, ID
numbers and e-mail addresses masked, and the sender's own names (the name on the letter,
the name of the account that sent it) taken out wherever they occur; no output has a name
field. A location is rounded to about a hundred metres, so a letter does not point at one
house.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from danvan.cases.identity import without_sealed
from danvan.cases.models import Case
from danvan.cases.workflow import Kind, Status
from danvan.language.pii import mask_public

PUBLIC_KINDS = [Kind.FEEDBACK, Kind.PETITION]
CLOSED = {Status.RESOLVED, Status.CLOSED, Status.DECLINED, Status.FORWARDED, Status.GUIDED}
LOCATION_DIGITS = 3  # 0.001 degree: about 110 m


def public_cases() -> QuerySet[Case]:
    """Feedback and petitions on public topics, never a letter that was ever a denunciation
    (`identity.without_sealed`: sealed stays sealed after a reclassification), with the
    account whose name `submitter_names` needs."""
    cases = Case.objects.filter(kind__in=PUBLIC_KINDS, topic__is_public=True)
    return without_sealed(cases).select_related("citizen")


def is_open(case: Case) -> bool:
    return case.status not in CLOSED


def public_text(text: str, *, names: Iterable[str] = ()) -> str:
    return mask_public(text, names=tuple(names))


def submitter_names(case: Case) -> tuple[str, ...]:
    """The names of whoever sent `case`, to be taken out of what the public reads."""
    account = case.citizen.full_name if case.citizen_id and case.citizen else ""
    return tuple(name for name in (case.submitter_name, account) if name)


def submitter_names_of(pk: int) -> tuple[str, ...]:
    """The same for a case loaded without those fields (the tracking query loads few)."""
    case = Case.objects.select_related("citizen").only("submitter_name", "citizen__full_name")
    found = case.filter(pk=pk).first()
    return submitter_names(found) if found else ()


def public_location(case: Case) -> tuple[float, float] | None:
    if case.latitude is None or case.longitude is None:
        return None
    return round(case.latitude, LOCATION_DIGITS), round(case.longitude, LOCATION_DIGITS)
