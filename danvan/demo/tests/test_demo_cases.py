"""The demo letters: every status, real histories and deadlines, some overdue, loaded once."""

import pytest

from danvan.accounts.models import User
from danvan.cases.models import Case, CaseEvent
from danvan.cases.workflow import Status
from danvan.demo.cases import demo_cases_load
from danvan.places.models import Unit

pytestmark = pytest.mark.django_db


def test_demo_letters_cover_every_status_and_some_are_overdue():
    officer = User.objects.get(email="xuly@demo.danvan.vn")
    province = Unit.objects.get(level="province", code="33", valid_until__isnull=True)
    assert demo_cases_load(count=120, officer=officer, province=province) == 120
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert Case.objects.filter(overdue_since__isnull=False).exists()
    assert Case.objects.filter(rating__isnull=False).exists()
    # Histories happened over time: events are spread over the months before today.
    days = {e.at.date() for e in CaseEvent.objects.all()}
    assert len(days) > 30
    # The denunciations' senders are sealed like any other.
    assert not Case.objects.filter(kind="denunciation").exclude(submitter_name="").exists()
    assert demo_cases_load(count=120, officer=officer, province=province) == 0
