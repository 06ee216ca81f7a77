from django import template

from danvan.core.ratings import rating_words as words

register = template.Library()


@register.filter
def rating_words(value: int | None) -> str:
    """`{{ case.rating|rating_words }}`: "Rất hài lòng" for 5."""
    return words(value)
