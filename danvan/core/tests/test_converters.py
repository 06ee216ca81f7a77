"""Every path parameter of ours refuses control characters (`<text:...>`, not `<str:...>`)."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import StringConverter

from danvan.core.converters import TextConverter


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def test_no_pattern_of_ours_takes_any_character_in_a_path_segment():
    ours = [
        (route, pattern)
        for route, pattern in _patterns(get_resolver().url_patterns)
        if getattr(pattern.callback, "__module__", "").startswith("danvan.")
    ]
    assert len(ours) >= 60
    loose = [
        route
        for route, pattern in ours
        for converter in pattern.pattern.converters.values()
        if type(converter) is StringConverter
    ]
    assert loose == []
    assert (
        sum(isinstance(c, TextConverter) for _, p in ours for c in p.pattern.converters.values())
        >= 10
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/tra-cuu/AB%00CD/", "/tra-cuu/%01/tep/1/", "/cam-ket/don-vi/%00/", "/tra-cuu/%C2%85/"],
)
def test_a_page_path_with_a_control_character_is_not_found(path):
    response = Client().get(path)
    assert response.status_code == 404
    assert "<h1>Không tìm thấy trang</h1>" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["services/ha%00tang.json", "tokens/%00.json", "requests/%01.json", "services%00.json"]
)
def test_an_open311_path_with_a_control_character_is_its_404_document(path):
    response = Client().get(f"/open311/v2/{path}")
    assert (response.status_code, response.json()[0]["code"]) == (404, 404)
