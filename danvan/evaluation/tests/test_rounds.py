"""A round from opening to the published ranking: self-scores, computed lines, review with
reasons, a unit not eligible, a tie, approval, flags; what each step refuses."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from danvan.accounts.roles import Role
from danvan.evaluation import services
from danvan.evaluation.models import (
    AssessmentStatus,
    Criterion,
    Result,
    RoundEvent,
    RoundStatus,
    ScoreEntry,
    Stage,
)
from danvan.evaluation.results import lines_of, round_ranking
from danvan.evaluation.services import EvaluationError, SelfScore

pytestmark = pytest.mark.django_db
D = Decimal


def line(criteria_set, code):
    return Criterion.objects.get(criteria_set=criteria_set, code=code)


def unit(round_, code):
    return round_.assessments.select_related("round", "agency").get(agency__code=code)


def self_assess(assessment, by, **points):
    for code, value in points.items():
        criterion = line(assessment.round.criteria_set, code.replace("_", "."))
        services.self_score(assessment=assessment, criterion=criterion, by=by,
                            score=SelfScore(points=D(value), note="Đã làm."))  # fmt: skip
    return services.assessment_submit(assessment=assessment, by=by)


def review(assessment, by, code, points, reason=""):
    criterion = line(assessment.round.criteria_set, code)
    return services.review_score(assessment=assessment, criterion=criterion, points=D(points),
                                 reason=reason, by=by)  # fmt: skip


@pytest.fixture
def reviewed_round(open_round, commune_letters, demo_user, small_set):
    """A (Phố Hiến): 75 % on time (10 computed points); 1.1 lowered 30 -> 25 with a reason;
    2.1 50; bonus 4 counted 3: 88. B (Tân Hưng): no letter due (all 20 computed); 28 + 40:
    88, a tie with A that B wins on computed points. C (Sơn Nam): 100, but not eligible.
    D (Sở Xây dựng): 20 + 20 + 30 - 5 penalty: 65."""
    supervisor, head = demo_user(Role.SUPERVISOR), demo_user(Role.HEAD)
    round_ = open_round()
    self_assess(unit(round_, "ubnd-c11953"), head, **{"1_1": 30, "2_1": 50, "T": 4})
    self_assess(unit(round_, "ubnd-c11977"), None, **{"1_1": 28, "2_1": 40})
    self_assess(unit(round_, "ubnd-c11983"), None, **{"1_1": 30, "2_1": 50})
    services.round_start_review(round_=round_, by=supervisor)
    a = unit(round_, "ubnd-c11953")
    review(a, supervisor, "1.1", 25, "Kế hoạch ban hành muộn, thiếu phân công.")
    review(a, supervisor, "2.1", 50)  # unchanged: no reason needed
    c = unit(round_, "ubnd-c11983")
    services.eligibility_set(assessment=c, eligible=False, by=supervisor,
                             reason="Chủ tịch bị kỷ luật khiển trách năm 2026.",
                             disqualifier=small_set.disqualifiers.get())  # fmt: skip
    d = unit(round_, "hy-so-xd")  # never submitted: reviewed from nothing
    for code, points in (("1.1", 20), ("2.1", 30), ("K", 5)):
        review(d, supervisor, code, points, "Theo hồ sơ thẩm định.")
    for assessment in round_.assessments.all():
        services.assessment_review_done(assessment=assessment, by=supervisor)
    return round_


def test_the_ranking_of_a_reviewed_round(reviewed_round):
    rows = [(r.assessment.agency.code, r.ranked.rank, r.ranked.group_rank, r.ranked.total,
             r.ranked.tier, r.flag) for r in round_ranking(reviewed_round)]  # fmt: skip
    assert rows == [
        ("ubnd-c11977", 1, 1, D("88.00"), "tot", "nhat"),  # ties with A: more computed points
        ("ubnd-c11953", 2, 2, D("88.00"), "tot", ""),  # one flag per group
        ("hy-so-xd", 3, 1, D("65.00"), "kha", ""),  # first provincial body, but only Khá
        ("ubnd-c11983", 4, None, D("100.00"), "khong-du-dieu-kien", ""),
    ]


def test_computed_and_reviewed_lines_of_a_unit(reviewed_round):
    lines = {x.criterion.code: x for x in lines_of(unit(reviewed_round, "ubnd-c11953"))}
    assert lines["1.2"].computed_entry.value == D("75.00")
    assert (lines["1.2"].final, lines["1.1"].self_entry.points, lines["1.1"].final) == (
        D("10.00"), D("30.00"), D("25.00"))  # fmt: skip
    assert lines["1.1"].review_entry.reason == "Kế hoạch ban hành muộn, thiếu phân công."
    assert (lines["1"].final, lines["2"].final, lines["T"].final) == (D(35), D(50), D(4))


def test_approval_stores_the_results_and_freezes_the_scores(reviewed_round, demo_user):
    supervisor = demo_user(Role.SUPERVISOR)
    round_ = services.round_approve(round_=reviewed_round, by=supervisor)
    assert round_.status == RoundStatus.APPROVED
    stored = list(Result.objects.filter(assessment__round=round_).values_list(
        "assessment__agency__code", "rank", "total", "tier", "tier_label", "flag"))  # fmt: skip
    assert stored == [
        ("ubnd-c11977", 1, D("88.00"), "tot", "Tốt", "nhat"),
        ("ubnd-c11953", 2, D("88.00"), "tot", "Tốt", ""),
        ("hy-so-xd", 3, D("65.00"), "kha", "Khá", ""),
        ("ubnd-c11983", 4, D("100.00"), "khong-du-dieu-kien", "Không đủ điều kiện xếp loại", ""),
    ]
    a = unit(round_, "ubnd-c11953")
    before = ScoreEntry.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it
        ScoreEntry.objects.create(assessment=a, criterion=line(round_.criteria_set, "1.1"),
                                  stage=Stage.REVIEW, points=D(30), reason="sửa")  # fmt: skip
    assert ScoreEntry.objects.count() == before
    with pytest.raises(EvaluationError):
        review(a, supervisor, "1.1", 30, "sửa lại")
    services.round_publish(round_=round_, by=supervisor)
    assert list(RoundEvent.objects.filter(round=round_).values_list("action", flat=True)[:1]) == [
        "open"]  # fmt: skip


def test_the_command_prints_the_round(reviewed_round):
    out = StringIO()
    call_command("evaluation_round", "--year", "2026", stdout=out)
    assert out.getvalue().splitlines() == [
        "rank=1 unit=ubnd-c11977 score=88.00 tier=tot flag=nhat",
        "rank=2 unit=ubnd-c11953 score=88.00 tier=tot flag=-",
        "rank=3 unit=hy-so-xd score=65.00 tier=kha flag=-",
        "rank=4 unit=ubnd-c11983 score=100.00 tier=khong-du-dieu-kien flag=-",
        "units=4",
    ]


def test_a_change_from_the_self_score_needs_a_reason(open_round, demo_user):
    supervisor, head = demo_user(Role.SUPERVISOR), demo_user(Role.HEAD)
    round_ = open_round()
    self_assess(unit(round_, "ubnd-c11953"), head, **{"1_1": 30, "2_1": 50})
    services.round_start_review(round_=round_, by=supervisor)
    a = unit(round_, "ubnd-c11953")
    with pytest.raises(EvaluationError) as refused:
        review(a, supervisor, "1.1", 20, "   ")
    assert refused.value.message == "Nêu lý do thay đổi từ 30,00 thành 20 điểm."
    assert not a.scores.filter(stage=Stage.REVIEW).exists()


def test_a_computed_line_is_not_the_unit_s_to_score(open_round, demo_user, small_set):
    round_ = open_round()
    a = unit(round_, "ubnd-c11953")
    with pytest.raises(EvaluationError):
        services.self_score(assessment=a, criterion=line(small_set, "1.2"), by=demo_user(Role.HEAD),
                            score=SelfScore(points=D(20)))  # fmt: skip
    assert not a.scores.filter(stage=Stage.SELF).exists()


def test_points_above_the_line_s_maximum_are_refused(open_round, demo_user, small_set):
    a = unit(open_round(), "ubnd-c11953")
    with pytest.raises(EvaluationError):
        services.self_score(assessment=a, criterion=line(small_set, "1.1"), by=demo_user(Role.HEAD),
                            score=SelfScore(points=D("30.5")))  # fmt: skip
    assert not a.scores.exists() or not a.scores.filter(stage=Stage.SELF).exists()


def test_a_submission_needs_every_line_the_unit_scores(open_round, demo_user, small_set):
    a = unit(open_round(), "ubnd-c11953")
    services.self_score(assessment=a, criterion=line(small_set, "1.1"), by=demo_user(Role.HEAD),
                        score=SelfScore(points=D(10)))  # fmt: skip
    with pytest.raises(EvaluationError) as refused:
        services.assessment_submit(assessment=a, by=demo_user(Role.HEAD))
    assert refused.value.message == "Hãy chấm điểm mọi dòng trước: 2.1."
    a.refresh_from_db()
    assert a.status == AssessmentStatus.DRAFT


def test_every_score_is_kept(open_round, demo_user, small_set):
    a = unit(open_round(), "ubnd-c11953")
    criterion = line(small_set, "1.1")
    for points in (10, 20):
        services.self_score(assessment=a, criterion=criterion, by=demo_user(Role.HEAD),
                            score=SelfScore(points=D(points)))  # fmt: skip
    entries = a.scores.filter(criterion=criterion, stage=Stage.SELF).order_by("id")
    assert [e.points for e in entries] == [D(10), D(20)]
    first = entries.first()
    first.points = D(30)
    with pytest.raises(ValueError, match="append-only"):
        first.save()
    with pytest.raises(ValueError, match="append-only"):
        first.delete()


def test_not_eligible_needs_a_reason(open_round, demo_user):
    round_ = open_round()
    services.round_start_review(round_=round_, by=demo_user(Role.SUPERVISOR))
    a = unit(round_, "ubnd-c11953")
    with pytest.raises(EvaluationError):
        services.eligibility_set(assessment=a, eligible=False, reason=" ",
                                 by=demo_user(Role.SUPERVISOR))  # fmt: skip
    a.refresh_from_db()
    assert a.eligible


def test_approval_waits_for_every_review(open_round, demo_user):
    round_ = open_round()
    supervisor = demo_user(Role.SUPERVISOR)
    services.round_start_review(round_=round_, by=supervisor)
    with pytest.raises(EvaluationError) as refused:
        services.round_approve(round_=round_, by=supervisor)
    assert refused.value.message == "Còn 4 đơn vị chờ thẩm định."
    round_.refresh_from_db()
    assert round_.status == RoundStatus.REVIEW
    assert not Result.objects.exists()


def test_one_round_a_year_for_a_province(open_round):
    open_round()
    with pytest.raises(EvaluationError) as refused:
        open_round()
    assert refused.value.message == "Tỉnh đã có đợt đánh giá năm 2026."
