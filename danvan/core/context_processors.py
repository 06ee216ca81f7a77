import unicodedata
from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_info


@cache
def _language_names() -> tuple[tuple[str, str], ...]:
    # Django's own "Tiếng Việt" is stored decomposed (NFD); pages carry NFC text only.
    return tuple(
        (code, unicodedata.normalize("NFC", get_language_info(code)["name_local"]).capitalize())
        for code, _ in settings.LANGUAGES
    )


def site(request: HttpRequest) -> dict[str, object]:
    return {"site_name": settings.DANVAN_SITE_NAME, "language_names": _language_names()}
