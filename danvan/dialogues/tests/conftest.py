from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from danvan.accounts.models import Membership, User
from danvan.accounts.roles import Role
from danvan.dialogues import services as s
from danvan.dialogues.models import Dialogue, Status
from danvan.places.models import Agency

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 11, 23)


@pytest.fixture
def organiser(db):
    return Agency.objects.get(code="ubnd-c11953")  # Phường Phố Hiến, the demo officers'


@pytest.fixture
def owner_agency(db):
    return Agency.objects.get(code="hy-so-xd")


@pytest.fixture
def owner_officer(owner_agency):
    """A handling officer of the agency that keeps the promises (not the organiser)."""
    user = User.objects.create_user(email="xd@example.vn", password="x", full_name="Ngô Văn Xây")
    Membership.objects.create(
        user=user, agency=owner_agency, role=Role.HANDLING_OFFICER, started_on=date(2025, 7, 1)
    )
    return user


@pytest.fixture
def make_dialogue(organiser, demo_user):
    def make(status: str = Status.OPEN, **overrides) -> Dialogue:
        data = {
            "by": demo_user(Role.RECEPTION_OFFICER),
            "organiser": organiser,
            "title": "Đối thoại với hộ dân bị ảnh hưởng dự án đường vành đai",
            "chair": demo_user(Role.HEAD),
            "starts_at": datetime(2026, 12, 5, 8, 0, tzinfo=HANOI),
            "audience": "Công nhân khu công nghiệp Phố Nối",
            "issue_group": "Hộ dân bị ảnh hưởng giải phóng mặt bằng",
            "place": "Hội trường UBND phường Phố Hiến",
            "invitations": "Ông Nguyễn Văn Tư\nHội Nông dân phường",
        }
        data.update(overrides)
        dialogue = s.dialogue_create(**data)
        Dialogue.objects.filter(pk=dialogue.pk).update(status=status)
        dialogue.status = status
        return dialogue

    return make


@pytest.fixture
def dialogue(make_dialogue):
    return make_dialogue()
