"""A small criteria set whose points are easy to count by hand, and rounds using it."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from danvan.accounts.roles import Role
from danvan.cases import services as case_services
from danvan.cases.models import Topic
from danvan.cases.tests.letters import submit_letter
from danvan.evaluation import services
from danvan.evaluation.models import CriteriaSet, Criterion, Disqualifier, SetStatus, TierBand
from danvan.evaluation.services import RoundPlan
from danvan.places.models import Agency, Unit
from danvan.rulebook.store import current_calendar

D = Decimal
UNITS = ["ubnd-c11953", "ubnd-c11977", "ubnd-c11983", "hy-so-xd"]  # A, B, C (communes), D


@pytest.fixture
def province(db):
    return Unit.objects.get(level="province", code="33", valid_until=None)


def node(criteria_set, code, title, points, *, parent=None, kind="criterion", **rule):
    return Criterion.objects.create(
        criteria_set=criteria_set, parent=parent, code=code, title=title, kind=kind,
        max_points=D(points), position=len(code), **rule,
    )  # fmt: skip


@pytest.fixture
def small_set(province):
    """Criteria 1 (1.1 reviewed 30, 1.2 computed 20: letters on time, 0 at 50 %, all at
    100 %) and 2 (2.1 reviewed 50); a bonus of 4 (counted up to 3) and a penalty of 5; tiers
    Tốt 80, Khá 60, Yếu 0; one flag per group for Tốt; ties: fewer penalty, more computed."""
    s = CriteriaSet.objects.create(
        province=province, code="thu", name="Bộ tiêu chí thử", effective_from=date(2026, 1, 1),
        status=SetStatus.IN_FORCE, bonus_cap=D(3), flag_tier="tot", flag_count=1,
        tie_break="fewer_penalty, higher_computed",
    )  # fmt: skip
    one = node(s, "1", "Tiếp nhận, giải quyết đơn", 50)
    node(s, "1.1", "Kế hoạch", 30, parent=one)
    node(s, "1.2", "Đơn trả lời đúng hạn", 20, parent=one, scored_by="computed",
         metric="letters_answered_on_time_pct", mapping="linear", zero_at=D(50), full_at=D(100))  # fmt: skip
    two = node(s, "2", "Dân chủ ở cơ sở", 50)
    node(s, "2.1", "Công khai", 50, parent=two)
    node(s, "T", "Mô hình Dân vận khéo", 4, kind="bonus")
    node(s, "K", "Khiếu nại đông người", 5, kind="penalty")
    for code, label, floor in (("tot", "Tốt", 80), ("kha", "Khá", 60), ("yeu", "Yếu", 0)):
        TierBand.objects.create(criteria_set=s, code=code, label=label, min_score=D(floor))
    Disqualifier.objects.create(criteria_set=s, code="k1", title="Người đứng đầu bị kỷ luật")
    return s


def working_day(after: int) -> date:
    return current_calendar().next_working_day(timezone.localdate() + timedelta(days=after))


@pytest.fixture
def open_round(small_set, demo_user):
    def make(codes=UNITS, criteria_set=None, year=2026):
        plan = RoundPlan(
            year=year, criteria_set=criteria_set or small_set,
            agencies=list(Agency.objects.filter(code__in=codes).select_related("home_unit")),
            self_due=working_day(7), review_due=working_day(21),
        )  # fmt: skip
        return services.round_open(plan=plan, by=demo_user(Role.SUPERVISOR))

    return make


@pytest.fixture
def commune_letters(demo_user, db):
    """Letters of Phường Phố Hiến in 2026: three declined before their deadline, one never
    handled past it: 75 % answered on time."""
    officer = demo_user(Role.HANDLING_OFFICER)
    unit = Unit.objects.get(level="commune", code="11953", valid_until=None)
    zone = timezone.get_default_timezone()
    for n in range(4):
        with time_machine.travel(datetime(2026, 10, 1, 9, tzinfo=zone), tick=False):
            case = submit_letter(
                kind="feedback", title=f"Đèn đường hỏng {n}", content="Đèn đường hỏng lâu.",
                unit=unit, topic=Topic.objects.get(code="ha-tang"), name="Nguyễn Văn An",
            )  # fmt: skip
        if n < 3:
            with time_machine.travel(datetime(2026, 10, 2, 9, tzinfo=zone), tick=False):
                case_services.case_decline(case=case, by=officer, reason="not_eligible",
                                           note="Thiếu thông tin.")  # fmt: skip


@pytest.fixture(autouse=True)
def platform_language():
    """Each test starts in the platform's language: a page asked in English (the decision's
    test) leaves English active in the test's thread afterwards."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
