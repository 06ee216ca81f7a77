from datetime import date

import pytest
from django.utils.html import escape
from django.utils.translation import gettext, override

from danvan.accounts.models import User
from danvan.accounts.roles import Role
from danvan.places.models import Agency, Unit
from danvan.reception import services


@pytest.fixture
def commune_committee(db):
    return Agency.objects.get(code="ubnd-c11953")


@pytest.fixture
def province_committee(db):
    province = Unit.objects.get(level="province", code="33", valid_until=None)
    return Agency.objects.get(type=Agency.Type.PEOPLES_COMMITTEE, home_unit=province)


@pytest.fixture
def pho_hien(db):
    return Unit.objects.get(level="commune", code="11953", valid_until=None)


@pytest.fixture
def commune_chair(demo_user):
    return demo_user(Role.HEAD)


@pytest.fixture
def person(db):
    def make(name: str, phone: str) -> User:
        return User.objects.create_user(phone=phone, full_name=name)

    return make


@pytest.fixture
def weekly(commune_chair, commune_committee):
    """The commune chair's schedule: every Friday from `starts_on`."""

    def make(starts_on: date = date(2026, 11, 2), weekday: int = 4):
        return services.schedule_create(
            leader=commune_chair, leader_role="commune_chair", agency=commune_committee,
            frequency="weekly", weekday=weekday, starts_on=starts_on,
            place="Trụ sở UBND phường Phố Hiến",
        )  # fmt: skip

    return make


def said(msgid: str, **values: object) -> str:
    """The message as the Vietnamese interface shows it (escaped as in the page)."""
    with override("vi"):
        text = gettext(msgid)
    return escape(text % values if values else text)


def assert_access(response, role, allowed) -> None:
    """The page opens for the allowed roles; anonymous is sent to log in; others get 403."""
    if role in allowed:
        assert response.status_code == 200
    elif role is None:
        assert response.status_code == 302
        assert "/accounts/login/" in response.url
    else:
        assert response.status_code == 403
