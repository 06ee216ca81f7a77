"""Fixtures of the hostile-input tests (test_hostile_input.py, test_hostile_api.py)."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection

from danvan.accounts.roles import Role
from testsupport.platform import totp_code

from .hostile_edges import World, world_make
from .hostile_support import StoredText


@pytest.fixture
def stored() -> Iterator[StoredText]:
    guard = StoredText()
    with connection.execute_wrapper(guard):
        yield guard
    assert guard.dirty == []


@pytest.fixture
def world(demo_user) -> World:
    users = {role: demo_user(role) for role in Role}
    made = world_make(users)
    made.extra["totp"] = totp_code(settings.DANVAN_DEMO_TOTP_SECRET)
    return made
