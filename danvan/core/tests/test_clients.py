"""The client's address behind the trusted reverse proxies, and never a forged one."""

import pytest
from django.http import HttpRequest
from django.test import RequestFactory

from danvan.core.clients import client_address


def request(remote: str, forwarded: str | None = None) -> HttpRequest:
    made = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        made.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return made


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "127.0.0.1"),  # no proxy trusted: the header is anyone's say
        (1, "203.0.113.7", "203.0.113.7"),  # nginx appended the client it saw
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the client's own entry is ignored
        (2, "198.51.100.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"),  # a balancer, then nginx
        (1, None, "127.0.0.1"),  # no header: the peer
        (2, "203.0.113.7", "127.0.0.1"),  # fewer hops than proxies: not to be trusted
        (1, "not-an-address", "127.0.0.1"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_the_client_behind_trusted_proxies(settings, proxies, forwarded, expected) -> None:
    settings.DANVAN_PROXY_COUNT = proxies
    assert client_address(request("127.0.0.1", forwarded)) == expected


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:12:34::1", "2001:db8:12:34::/64"),
        ("2001:DB8:12:34:ffff:ffff:ffff:fffe", "2001:db8:12:34::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("not-an-address", "not-an-address"),
    ],
)
def test_one_household_per_ipv4_address_or_ipv6_64(address, expected) -> None:
    from danvan.core.clients import household

    assert household(address) == expected
