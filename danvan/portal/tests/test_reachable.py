"""Dialogues and commitments are reachable: the menu and the home page link the dialogue
list; a commune's row in the unit lookup links the commitments made to it."""

import pytest
from django.test import Client
from django.urls import reverse

from danvan.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_the_menu_and_the_home_page_link_the_dialogues():
    page = Client().get("/").content.decode()
    assert page.count(f'href="{reverse("dialogues:list")}"') == 2  # menu and home card
    assert "Đối thoại và cam kết" in page


def test_a_commune_in_force_links_its_commitments_and_an_old_one_does_not():
    page = Client().get("/units/", {"q": "Phố Hiến"}).content.decode()
    link = reverse("dialogues:unit-accountability", args=["11953"])
    assert f'href="{link}"' in page
    assert Client().get(link).status_code == 200
    old = Client().get("/units/", {"q": "Hồng Châu"}).content.decode()  # a pre-2025 ward
    assert 'href="/cam-ket/don-vi/' not in old.split("Hồng Châu")[1].split("</tr>")[0]


@pytest.mark.parametrize(
    ("role", "shown"),
    [(Role.RECEPTION_OFFICER, True), (Role.HANDLING_OFFICER, True), (Role.HEAD, True),
     (Role.SUPERVISOR, False), (Role.AUDITOR, False)],
)  # fmt: skip
def test_the_workspace_links_the_dialogue_pages_to_those_who_open_them(client_as, role, shown):
    client = client_as(role)
    page = client.get(reverse("portal:staff-home")).content.decode()
    for name in ("dialogues:staff-list", "dialogues:commitments"):
        assert (f'href="{reverse(name)}"' in page) is shown
        assert client.get(reverse(name)).status_code == (200 if shown else 403)
