from datetime import date

import pytest

from danvan.demo.reception import demo_reception_load

pytestmark = pytest.mark.django_db


def test_demo_reception_load_is_safe_to_rerun():
    first = demo_reception_load(months_ahead=2)
    assert (first.schedules, first.entries) == (2, 3)
    assert first.sessions > 8
    again = demo_reception_load(months_ahead=2)
    assert (again.schedules, again.sessions, again.entries) == (0, 0, 0)


def test_the_demo_holds_a_year_of_reception_history_with_real_figures():
    from danvan.places.models import Agency
    from danvan.reception.queries import compliance

    demo_reception_load(months_ahead=1)
    commune = Agency.objects.get(code="ubnd-c11953")
    (row,) = compliance(year=2026, agency_ids=[commune.pk])
    # Frozen at Monday 23 November 2026: 47 weeks begun; 46 Fridays passed, of which every
    # 13th was cancelled (3) and every other cancelled one made up a week later (2).
    assert (row.required, row.counted_from, row.from_office) == (47, date(2026, 1, 1), True)
    assert (row.held, row.held_ad_hoc, row.missing) == (45, 2, 2)
