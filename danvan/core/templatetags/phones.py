"""{% load phones %} ... {{ user.phone|national_phone }}"""

from django import template

from danvan.core.phones import national

register = template.Library()


@register.filter
def national_phone(number: str | None) -> str:
    return national(number)
