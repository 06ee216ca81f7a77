"""Demo reception data: the commune and provincial chairs' schedules with their past sessions
(held, a few cancelled and made up), the sessions of the coming months and a few logbook
entries. `load_demo` runs it after `demo_load`."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from danvan.accounts.models import User
from danvan.places.models import REFORM_DATE, Agency, Unit
from danvan.reception import services
from danvan.reception.models import (
    ReceptionEntry,
    ReceptionSchedule,
    ReceptionSession,
    SessionStatus,
)

from .services import DEMO_COMMUNE_CODE, DEMO_EMAIL_DOMAIN, PROVINCE_CODE

PROVINCIAL_CHAIR = ("Nguyễn Hữu Nghĩa", f"chutichtinh@{DEMO_EMAIL_DOMAIN}")
ENTRIES = [  # (kind, citizen, content)
    ("feedback", "Đỗ Thị Mai", "Đường ngõ 15 tổ dân phố 2 ngập nước mỗi khi mưa lớn."),
    ("complaint", "Bùi Văn Khánh", "Khiếu nại mức bồi thường khi thu hồi đất làm đường gom."),
    ("petition", "Hoàng Thị Lý", "Kiến nghị bố trí thêm điểm thu gom rác tại chợ Phố Hiến."),
]


@dataclass
class ReceptionDemoReport:
    schedules: int = 0
    sessions: int = 0
    entries: int = 0


def demo_reception_load(*, months_ahead: int = 3, entries: bool = True) -> ReceptionDemoReport:
    """Schedules (commune chair every Friday since the 2025 reform made her chair, provincial
    chair on the 15th since the first of the month a year ago), their sessions up to
    `months_ahead` months on, the past ones held but for a few missed, and a few logbook
    entries. Safe to rerun. Needs `demo_load` first (the demo commune head is the chair)."""
    report = ReceptionDemoReport()
    today = timezone.localdate()
    until = today + timedelta(days=31 * months_ahead)
    commune = Agency.objects.get(code=f"ubnd-c{DEMO_COMMUNE_CODE}")
    province = Unit.objects.get(level=Unit.Level.PROVINCE, code=PROVINCE_CODE,
                                valid_until__isnull=True)  # fmt: skip
    province_pc = Agency.objects.get(type=Agency.Type.PEOPLES_COMMITTEE, home_unit=province)
    commune_chair = User.objects.get(email=f"chutich@{DEMO_EMAIL_DOMAIN}")
    provincial_chair, _ = User.objects.get_or_create(
        email=PROVINCIAL_CHAIR[1], defaults={"full_name": PROVINCIAL_CHAIR[0]}
    )
    with transaction.atomic():
        plans: list[dict[str, Any]] = [
            {"leader": commune_chair, "leader_role": "commune_chair", "agency": commune,
                 "frequency": "weekly", "weekday": 4, "place": "Trụ sở UBND phường Phố Hiến",
                 "starts_on": REFORM_DATE},
            {"leader": provincial_chair, "leader_role": "provincial_chair", "agency": province_pc,
                 "frequency": "monthly", "day_of_month": 15, "place": "Trụ sở Ban Tiếp công dân tỉnh",
                 "starts_on": date(today.year - 1, today.month, 1)},
        ]  # fmt: skip
        for plan in plans:
            schedule = ReceptionSchedule.objects.filter(
                leader=plan["leader"], agency=plan["agency"]
            ).first()
            if schedule is None:
                schedule = services.schedule_create(**plan)
                report.schedules += 1
            report.sessions += len(services.sessions_generate(schedule=schedule, until=until))
            _history(schedule, today)
        if entries and not ReceptionEntry.objects.filter(agency=commune).exists():
            report.entries = _entries_add(commune, commune_chair)
    return report


MISSED_EVERY = 13  # one periodic session in this many was cancelled...
MADE_UP_EVERY = 2  # ...and one cancelled session in this many was made up the next week


def _history(schedule: ReceptionSchedule, today: date) -> None:
    """Mark the schedule's past sessions as the office would have: held, but for a few
    cancelled (some made up by an ad-hoc session a week later), so compliance shows both."""
    past = schedule.sessions.filter(held_on__lt=today).order_by("held_on")
    for index, session in enumerate(past):
        if session.status != SessionStatus.PLANNED:  # marked by an earlier run or on leave
            continue
        if index % MISSED_EVERY != MISSED_EVERY // 2:
            services.session_set_status(session=session, status=SessionStatus.HELD)
            continue
        services.session_set_status(session=session, status=SessionStatus.CANCELLED)
        if index // MISSED_EVERY % MADE_UP_EVERY == 0 and session.held_on + WEEK < today:
            _make_up(session)


WEEK = timedelta(days=7)


def _make_up(missed: ReceptionSession) -> None:
    extra = services.session_add_ad_hoc(
        agency=missed.agency, leader=missed.leader, held_on=missed.held_on + WEEK,
        place=missed.place,
    )  # fmt: skip
    services.session_set_status(session=extra, status=SessionStatus.HELD)


def _entries_add(commune: Agency, officer: User) -> int:
    unit = Unit.objects.get(level=Unit.Level.COMMUNE, code=DEMO_COMMUNE_CODE,
                            valid_until__isnull=True)  # fmt: skip
    session = commune.reception_sessions.filter(held_on__lte=timezone.localdate()).last()
    for kind, name, content in ENTRIES:
        visitor = services.Visitor(kind=kind, content=content, name=name,
                                   address="Phường Phố Hiến, tỉnh Hưng Yên")  # fmt: skip
        services.entry_record(agency=commune, by=officer, visitor=visitor, route="accept",
                              unit=unit, session=session)  # fmt: skip
    return len(ENTRIES)
