from datetime import date

import pytest
from django.core.management import call_command

from danvan.places.models import Agency, Unit
from danvan.places.queries import (
    agencies_serving,
    successors_in_force,
    unit_counts_in_force,
    unit_resolve,
    unit_search,
)
from danvan.places.services import units_load

pytestmark = pytest.mark.django_db


def test_units_in_force_today_are_the_34_provinces_and_3321_communes():
    assert unit_counts_in_force() == {"provinces": 34, "communes": 3321}


def test_before_the_reform_there_were_63_provinces():
    counts = unit_counts_in_force(on=date(2025, 6, 30))
    assert counts["provinces"] == 63
    assert counts["communes"] > 10000


def test_load_units_is_idempotent_and_prints_the_counts(capsys):
    before = Unit.objects.count()
    call_command("load_units")
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "provinces=34 communes=3321"
    assert "created=0 updated=0" in out[0]
    assert Unit.objects.count() == before


def test_a_changed_name_is_restored_on_reload():
    unit = Unit.objects.get(level="commune", code="11953", valid_until=None)
    Unit.objects.filter(pk=unit.pk).update(name="Sai tên")
    report = units_load()
    assert report.updated == 1
    unit.refresh_from_db()
    assert unit.name == "Phường Phố Hiến"


def test_an_old_commune_code_resolves_to_its_successor():
    # Phường Hiến Nam (old Hưng Yên city, code 11953 before 2025) now lies in Phường Phố Hiến.
    old = Unit.objects.get(level="commune", code="11953", valid_until=date(2025, 7, 1))
    assert old.name == "Phường Hiến Nam"
    [successor] = unit_resolve(code="11953", level="commune", as_of=date(2024, 1, 1))
    assert (successor.name, successor.valid_until, successor.parent.code) == (
        "Phường Phố Hiến",
        None,
        "33",
    )


def test_every_old_commune_has_a_successor_in_force():
    old = list(Unit.objects.filter(level="commune", valid_until=date(2025, 7, 1)))
    found = successors_in_force(units=old)
    orphans = [u.code for u in old if not found[u.pk]]
    assert orphans == []


def test_an_old_province_resolves_to_the_merged_one():
    # Thái Bình (34) merged into Hưng Yên (33).
    [successor] = unit_resolve(code="34", level="province", as_of=date(2025, 1, 1))
    assert successor.name == "Tỉnh Hưng Yên"


def test_search_ignores_accents_and_puts_units_in_force_first():
    found = unit_search(text="pho hien")
    assert found[0].name == "Phường Phố Hiến"
    assert found[0].valid_until is None


def test_search_needs_two_characters():
    assert unit_search(text="p") == []


def test_every_demo_commune_has_its_peoples_committee():
    province = Unit.objects.get(level="province", code="33", valid_until=None)
    communes = Unit.objects.filter(parent=province, valid_until=None).count()
    committees = Agency.objects.filter(
        type=Agency.Type.PEOPLES_COMMITTEE, home_unit__parent=province
    ).count()
    assert communes == committees == 104


def test_agencies_serving_a_commune_include_the_provincial_ones():
    commune = Unit.objects.get(level="commune", code="11953", valid_until=None)
    codes = set(agencies_serving(unit=commune).values_list("code", flat=True))
    assert {"ubnd-c11953", "ubnd-p33", "hy-thanh-tra", "hy-mttq"} <= codes
