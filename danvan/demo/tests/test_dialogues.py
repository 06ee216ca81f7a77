import pytest

from danvan.demo.dialogues import demo_dialogues_load
from danvan.dialogues.models import Commitment, CommitmentStatus, Question, Status

pytestmark = pytest.mark.django_db


def test_the_demo_dialogues_load_once_with_an_overdue_and_a_done_commitment():
    assert demo_dialogues_load() == 2
    assert demo_dialogues_load() == 0
    held = list(Commitment.objects.order_by("due_on"))
    assert [c.is_overdue for c in held] == [True, False]
    assert held[1].status == CommitmentStatus.DONE
    assert Question.objects.filter(dialogue__status=Status.OPEN).count() == 3
