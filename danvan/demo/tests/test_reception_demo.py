import pytest

from danvan.demo.reception import demo_reception_load

pytestmark = pytest.mark.django_db


def test_demo_reception_load_is_safe_to_rerun():
    first = demo_reception_load(months_ahead=2)
    assert (first.schedules, first.entries) == (2, 3)
    assert first.sessions > 8
    again = demo_reception_load(months_ahead=2)
    assert (again.schedules, again.sessions, again.entries) == (0, 0, 0)
