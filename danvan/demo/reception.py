"""Demo reception data: the commune and provincial chairs' schedules, their sessions for the
coming months and a few logbook entries. Not wired into `demo_load` yet."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from danvan.accounts.models import User
from danvan.places.models import Agency, Unit
from danvan.reception import services
from danvan.reception.models import ReceptionEntry, ReceptionSchedule

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
    """Schedules (commune chair every Friday, provincial chair on the 15th), their sessions
    from this month to `months_ahead` months on, and a few logbook entries. Safe to rerun.
    Needs `demo_load` first (the demo commune head is the commune chair)."""
    report = ReceptionDemoReport()
    today = timezone.localdate()
    start, until = today.replace(day=1), today + timedelta(days=31 * months_ahead)
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
                 "frequency": "weekly", "weekday": 4, "place": "Trụ sở UBND phường Phố Hiến"},
            {"leader": provincial_chair, "leader_role": "provincial_chair", "agency": province_pc,
                 "frequency": "monthly", "day_of_month": 15, "place": "Trụ sở Ban Tiếp công dân tỉnh"},
        ]  # fmt: skip
        for plan in plans:
            schedule = ReceptionSchedule.objects.filter(
                leader=plan["leader"], agency=plan["agency"]
            ).first()
            if schedule is None:
                schedule = services.schedule_create(starts_on=start, **plan)
                report.schedules += 1
            report.sessions += len(services.sessions_generate(schedule=schedule, until=until))
        if entries and not ReceptionEntry.objects.filter(agency=commune).exists():
            report.entries = _entries_add(commune, commune_chair)
    return report


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
