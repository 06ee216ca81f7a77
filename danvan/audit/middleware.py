"""Makes the signed-in person the actor of whatever the request writes to the audit log."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import acting_as


class AuditActorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_as(request.user):  # lazy: read only when an entry is written
            return self.get_response(request)
