"""Request ids, the access log line and the JSON formatter."""

import io
import json
import logging
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from danvan.ops import logs
from danvan.ops.middleware import RequestMiddleware

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def captured():
    """A logger whose handler has the request-id filter and the JSON formatter, as in
    production; `lines()` parses what it wrote."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logs.JsonFormatter())
    logger = logging.getLogger("danvan.test_ops")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield logger, stream
    logger.removeHandler(handler)


def test_every_record_of_a_request_carries_its_id_and_others_a_dash(captured):
    logger, stream = captured

    def view(request):
        logger.info("inside %s", "the view")
        return HttpResponse("ok")

    response = RequestMiddleware(view)(RequestFactory().get("/x", HTTP_X_REQUEST_ID="abc-1.2_3"))
    logger.info("outside")
    assert response["X-Request-ID"] == "abc-1.2_3"
    inside, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert (inside["message"], inside["request_id"]) == ("inside the view", "abc-1.2_3")
    assert outside["request_id"] == "-"


@pytest.mark.parametrize("incoming", [None, "", "x" * 65, "bad id", "a\nb", "<script>", "ø"])
def test_an_insane_request_id_is_replaced_by_a_fresh_one(incoming):
    headers = {} if incoming is None else {"HTTP_X_REQUEST_ID": incoming}
    response = RequestMiddleware(lambda r: HttpResponse())(RequestFactory().get("/", **headers))
    given = response["X-Request-ID"]
    assert given != incoming
    assert len(given) == 32
    int(given, 16)


def test_a_64_character_token_is_kept():
    token = "A" * 60 + "._-9"
    response = RequestMiddleware(lambda r: HttpResponse())(
        RequestFactory().get("/", HTTP_X_REQUEST_ID=token)
    )
    assert response["X-Request-ID"] == token


@pytest.mark.django_db
def test_one_access_line_per_request_without_query_string(client, caplog):
    caplog.set_level(logging.INFO, logger="danvan.access")
    response = client.get("/healthz?phone=0912345678&name=Nguyen", HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 200
    (record,) = [r for r in caplog.records if r.name == "danvan.access"]
    assert record.levelno == logging.INFO
    assert record.getMessage().startswith("GET /healthz 200 ")
    assert (record.method, record.path, record.route, record.status) == (
        "GET", "/healthz", "ops:healthz", 200,
    )  # fmt: skip
    assert record.duration_ms >= 0
    formatted = logs.JsonFormatter().format(record)
    assert "0912345678" not in formatted
    assert "Nguyen" not in formatted
    line = json.loads(formatted)
    assert line["request_id"] == "req-42"
    assert line["path"] == "/healthz"


def test_the_json_formatter_writes_one_object_per_line_with_the_traceback(captured):
    logger, stream = captured
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("failed for %s", "reasons", extra={"case": 7})
    text = stream.getvalue()
    assert text.count("\n") == 1
    line = json.loads(text)
    assert set(line) == {"time", "level", "logger", "message", "request_id", "case", "exc_info"}
    assert (line["level"], line["logger"], line["message"]) == (
        "ERROR", "danvan.test_ops", "failed for reasons",
    )  # fmt: skip
    assert line["request_id"] == "-"
    assert line["case"] == 7
    assert "ValueError: boom" in line["exc_info"]
    assert datetime.fromisoformat(line["time"]).utcoffset() is not None


LOG_ONE = (
    "import django, logging; django.setup(); logging.getLogger('danvan.x').warning('xin chào')"
)


@pytest.mark.parametrize("log_format", ["json", "plain"])
def test_the_settings_log_in_the_format_asked(log_format):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "logging-test-only",
        "DANVAN_LOG_FORMAT": log_format,
    }
    result = subprocess.run(
        [sys.executable, "-c", LOG_ONE], env=env, cwd=ROOT, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    (line,) = result.stderr.splitlines()
    if log_format == "json":
        entry = json.loads(line)
        assert (entry["message"], entry["request_id"], entry["level"]) == (
            "xin chào",
            "-",
            "WARNING",
        )
    else:
        assert line.endswith("WARNING danvan.x [-] xin chào")


# --- contact details never reach a log line ------------------------------------------------

SECRETS = ("0913000111", "0913 000 111", "binh@example.vn", "033090001234", "913000111")


@pytest.fixture
def masked():
    """A logger whose handler has the contact filter and the JSON formatter, as in LOGGING."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestIdFilter())
    handler.addFilter(logs.ContactMaskFilter())
    handler.setFormatter(logs.JsonFormatter())
    logger = logging.getLogger("danvan.test_masked")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def test_the_contact_filter_masks_message_args_extra_and_traceback(masked):
    logger, stream = masked
    try:
        raise ValueError("no route to binh@example.vn")
    except ValueError:
        logger.exception("SMS %s to %s failed", "17", "0913 000 111",
                         extra={"recipient": "+84913000111", "cccd": "033090001234"})  # fmt: skip
    text = stream.getvalue()
    for secret in SECRETS:
        assert secret not in text
    line = json.loads(text)
    assert line["message"] == "SMS 17 to [số điện thoại] failed"
    assert (line["recipient"], line["cccd"]) == ("[số điện thoại]", "[số định danh]")
    assert "ValueError: no route to [email]" in line["exc_info"]


def test_every_handler_of_the_settings_has_the_contact_filter():
    from config import settings

    logging_config: dict[str, Any] = settings.LOGGING
    handlers = logging_config["handlers"]
    assert handlers
    for name, handler in handlers.items():
        assert "contacts" in handler["filters"], name
    assert logging_config["filters"]["contacts"] == {"()": "danvan.ops.logs.ContactMaskFilter"}


LOG_CONTACTS = (
    "import django, logging; django.setup();"
    " logging.getLogger('django.request').warning('Not Found: %s', '/x/0913 000 111');"
    " logging.getLogger('danvan.sms').warning('to %s', 'binh@example.vn');"
    " logging.getLogger('django.server').warning('GET /?phone=0913_000_111')"
)


def test_the_settings_print_no_contact_whichever_logger_writes():
    """Django's own loggers lose the console handler Django gives them (which has no filter)
    and write through the root's, once, masked."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "true",
           "DJANGO_SECRET_KEY": "logging-test-only", "DANVAN_LOG_FORMAT": "plain"}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", LOG_CONTACTS], env=env, cwd=ROOT, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    lines = result.stderr.splitlines()
    assert [line.split("] ", 1)[1] for line in lines] == [
        "Not Found: /x/[số điện thoại]",
        "to [email]",
        "GET /?phone=[số điện thoại]",
    ]


def test_the_development_backends_print_no_recipient(capsys, caplog):
    from django.core.mail import EmailMessage

    from danvan.core.sms import LogBackend
    from danvan.ops.mail import ConsoleEmailBackend

    stream = io.StringIO()
    message = EmailMessage("Đơn ABCD-2345-6789 đã được tiếp nhận",
                           "Liên hệ 0913 000 111", None, ["binh@example.vn"])  # fmt: skip
    assert ConsoleEmailBackend(stream=stream).send_messages([message]) == 1
    caplog.set_level(logging.INFO, logger="danvan.sms")
    LogBackend().send("+84913000111", "Đơn ABCD-2345-6789 đã được tiếp nhận", "42")
    printed = stream.getvalue()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in SECRETS:
        assert secret not in printed + logged
    assert "To: [email]\nSubject: Đơn ABCD-2345-6789 đã được tiếp nhận" in printed
    assert "Liên hệ [số điện thoại]" in printed
    assert logged == "SMS 42 to [số điện thoại]: Đơn ABCD-2345-6789 đã được tiếp nhận"
