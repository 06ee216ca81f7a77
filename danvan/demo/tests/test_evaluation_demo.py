from decimal import Decimal

import pytest

from danvan.demo.dialogues import demo_dialogues_load
from danvan.demo.evaluation import SELF_ASSESSED, demo_round_load
from danvan.dialogues.models import Dialogue
from danvan.evaluation.models import AssessmentStatus, RoundStatus, Stage
from danvan.evaluation.results import round_ranking

pytestmark = pytest.mark.django_db


def test_the_demo_round_is_open_with_a_few_units_self_assessed_and_loads_once():
    demo_dialogues_load()
    round_ = demo_round_load()
    assert demo_round_load() is None
    assert (round_.year, round_.status, round_.assessments.count()) == (
        2026, RoundStatus.SELF_ASSESSMENT, 112)  # fmt: skip
    submitted = round_.assessments.filter(status=AssessmentStatus.SUBMITTED)
    assert sorted(submitted.values_list("agency__code", flat=True)) == sorted(
        set(SELF_ASSESSED) - {"hy-so-xd"})  # fmt: skip
    commune = round_.assessments.get(agency__code="ubnd-c11953")
    # The 11 reviewed indicators and one bonus item; the computed lines are not the unit's.
    assert commune.scores.filter(stage=Stage.SELF, by__email="chutich@demo.danvan.vn").count() == 12
    dialogue = Dialogue.objects.filter(organiser=commune.agency).order_by("id").first()
    assert sorted(e.name or e.link for e in commune.evidence.all()) == [
        dialogue.get_absolute_url(), "ke-hoach-dan-van-2026.pdf"]  # fmt: skip
    [first, *_rest] = round_ranking(round_)
    assert first.assessment.agency.code == "ubnd-c11953"
    assert first.ranked.total > Decimal(90)
