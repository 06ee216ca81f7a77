"""The demo's evaluation: the example criteria set (danvan.evaluation.example) and this
year's round open for self-assessment, a few units already self-assessed."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from danvan.accounts.models import User
from danvan.core.uploads import check_upload
from danvan.dialogues.models import Dialogue
from danvan.evaluation import services
from danvan.evaluation.example import example_set
from danvan.evaluation.models import (
    Assessment,
    CriteriaSet,
    Criterion,
    Round,
)
from danvan.evaluation.services import RoundPlan, SelfScore
from danvan.evaluation.sets import Tree
from danvan.evaluation.units import round_candidates
from danvan.places.models import Agency, Unit
from danvan.rulebook.store import current_calendar

from .services import DEMO_COMMUNE_CODE, DEMO_EMAIL_DOMAIN, PROVINCE_CODE


def demo_criteria_set() -> CriteriaSet:
    return example_set(province_code=PROVINCE_CODE)


# The units that self-assessed in the demo: the share of each line's points they claim, and
# whether they sent it (two communes entered from paper reports); the demo accounts' commune
# has one line left for its head, the department is still at work.
SELF_ASSESSED = {f"ubnd-c{DEMO_COMMUNE_CODE}": (Decimal("0.95"), False),
                 "ubnd-c11977": (Decimal("0.8"), True), "ubnd-c11983": (Decimal("0.9"), True),
                 "hy-so-xd": (Decimal("0.85"), False)}  # fmt: skip
PAPER_NOTE = "Nhập theo báo cáo tự đánh giá bằng giấy của đơn vị."
# The line the demo commune's head still has to score before sending the self-assessment.
LEFT_TO_DO = {"10.1"}
PLAN_NAME = "ke-hoach-dan-van-2026.pdf"


def plan_pdf() -> bytes:
    """The plan a unit attaches as evidence: one blank A4 page, written by pypdf so that
    the upload check (strict pypdf, `core.pdf_check`) reads it as any real PDF."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": "Kế hoạch công tác dân vận chính quyền năm 2026"})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def demo_round_load(*, year: int | None = None) -> Round | None:
    """The year's round, open for self-assessment, a few units already self-assessed.
    Created once: None when the year's round exists."""
    year = year or timezone.localdate().year
    province = Unit.objects.get(level=Unit.Level.PROVINCE, code=PROVINCE_CODE,
                                valid_until__isnull=True)  # fmt: skip
    if Round.objects.filter(province=province, year=year).exists():
        return None
    supervisor = User.objects.get(email=f"danvan@{DEMO_EMAIL_DOMAIN}")
    calendar = current_calendar()
    self_due = calendar.next_working_day(timezone.localdate() + timedelta(days=14))
    plan = RoundPlan(
        year=year, criteria_set=demo_criteria_set(), self_due=self_due,
        review_due=calendar.next_working_day(self_due + timedelta(days=14)),
        agencies=round_candidates(province_id=province.pk),
    )  # fmt: skip
    with transaction.atomic():
        round_ = services.round_open(plan=plan, by=supervisor)
        for code, (share, sent) in SELF_ASSESSED.items():
            assessment = round_.assessments.select_related("round").get(agency__code=code)
            _self_assess(assessment, share, sent=sent)
    return round_


def _self_assess(assessment: Assessment, share: Decimal, *, sent: bool) -> None:
    head = User.objects.filter(email=f"chutich@{DEMO_EMAIL_DOMAIN}",
                               memberships__agency=assessment.agency).first()  # fmt: skip
    tree = Tree.of(assessment.round.criteria_set)
    for leaf in tree.leaves():
        if leaf.is_computed or leaf.kind == "penalty" or (head and leaf.code in LEFT_TO_DO):
            continue
        points = (leaf.max_points * share).quantize(Decimal("0.01"))
        if leaf.kind == "bonus" and leaf.code != "T1":
            continue
        services.self_score(assessment=assessment, criterion=leaf, by=head,
                            score=_score(leaf, points, head))  # fmt: skip
    if sent:
        services.assessment_submit(assessment=assessment, by=head)


def _score(leaf: Criterion, points: Decimal, head: User | None) -> SelfScore:
    if head is None:
        return SelfScore(points=points, note=PAPER_NOTE)
    dialogue = Dialogue.objects.filter(organiser=_agency_of(head)).order_by("id").first()
    links = [dialogue.get_absolute_url()] if dialogue and leaf.code == "8.1" else []
    files = [check_upload(PLAN_NAME, plan_pdf())] if leaf.code == "1.1" else []
    return SelfScore(points=points, note="Đã thực hiện theo kế hoạch.", files=files, links=links)


def _agency_of(user: User) -> Agency | None:
    membership = user.memberships.select_related("agency").first()
    return membership.agency if membership else None
