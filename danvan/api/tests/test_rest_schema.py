"""Contract test: schemathesis fuzzes every operation of /api/v1/ from its OpenAPI document.

Each response must match the document (status, headers, body, the error shape included)
and none may be a server error. Bounded and derandomized: same examples on every run.
"""

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder
from schemathesis.specs.openapi.checks import positive_data_acceptance

from config.wsgi import application
from danvan.api.keys import key_issue
from danvan.api.models import Scope
from danvan.api.rest import api
from danvan.places.models import Agency

from .rest_support import *  # noqa: F403  (the fixtures)


@pytest.fixture
def wsgi_in_test_transaction(settings: Any) -> Iterator[None]:
    """Serve in-process, on the test's own connection: as Django's test client does, keep
    the request signals from closing that connection (and the test's transaction)."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.DANVAN_API_RATE_ANONYMOUS = "100000/min"
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def key_text(db: None, fresh_limits: None) -> str:
    agency = Agency.objects.get(code="ubnd-c11953")
    _key, text = key_issue(name="Fuzz", agency=agency, scopes=list(Scope.values))
    return text


# The document as /api/v1/openapi.json serves it (read here: no request at import time).
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), cls=NinjaJSONEncoder))
)
schema.app = application


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_keeps_its_contract(case: Any, key_text: str, wsgi_in_test_transaction: None) -> None:
    # Valid by the document is not always acceptable: it cannot state the rules across
    # fields (lat needs long, a complaint needs a name, each action needs its own fields),
    # so a 400 there is right; its body is still checked against the error schema.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {key_text}"},
        excluded_checks=[positive_data_acceptance],
    )
