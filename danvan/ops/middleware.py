"""The first middleware: a request id for every request, its latency and one access line."""

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import logs, metrics

access_log = logging.getLogger("danvan.access")

HEADER = "X-Request-ID"


class RequestMiddleware:
    """Takes the caller's X-Request-ID when sane (else makes one), keeps it in a context
    variable for every log record of the request, returns it in the response header,
    records the latency by route name and logs one line: method, path without the query
    string, status, duration and request id (never query strings, bodies or users)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = logs.accepted_or_new(request.headers.get(HEADER))
        token = logs.request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            response[HEADER] = request_id
            metrics.observe(request, response.status_code, seconds)
            access_log.info(
                "%s %s %s %.1fms",
                request.method,
                request.path,
                response.status_code,
                seconds * 1000,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "route": metrics.route_of(request),
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                    "request_id": request_id,
                },
            )
            return response
        finally:
            logs.request_id.reset(token)
