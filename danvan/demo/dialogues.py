"""Demo dialogue conferences: one open for questions, one held with answers and commitments.

Not wired into `load_demo` yet. Dates are relative to today, so the demo always shows an
upcoming conference, an overdue commitment and a done one (closed with evidence).
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from danvan.accounts.models import Membership, User
from danvan.dialogues import services as s
from danvan.dialogues.models import Commitment, Dialogue, Status
from danvan.places.models import Agency

DEMO_TITLE_OPEN = "Đối thoại với công nhân khu công nghiệp Phố Nối về nhà ở xã hội"
DEMO_TITLE_HELD = "Đối thoại với hộ dân bị ảnh hưởng dự án đường vành đai 4"
QUESTIONS = [
    ("Khi nào công nhân được đăng ký mua nhà ở xã hội tại Phố Nối?", "Nguyễn Thị Hoa", 12),
    ("Điều kiện thu nhập để mua nhà ở xã hội là bao nhiêu?", "", 7),
    ("Bao giờ mở đăng ký mua nhà ở xã hội cho công nhân Phố Nối?", "Trần Văn Long", 4),
]


def _member(agency: Agency, role: str) -> User:
    membership = Membership.objects.filter(agency=agency, role=role).select_related("user").first()
    if membership is None:
        raise ValueError(f"no {role} in {agency.code}; load the demo accounts first")
    return membership.user


def demo_dialogues_load(
    *, organiser_code: str = "ubnd-c11953", owner_code: str = "hy-so-xd"
) -> int:
    """Create the two demo dialogues once; returns how many were created (0 on a rerun)."""
    if Dialogue.objects.filter(title__in=[DEMO_TITLE_OPEN, DEMO_TITLE_HELD]).exists():
        return 0
    organiser = Agency.objects.get(code=organiser_code)
    owner = Agency.objects.get(code=owner_code)
    head = _member(organiser, Membership.Role.HEAD)
    secretary = _member(organiser, Membership.Role.RECEPTION_OFFICER)
    today = timezone.localdate()
    with transaction.atomic():
        upcoming = s.dialogue_create(
            by=secretary, organiser=organiser, chair=head, title=DEMO_TITLE_OPEN,
            starts_at=timezone.make_aware(datetime.combine(today + timedelta(days=14), time(8))),
            agencies=[owner], audience="Công nhân khu công nghiệp Phố Nối",
            issue_group="Nhà ở xã hội", place="Hội trường UBND phường Phố Hiến",
            invitations="Công đoàn khu công nghiệp Phố Nối\nĐại diện các doanh nghiệp",
        )  # fmt: skip
        s.dialogue_set_status(dialogue=upcoming, to=Status.OPEN, by=secretary)
        for text, name, votes in QUESTIONS:
            question = s.question_submit(dialogue=upcoming, text=text, name=name)
            for n in range(votes):  # visitors without an account, each from their own address
                s.question_vote(question=question, voter=f"demo:{n}", address=f"192.0.2.{n}")
        _held(organiser, owner, head, secretary, today)
    return 2


def _held(organiser: Agency, owner: Agency, head: User, secretary: User, today: date) -> None:
    """A past conference: created directly (the service refuses past dates)."""
    held = Dialogue.objects.create(
        title=DEMO_TITLE_HELD, chair=head, organiser=organiser, unit=organiser.home_unit,
        audience="Hộ dân phường Phố Hiến", issue_group="Giải phóng mặt bằng đường vành đai 4",
        starts_at=timezone.make_aware(datetime.combine(today - timedelta(days=60), time(8))),
        place="Nhà văn hóa tổ dân phố 3", status=Status.HELD, created_by=secretary,
    )  # fmt: skip
    held.agencies.set([owner])
    answers = [
        ("Bao giờ trả tiền bồi thường đợt 2?", "Đợt 2 chi trả xong trong 30 ngày.",
         "Chi trả tiền bồi thường đợt 2", today - timedelta(days=20)),
        ("Mương thoát nước bị lấp khi thi công, ai sửa?", "Sở Xây dựng yêu cầu nhà thầu nạo vét.",
         "Nạo vét mương thoát nước tổ dân phố 3", today + timedelta(days=10)),
    ]  # fmt: skip
    for number, (question_text, answer, promise, due) in enumerate(answers):
        question = s.question_answer(
            dialogue=held, by=secretary, answer=answer, answered_by=head, agency=organiser,
            question_text=question_text,
        )  # fmt: skip
        commitment = Commitment.objects.create(
            dialogue=held, question=question, text=promise, owner=owner, due_on=due,
            created_by=secretary,
        )  # fmt: skip
        if number == 1:
            s.commitment_progress(
                commitment=commitment, by=head, text="Đã nạo vét 400 m mương, nghiệm thu.",
                document_link="https://hungyen.gov.vn/bien-ban-nghiem-thu", close=True,
            )  # fmt: skip
