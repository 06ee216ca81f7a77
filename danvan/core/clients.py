"""Who is calling: the client's address, also behind the reverse proxies this site trusts."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """Behind DANVAN_PROXY_COUNT proxies that each append their peer to X-Forwarded-For, the
    address the outermost of them saw (entries further left are the client's own say, and a
    client can write anything there); without proxies, or with a short header, REMOTE_ADDR."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count: int = settings.DANVAN_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


IPV6_HOUSEHOLD = 64  # the prefix a provider gives one subscriber (RFC 6177): one line, one home


def household(address: str) -> str:
    """What one client owns of `address`, for caps per client: an IPv4 address itself, an
    IPv6 address's /64 network (one subscriber picks any of its 2^64 addresses at will), an
    IPv4-mapped IPv6 address as the IPv4 it carries. Anything unparsable comes back as it is."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_HOUSEHOLD}", strict=False))
    return str(parsed)
