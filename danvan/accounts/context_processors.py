from django.http import HttpRequest

from .access import can_open_insights, can_open_staff_home


def roles(request: HttpRequest) -> dict[str, bool]:
    user = getattr(request, "user", None)
    return {
        "is_staff_user": bool(user and can_open_staff_home(user)),
        "can_open_insights": bool(user and can_open_insights(user)),
    }
