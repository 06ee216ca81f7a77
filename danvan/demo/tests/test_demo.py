import pytest
from django.core.management import call_command

from conftest import DEMO_PASSWORD
from danvan.accounts.access import roles_of
from danvan.accounts.models import User
from danvan.accounts.roles import Role
from danvan.demo.services import demo_accounts, demo_load
from danvan.places.models import Agency

pytestmark = pytest.mark.django_db


def test_one_demo_account_per_role_with_exactly_that_role(demo_user):
    assert {a.role for a in demo_accounts()} == set(Role)
    for role in Role:
        assert roles_of(demo_user(role)) == {role}


def test_rerun_changes_nothing_and_keeps_the_password(demo_user):
    users, agencies = User.objects.count(), Agency.objects.count()
    report = demo_load(password=DEMO_PASSWORD)
    assert report.agencies_created == 0
    assert (User.objects.count(), Agency.objects.count()) == (users, agencies)
    assert demo_user(Role.HEAD).check_password(DEMO_PASSWORD)


def test_a_new_demo_password_is_applied_to_every_account(demo_user):
    demo_load(password="Mot-mat-khau-khac-2026")
    assert all(demo_user(role).check_password("Mot-mat-khau-khac-2026") for role in Role)


def test_load_demo_prints_every_account_and_the_password(capsys, settings):
    settings.DANVAN_DEMO_PASSWORD = DEMO_PASSWORD
    call_command("load_demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    assert all(account.login in out for account in demo_accounts())


def test_agencies_have_their_parent_and_the_front_stands_outside_the_state():
    department = Agency.objects.get(code="hy-so-xd")
    assert department.parent.code == "ubnd-p33"
    assert Agency.objects.get(code="hy-mttq").parent is None
    commune_committee = Agency.objects.get(code="ubnd-c11953")
    assert commune_committee.parent.code == "ubnd-p33"
