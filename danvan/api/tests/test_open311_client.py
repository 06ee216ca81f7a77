"""A third-party Open311 client (georeport) reads the running demo platform in both formats."""

import pytest
from georeport import GeoReport  # type: ignore[import-untyped]

from danvan.api.tests.test_open311 import REQUEST_FIELDS, SERVICE_FIELDS


@pytest.fixture(scope="module")
def clients(live_platform):
    root = f"{live_platform}/open311/v2"
    return {fmt: GeoReport(root_address=root, output_format=fmt) for fmt in ("xml", "json")}


def as_list(value):
    """xmltodict gives one child as a dict and several as a list."""
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_client_lists_services_and_reads_a_definition(clients, fmt):
    client = clients[fmt]
    services = as_list(client.get_service_list())
    assert all(set(service) == SERVICE_FIELDS for service in services)
    codes = {service["service_code"] for service in services}
    assert {"ha-tang", "rac-thai", "dat-dai"} <= codes
    definition = client.get_service_definition("ha-tang")
    assert definition["service_code"] == "ha-tang"
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = as_list(attributes["attribute"])
    assert [a["code"] for a in attributes] == ["kind", "unit_code", "name", "address"]


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_client_reads_the_demo_letters(clients, fmt):
    client = clients[fmt]
    start = "2000-01-01T00:00:00+07:00"  # every demo letter, not only the last 90 days
    requests = as_list(client.get_service_requests(start_date=start))
    assert requests, "the demo should hold public feedback or petitions"
    assert all(set(request) == REQUEST_FIELDS for request in requests)
    assert {request["status"] for request in requests} <= {"open", "closed"}
    first = requests[0]
    one = client.get_service_request(first["service_request_id"])
    assert one["service_request_id"] == first["service_request_id"]
    assert one["description"] == first["description"]
    some = as_list(client.get_service_requests(service_request_id=first["service_request_id"]))
    assert [r["service_request_id"] for r in some] == [first["service_request_id"]]
    closed = client.get_service_requests(start_date=start, status="closed")
    assert all(r["status"] == "closed" for r in as_list(closed))
