import pytest
from django.core.management import CommandError, call_command

from danvan.rulebook.models import CalendarDay, RuleSetting

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("due_date", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_prints_the_basis_and_the_due_date_last():
    lines = run("KN-2", "2026-01-20", "--variant", "remote")
    assert lines[-1] == "due=2026-03-06"
    assert any("Luật Khiếu nại 2011 Art. 28" in line for line in lines)


def test_extensions_and_pauses():
    assert (
        run("TC-5", "2026-03-10", "--variant", "complex", "--extensions", "1")[-1]
        == "due=2026-05-11"
    )
    assert run("KN-2", "2026-07-02", "--pause", "2026-07-10:2026-07-19")[-1] == "due=2026-08-11"


def test_lists_every_rule_with_its_basis():
    lines = run("--list")
    assert any(line.startswith("TC-5 ") and "Art. 30" in line for line in lines)
    assert len(lines) >= 20


def test_uses_the_administrators_calendar_and_settings():
    CalendarDay.objects.create(
        day="2027-02-20", is_working_day=True, reason="QĐ hoán đổi ngày làm việc"
    )
    assert run("TC-2", "2027-02-18")[-1] == "due=2027-02-24"
    RuleSetting.objects.create(code="DON-1", days=15, basis="Quy chế của tỉnh")
    assert run("DON-1", "2026-11-02")[-1] == "due=2026-11-23"


@pytest.mark.parametrize(
    "args",
    [
        ("XX-9", "2026-01-01"),
        ("KN-2", "2026-13-01"),
        ("TC-5", "2026-03-10", "--extensions", "1"),
        ("KN-2",),
        ("KN-2", "2026-01-01", "--variant", "nowhere"),
    ],
)
def test_bad_input_is_a_clear_error(args):
    with pytest.raises(CommandError):
        run(*args)
