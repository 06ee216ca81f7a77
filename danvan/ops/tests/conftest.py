import pytest

from danvan.cases.services import case_submit
from danvan.places.models import Unit


@pytest.fixture
def letters(db):
    """`letters(n)`: n feedback letters filed through the web form's service."""

    def make(n):
        unit = Unit.objects.get(level="commune", code="11953", valid_until=None)
        return [
            case_submit(
                kind="feedback", title=f"Đèn đường hỏng {i}", unit=unit,
                content="Đèn đường trước nhà số 12 phố Nguyễn Văn Linh hỏng hai tuần nay.",
            )
            for i in range(n)
        ]  # fmt: skip

    return make
