"""The named metrics of a unit: from letters (counted by hand in cases/tests/test_stats.py),
reception compliance and dialogues; what `evaluation_metrics` prints; a provisional ranking
without a round."""

from datetime import date, datetime, time
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from danvan.accounts.roles import Role
from danvan.dialogues.models import Commitment, CommitmentStatus, Dialogue, Status
from danvan.evaluation.metrics import METRICS, metrics_for
from danvan.places.models import Agency
from danvan.reception import services as reception
from danvan.reception.models import SessionStatus

pytestmark = pytest.mark.django_db
D = Decimal
ZONE = timezone.get_default_timezone()


def agency(code):
    return Agency.objects.get(code=code)


@pytest.fixture
def reception_year(demo_user):
    """The commune chair's Friday reception on the platform from 1 Sep 2026; she has headed
    the commune since the 2025 reform, so every week begun in 2026 up to Monday 23 Nov owes
    a day (47); 9 sessions held, the rest planned or cancelled."""
    chair = demo_user(Role.HEAD)
    schedule = reception.schedule_create(
        leader=chair, leader_role="commune_chair", agency=agency("ubnd-c11953"),
        frequency="weekly", weekday=4, place="Trụ sở", starts_on=date(2026, 9, 1),
    )  # fmt: skip
    sessions = reception.sessions_generate(schedule=schedule, until=date(2026, 11, 22))
    for session in sessions[:9]:
        session.status = SessionStatus.HELD
        session.save()
    return schedule


@pytest.fixture
def dialogues_year(demo_user):
    """Two dialogues of the commune held in 2026 (one planned does not count); commitments
    owned by the commune: one closed before its due date, one closed late, one overdue, one
    not yet due."""
    head = demo_user(Role.HEAD)
    commune = agency("ubnd-c11953")
    made = []
    for day, status in ((date(2026, 3, 2), Status.HELD), (date(2026, 6, 1), Status.CLOSED),
                        (date(2026, 12, 7), Status.PLANNED)):  # fmt: skip
        made.append(Dialogue.objects.create(
            title=f"Đối thoại {day}", chair=head, organiser=commune, unit=commune.home_unit,
            starts_at=datetime.combine(day, time(8), tzinfo=ZONE), place="Hội trường",
            status=status, created_by=head,
        ))  # fmt: skip

    def promise(due, done=None):
        Commitment.objects.create(
            dialogue=made[0], text="Sửa đường", owner=commune, due_on=due, created_by=head,
            status=CommitmentStatus.DONE if done else CommitmentStatus.OPEN,
            done_at=datetime.combine(done, time(23, 30), tzinfo=ZONE) if done else None,
        )  # fmt: skip

    promise(date(2026, 4, 30), done=date(2026, 4, 30))  # closed at 23:30 on its due day
    promise(date(2026, 5, 31), done=date(2026, 6, 2))
    promise(date(2026, 9, 30))  # overdue
    promise(date(2026, 12, 15))  # not due yet: not counted


def test_reception_and_dialogue_metrics(reception_year, dialogues_year):
    values = metrics_for(agency_ids=[agency("ubnd-c11953").pk], start=date(2026, 1, 1),
                         end=date(2026, 12, 31))[agency("ubnd-c11953").pk]  # fmt: skip
    assert {
        k: values[k]
        for k in (
            "reception_days_required",
            "reception_days_held",
            "reception_days_held_pct",
            "dialogues_held",
            "commitments_closed_on_time_pct",
        )
    } == {
        "reception_days_required": D(47),
        "reception_days_held": D(9),
        "reception_days_held_pct": D("19.1"),
        "dialogues_held": D(2),
        "commitments_closed_on_time_pct": D("33.3"),  # 1 of 3 decided
    }


def test_a_unit_without_letters_has_nothing_to_measure_but_counts():
    values = metrics_for(agency_ids=[agency("hy-so-xd").pk], start=date(2026, 1, 1),
                         end=date(2026, 12, 31))[agency("hy-so-xd").pk]  # fmt: skip
    assert values == {
        "letters_received": D(0), "letters_answered_on_time_pct": None, "overdue_open": D(0),
        "rating_avg": None, "complaints_accepted_on_time_pct": None,
        "reception_days_required": D(0), "reception_days_held": D(0),
        "reception_days_held_pct": None, "dialogues_held": D(0),
        "commitments_closed_on_time_pct": None,
    }  # fmt: skip


def test_many_units_are_read_in_one_pass_with_the_same_values(commune_letters):
    codes = ["ubnd-c11953", "ubnd-c11977", "ubnd-c11983", "hy-so-xd", "hy-so-yt", "hy-so-nv"]
    ids = [agency(code).pk for code in codes]
    all_at_once = metrics_for(agency_ids=ids, start=date(2026, 1, 1), end=date(2026, 12, 31))
    one = metrics_for(agency_ids=ids[:1], start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert all_at_once[ids[0]] == one[ids[0]]
    assert one[ids[0]]["letters_answered_on_time_pct"] == D("75.0")


def test_the_command_prints_each_metric_of_the_unit(commune_letters, reception_year):
    out = StringIO()
    call_command("evaluation_metrics", "--unit", "ubnd-c11953", "--from", "2026-10-01",
                 "--to", "2026-10-31", stdout=out)  # fmt: skip
    assert out.getvalue().splitlines() == [
        "letters_received=4",
        "letters_answered_on_time_pct=75",
        "overdue_open=1",
        "rating_avg=",
        "complaints_accepted_on_time_pct=",
        "reception_days_required=4",  # weeks beginning 5, 12, 19 and 26 October
        "reception_days_held=5",  # Fridays 2, 9, 16, 23 and 30 October
        "reception_days_held_pct=100",  # never above 100
        "dialogues_held=0",
        "commitments_closed_on_time_pct=",
    ]
    assert [line.split("=")[0] for line in out.getvalue().splitlines()] == list(METRICS)


def test_the_command_refuses_an_unknown_unit():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("evaluation_metrics", "--unit", "khong-co", "--from", "2026-01-01",
                     "--to", "2026-12-31")  # fmt: skip


def test_a_ranking_without_a_round_counts_the_computed_lines_only(small_set, commune_letters):
    out = StringIO()
    call_command("evaluation_round", "--year", "2026", "--set", "thu", stdout=out)
    lines = out.getvalue().splitlines()
    # Every unit a round would score; those without letters due earn all 20 computed points,
    # Phố Hiến (75 % on time) earns 10; no one reaches a tier above Yếu.
    assert lines[-1] == "units=112"
    assert lines[0] == "rank=1 unit=hy-ban-tcd score=20.00 tier=yeu flag=-"
    assert "rank=112 unit=ubnd-c11953 score=10.00 tier=yeu flag=-" in lines
