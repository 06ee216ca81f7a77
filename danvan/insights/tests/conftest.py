import pytest

from danvan.accounts.roles import Role
from danvan.cases.models import Topic
from danvan.cases.tests.letters import submit_letter
from danvan.places.models import Unit


@pytest.fixture
def pho_hien(db):
    return Unit.objects.get(level="commune", code="11953", valid_until=None)


@pytest.fixture
def submit(pho_hien, demo_user):
    """A letter as a citizen files it: `submit(kind="complaint", ...)`."""

    def make(**overrides):
        data = {
            "kind": "feedback",
            "title": "Đèn đường hỏng",
            "content": "Đèn đường trước nhà số 12 phố Nguyễn Văn Linh hỏng hai tuần nay.",
            "unit": pho_hien,
            "topic": Topic.objects.get(code="ha-tang"),
            "name": "Nguyễn Văn An",
            "phone": "+84912345678",
            "email": "an@example.vn",
        }
        data.update(overrides)
        return submit_letter(**data)

    return make


@pytest.fixture
def handler(demo_user):
    return demo_user(Role.HANDLING_OFFICER)


@pytest.fixture
def head(demo_user):
    """The head of the demo commune: designates the handlers of its denunciations."""
    return demo_user(Role.HEAD)
