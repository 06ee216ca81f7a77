"""The handling officer's home figures: counted against letters placed by hand around the
frozen day, and the home costs the same queries with few letters as with many."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from danvan.accounts.roles import Role
from danvan.cases.models import Case, Topic
from danvan.cases.tests.letters import submit_letter
from danvan.places.models import Unit
from testsupport.queries import queries_of

pytestmark = pytest.mark.django_db

FIGURE = re.compile(r'href="/staff/cases/\?(mine=1|overdue=1|due=7)"><strong>(\d+)</strong>')


def figures(client) -> dict[str, int]:
    page = client.get("/staff/").content.decode()
    return {query: int(count) for query, count in FIGURE.findall(page)}


def letter(*, due_in: int | None, assignee=None) -> Case:
    case = submit_letter(
        kind="feedback", title="Đèn đường hỏng", content="Đèn đường trước nhà số 12 hỏng.",
        unit=Unit.objects.get(level="commune", code="11953", valid_until=None),
        topic=Topic.objects.get(code="ha-tang"), name="Nguyễn Văn An", phone="+84912345678",
    )  # fmt: skip
    due = None if due_in is None else timezone.localdate() + timedelta(days=due_in)
    Case.objects.filter(pk=case.pk).update(due_on=due, assignee=assignee)
    return case


def test_each_figure_counts_the_letters_placed_by_hand(client_as, demo_user):
    client, me = client_as(Role.HANDLING_OFFICER), demo_user(Role.HANDLING_OFFICER)
    before = figures(client)
    assert set(before) == {"mine=1", "overdue=1", "due=7"}
    letter(due_in=-3, assignee=me)  # mine, overdue, within the week
    letter(due_in=0)  # due today: within the week, not yet overdue
    letter(due_in=7, assignee=me)  # mine, the last day of the week
    letter(due_in=8, assignee=me)  # mine only
    letter(due_in=None)  # no deadline: none of the three
    after = figures(client)
    assert {q: after[q] - before[q] for q in after} == {"mine=1": 3, "overdue=1": 1, "due=7": 3}


def test_each_figure_is_the_length_of_the_list_its_link_opens(client_as, demo_user):
    client, me = client_as(Role.HANDLING_OFFICER), demo_user(Role.HANDLING_OFFICER)
    codes = [letter(due_in=-2, assignee=me).tracking_code, letter(due_in=5).tracking_code]
    shown = figures(client)
    for query, count in shown.items():
        page = client.get(f"/staff/cases/?{query}").content.decode()
        listed = len(re.findall(r"<tr[ >]", page)) - 1  # less the header row
        assert listed == count, query
    assert all(code in client.get("/staff/cases/?due=7").content.decode() for code in codes)


@pytest.mark.parametrize("role", [Role.HANDLING_OFFICER, Role.HEAD], ids=str)
def test_the_home_costs_the_same_queries_with_few_and_many_letters(client_as, demo_user, role):
    client, me = client_as(role), demo_user(Role.HANDLING_OFFICER)
    client.get("/staff/")  # warm: the session's device and the reference data are read once
    for n in range(2):
        letter(due_in=n - 1, assignee=me)
    few = queries_of(lambda: client.get("/staff/"))
    for n in range(10):
        letter(due_in=n - 5, assignee=me)
    assert queries_of(lambda: client.get("/staff/")) == few


@pytest.mark.parametrize(
    ("role", "shown"),
    [(Role.HEAD, True), (Role.SUPERVISOR, True), (Role.AUDITOR, True),
     (Role.HANDLING_OFFICER, False), (Role.RECEPTION_OFFICER, False)],
)  # fmt: skip
def test_the_month_figures_link_the_overview_and_only_for_its_readers(client_as, role, shown):
    from danvan.insights.rollup import refresh

    refresh()  # as the scheduler does: the home reads the overview's roll-up
    client = client_as(role)
    home = client.get("/staff/").content.decode()
    link = 'href="/staff/insights/?period=2026-11"'
    assert (link in home) is shown
    if shown:
        overview = client.get("/staff/insights/?period=2026-11")
        assert overview.status_code == 200
        open_now = re.search(r"<strong>(\d+)</strong> đơn đang giải quyết", home)
        assert open_now is not None
