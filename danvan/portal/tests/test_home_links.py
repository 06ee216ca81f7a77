"""Every link of every role's home page and menu opens for that role: none answers 403 or
404 (issue 18: the home used to send supervisors and auditors to the logbook's 403)."""

import re

import pytest
from django.urls import reverse

from danvan.accounts.roles import Role

pytestmark = pytest.mark.django_db

OFFICIALS = [Role.RECEPTION_OFFICER, Role.HANDLING_OFFICER, Role.HEAD, Role.SUPERVISOR,
             Role.AUDITOR, Role.ADMINISTRATOR]  # fmt: skip
HREF = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/static/", "/media/")


def local_links(page: str) -> set[str]:
    return {h.replace("&amp;", "&") for h in HREF.findall(page) if not h.startswith(SKIP)}


@pytest.mark.parametrize("role", OFFICIALS, ids=str)
def test_no_link_of_the_home_or_menu_is_closed_to_the_role(role, client_as):
    client = client_as(role)
    links = local_links(client.get(reverse("portal:staff-home")).content.decode())
    assert reverse("cases:queue") in links or role is Role.ADMINISTRATOR
    closed = {link: code for link in sorted(links)
              if (code := client.get(link).status_code) in (403, 404)}  # fmt: skip
    assert closed == {}


@pytest.mark.parametrize(
    "role", [Role.RECEPTION_OFFICER, Role.HANDLING_OFFICER, Role.HEAD], ids=str
)
def test_a_reception_day_adds_no_link_closed_to_the_role(role, client_as, demo_user):
    """With a session today every acting official sees the card; only those keeping the
    logbook get the day's list, which the handling officer could not open."""
    from django.utils import timezone

    from danvan.reception.models import ReceptionSession, SessionKind

    head = demo_user(Role.HEAD)
    agency = head.memberships.filter(role="head").first().agency
    ReceptionSession.objects.create(agency=agency, leader=head, held_on=timezone.localdate(),
                                    place="Trụ sở UBND", kind=SessionKind.AD_HOC)  # fmt: skip
    client = client_as(role)
    page = client.get(reverse("portal:staff-home")).content.decode()
    assert "Trụ sở UBND" in page
    closed = {link: code for link in sorted(local_links(page))
              if (code := client.get(link).status_code) in (403, 404)}  # fmt: skip
    assert closed == {}
