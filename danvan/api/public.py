"""What of a case the public may read through the APIs, and how it is shown.

Public lists hold feedback and petitions on public topics only: complaints and
denunciations concern named people and are read by their handlers alone. Texts are shown
with phone numbers, ID numbers and e-mail addresses masked, and a location is rounded to
about a hundred metres, so a letter does not point at one house.
"""

from django.db.models import QuerySet

from danvan.cases.identity import without_sealed
from danvan.cases.models import Case
from danvan.cases.workflow import Kind, Status
from danvan.language.pii import mask

PUBLIC_KINDS = [Kind.FEEDBACK, Kind.PETITION]
CLOSED = {Status.RESOLVED, Status.CLOSED, Status.DECLINED, Status.FORWARDED, Status.GUIDED}
LOCATION_DIGITS = 3  # 0.001 degree: about 110 m


def public_cases() -> QuerySet[Case]:
    """Feedback and petitions on public topics, never a letter that was ever a denunciation
    (`identity.without_sealed`: sealed stays sealed after a reclassification)."""
    return without_sealed(Case.objects.filter(kind__in=PUBLIC_KINDS, topic__is_public=True))


def is_open(case: Case) -> bool:
    return case.status not in CLOSED


def public_text(text: str) -> str:
    return mask(text)


def public_location(case: Case) -> tuple[float, float] | None:
    if case.latitude is None or case.longitude is None:
        return None
    return round(case.latitude, LOCATION_DIGITS), round(case.longitude, LOCATION_DIGITS)
