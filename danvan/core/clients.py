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
