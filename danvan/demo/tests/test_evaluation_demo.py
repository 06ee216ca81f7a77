from decimal import Decimal

import pytest

from danvan.demo.dialogues import demo_dialogues_load
from danvan.demo.evaluation import demo_round_load
from danvan.dialogues.models import Dialogue
from danvan.evaluation.models import AssessmentStatus, RoundStatus, Stage
from danvan.evaluation.results import round_ranking

pytestmark = pytest.mark.django_db


def test_the_demo_round_is_open_with_a_few_units_self_assessed_and_loads_once():
    demo_dialogues_load()
    round_ = demo_round_load()
    assert round_ is not None
    assert demo_round_load() is None
    assert (round_.year, round_.status, round_.assessments.count()) == (
        2026, RoundStatus.SELF_ASSESSMENT, 112)  # fmt: skip
    submitted = round_.assessments.filter(status=AssessmentStatus.SUBMITTED)
    assert sorted(submitted.values_list("agency__code", flat=True)) == [
        "ubnd-c11977", "ubnd-c11983"]  # entered from paper; the others are at work  # fmt: skip
    commune = round_.assessments.get(agency__code="ubnd-c11953")
    # 10 of the 11 reviewed indicators (10.1 is left for the head) and one bonus item; the
    # computed lines are not the unit's.
    assert commune.status == AssessmentStatus.DRAFT
    assert commune.scores.filter(stage=Stage.SELF, by__email="chutich@demo.danvan.vn").count() == 11
    dialogue = Dialogue.objects.filter(organiser=commune.agency).order_by("id").first()
    assert sorted(e.name or e.link for e in commune.evidence.all()) == [
        dialogue.get_absolute_url(), "ke-hoach-dan-van-2026.pdf"]  # fmt: skip
    top = [(r.assessment.agency.code, r.ranked.total) for r in round_ranking(round_)[:4]]
    # The self-assessed units first (their own scores, the computed lines in full: no letter
    # is due in this database), the others with their computed points only.
    assert top == [("ubnd-c11983", Decimal("92.50")), ("ubnd-c11953", Decimal("92.05")),
                   ("ubnd-c11977", Decimal("86.00")), ("hy-so-xd", Decimal("83.25"))]  # fmt: skip
