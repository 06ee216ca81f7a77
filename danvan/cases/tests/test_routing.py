"""The routing table: the most specific rule wins; without one, the commune's committee."""

import pytest

from danvan.cases.models import RoutingRule, Topic
from danvan.cases.triage.routing import competent_agency
from danvan.places.models import Agency, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(pho_hien):
    return pho_hien, Unit.objects.get(level="province", code="33", valid_until=None)


def agency(code):
    return Agency.objects.get(code=code)


def test_without_a_rule_the_communes_committee_is_competent(places):
    commune, _ = places
    found = competent_agency(
        topic=Topic.objects.get(code="rac-thai"), unit=commune, kind="feedback"
    )
    assert found.code == "ubnd-c11953"


def test_the_most_specific_rule_wins(places, django_assert_num_queries):
    commune, province = places
    land = Topic.objects.get(code="dat-dai")
    compensation = Topic.objects.get(code="boi-thuong")
    RoutingRule.objects.create(topic=land, unit=None, agency=agency("hy-so-nnmt"))
    RoutingRule.objects.create(topic=land, unit=province, agency=agency("hy-so-xd"))
    RoutingRule.objects.create(
        topic=land, unit=commune, kind="denunciation", agency=agency("hy-thanh-tra")
    )
    # A child topic inherits its parent's rules; the province rule beats the everywhere rule.
    assert competent_agency(topic=compensation, unit=commune, kind="complaint").code == "hy-so-xd"
    # A rule for the kind beats a rule for any kind at the same place.
    assert competent_agency(topic=land, unit=commune, kind="denunciation").code == "hy-thanh-tra"
    # A rule on the topic itself beats one on its parent, wherever it applies.
    RoutingRule.objects.create(topic=compensation, unit=None, agency=agency("hy-ban-tcd"))
    fresh = Topic.objects.get(pk=compensation.pk)
    with django_assert_num_queries(2):  # the new rule dropped the table: topics, then rules
        found = competent_agency(topic=fresh, unit=commune, kind="complaint")
    assert found.code == "hy-ban-tcd"
    with django_assert_num_queries(0):  # kept in memory for the next letters
        assert competent_agency(topic=fresh, unit=commune, kind="complaint") == found


def test_a_rule_for_another_commune_does_not_apply(places):
    commune, _ = places
    other = Unit.objects.get(level="commune", code="13225", valid_until=None)  # Phường Thái Bình
    RoutingRule.objects.create(
        topic=Topic.objects.get(code="y-te"), unit=other, agency=agency("hy-so-yt")
    )
    found = competent_agency(topic=Topic.objects.get(code="y-te"), unit=commune, kind="feedback")
    assert found.code == "ubnd-c11953"
