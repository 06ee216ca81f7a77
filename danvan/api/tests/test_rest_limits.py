"""The REST API's rate limits: a key's own, and each client's behind the proxy."""

from typing import Any

import pytest
from django.test import Client

from danvan.api.models import ApiKey
from danvan.cases.models import Case

from .rest_calls import URL, auth, error_of
from .rest_support import *  # noqa: F403  (the fixtures)

pytestmark = pytest.mark.usefixtures("fresh_limits")


def test_too_many_calls_are_told_when_to_retry(
    client: Client, keys: dict[str, str], case: Case
) -> None:
    ApiKey.objects.filter(name="Bảng tin").update(rate_per_minute=2)
    for _ in range(2):
        assert client.get(f"{URL}/staff/cases", headers=auth(keys["a_read"])).status_code == 200
    response = client.get(f"{URL}/staff/cases", headers=auth(keys["a_read"]))
    assert response.status_code == 429
    assert error_of(response)["code"] == "rate_limited"
    assert int(response["Retry-After"]) >= 1


@pytest.mark.django_db
def test_behind_the_proxy_each_anonymous_client_has_its_own_limit(
    client: Client, settings: Any
) -> None:
    """nginx connects from 127.0.0.1 for everyone: the limit counts the client it names."""
    settings.DANVAN_PROXY_COUNT = 1
    settings.DANVAN_API_RATE_ANONYMOUS = "2/min"

    def topics(address: str) -> int:
        return client.get(f"{URL}/topics", headers={"X-Forwarded-For": address}).status_code

    assert [topics("203.0.113.7") for _ in range(3)] == [200, 200, 429]
    assert topics("203.0.113.8") == 200  # another citizen behind the same proxy
    assert topics("198.51.100.1, 203.0.113.7") == 429  # a forged first entry changes nothing


@pytest.mark.django_db
def test_an_ipv6_household_shares_one_anonymous_limit(client: Client, settings: Any) -> None:
    """A subscriber holds a whole /64: a fresh address of it for every call gains nothing."""
    settings.DANVAN_PROXY_COUNT = 1
    settings.DANVAN_API_RATE_ANONYMOUS = "2/min"

    def topics(address: str) -> int:
        return client.get(f"{URL}/topics", headers={"X-Forwarded-For": address}).status_code

    assert [topics(f"2001:db8:7:8::{n + 1:x}") for n in range(3)] == [200, 200, 429]
    assert topics("2001:db8:7:9::1") == 200  # the next household
