"""The citizen's rating of an answer: five steps, each shown in words (5 = very satisfied).

The number is what the database keeps (1-5) and the evaluation averages; people read and
choose the words.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

RATING_CHOICES: list[tuple[int, Promise]] = [
    (5, _("Very satisfied")),
    (4, _("Satisfied")),
    (3, _("Neither satisfied nor dissatisfied")),
    (2, _("Dissatisfied")),
    (1, _("Very dissatisfied")),
]


def rating_words(value: int | None) -> str:
    """The words for a rating; empty for none or a number off the scale."""
    return str(dict(RATING_CHOICES).get(value, "")) if value is not None else ""
