"""Fixtures of the REST API's tests: keys of two agencies and letters to read and act on."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache

from danvan.api.keys import key_issue, key_revoke
from danvan.api.models import Scope
from danvan.cases.models import Case, Topic
from danvan.cases.tests.letters import submit_letter
from danvan.places.models import Agency, Unit

ALL = [Scope.SUBMIT, Scope.READ, Scope.ACT]


@pytest.fixture
def fresh_limits() -> Iterator[None]:
    """Time is frozen, so rate-limit windows never roll over between tests: start empty."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def letter(db: Any) -> Callable[..., Case]:
    """A letter filed on the web: `letter(kind="denunciation")`."""

    def make(**overrides: Any) -> Case:
        data: dict[str, Any] = {
            "kind": "feedback",
            "title": "Đèn đường hỏng",
            "content": "Đèn đường trước nhà số 12 phố Nguyễn Văn Linh hỏng hai tuần nay.",
            "unit": Unit.objects.get(level="commune", code="11953", valid_until=None),
            "topic": Topic.objects.get(code="ha-tang"),
            "name": "Nguyễn Văn An",
            "phone": "+84912345678",
            "email": "an@example.vn",
        }
        data.update(overrides)
        return submit_letter(**data)

    return make


@pytest.fixture
def case(letter: Callable[..., Case]) -> Case:
    return letter()


@pytest.fixture
def agency_a(case: Case) -> Agency:
    return case.agency


@pytest.fixture
def agency_b(agency_a: Agency) -> Agency:
    return Agency.objects.exclude(pk=agency_a.pk).filter(is_active=True).order_by("code")[:1].get()


@pytest.fixture
def keys(agency_a: Agency, agency_b: Agency, fresh_limits: None) -> dict[str, str]:
    """Full key texts by role in the authorisation matrix."""
    texts = {
        "a": key_issue(name="Tổng đài 1022", agency=agency_a, scopes=ALL)[1],
        "b": key_issue(name="Công an tỉnh", agency=agency_b, scopes=ALL)[1],
        "a_submit": key_issue(name="Báo địa phương", agency=agency_a, scopes=[Scope.SUBMIT])[1],
        "a_read": key_issue(name="Bảng tin", agency=agency_a, scopes=[Scope.READ])[1],
    }
    revoked, texts["revoked"] = key_issue(name="Cũ", agency=agency_a, scopes=ALL)
    key_revoke(revoked)
    return texts


def bearer(text: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}
