"""Requests that fail because a service is briefly away answer 503, not 500.

A file the storage refused (`StorageUnavailable`) gets a page saying nothing was saved; a
database that is restarting or unreachable (`OperationalError`, `InterfaceError`) gets a
static page, as nothing may read the database to draw it. Both carry `Retry-After`, so a
client (the mobile app, a call centre's system) knows to try again rather than report a
bug. The REST API answers the same cases in JSON (`danvan.api.rest`).
"""

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from .storage import RETRY_AFTER, StorageUnavailable

logger = logging.getLogger("danvan.unavailable")

DATABASE_RETRY_AFTER = 5  # seconds: a restart or a fail-over takes about that
DATABASE_ERRORS = (OperationalError, InterfaceError)


class UnavailableMiddleware:
    """Views with a form worth keeping (the citizen's letter) catch StorageUnavailable
    themselves and show the form again; everywhere else these pages replace a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, StorageUnavailable):
            response = render(request, "503_storage.html", status=503)
            response["Retry-After"] = str(RETRY_AFTER)
            return response
        if isinstance(exception, DATABASE_ERRORS):
            log_database_unavailable(request, exception)
            response = HttpResponse(render_to_string("503.html"), status=503)
            response["Retry-After"] = str(DATABASE_RETRY_AFTER)
            return response
        return None


def log_database_unavailable(request: HttpRequest, error: BaseException) -> None:
    """Django would log a 500 with its traceback; a 503 answer replaces it, so log here."""
    logger.error("database unavailable: %s %s", request.method, request.path, exc_info=error)
