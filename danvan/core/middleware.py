"""A request whose file write failed answers 503 with a page saying nothing was saved."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .storage import RETRY_AFTER, StorageUnavailable


class StorageUnavailableMiddleware:
    """Views with a form worth keeping (the citizen's letter) catch StorageUnavailable
    themselves and show the form again; everywhere else this page replaces a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, StorageUnavailable):
            return None
        response = render(request, "503_storage.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
