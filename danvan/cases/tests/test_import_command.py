"""The import_cases command: what it prints, and when it fails."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from danvan.cases.models import Case

from .import_files import csv_file, row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _command(tmp_path, data: bytes, *options: str) -> tuple[list[str], str]:
    """The lines printed, and the command's error ("" when it succeeds)."""
    path = tmp_path / "so-don.csv"
    path.write_bytes(data)
    out, failure = io.StringIO(), ""
    try:
        call_command("import_cases", path, "--by", "TiepDan@demo.danvan.vn", *options, stdout=out)
    except CommandError as error:
        failure = str(error)
    return out.getvalue().splitlines(), failure


def test_command_imports_and_ends_with_the_counts(tmp_path):
    lines, failure = _command(tmp_path, csv_file([row(), row(reference="02/2026")]))
    assert (lines, failure) == (["created=2 skipped=0 errors=0"], "")
    assert Case.objects.count() == 2


@pytest.mark.parametrize("options", [(), ("--dry-run",)])
def test_command_prints_each_error_and_fails_when_nothing_is_imported(tmp_path, options):
    data = csv_file([row(), row(reference="02/2026", phone="0123")])
    lines, failure = _command(tmp_path, data, *options)
    assert lines == [
        "Row 3, column “Điện thoại”: "
        "Enter a Vietnamese mobile number of 10 digits, for example 0912 345 678.",
        "created=0 skipped=0 errors=1",
    ]
    assert failure == "nothing imported: 1 row(s) to correct"
    assert not Case.objects.exists()


def test_command_partial_reports_errors_and_succeeds(tmp_path):
    data = csv_file([row(), row(reference="02/2026", phone="0123")])
    lines, failure = _command(tmp_path, data, "--partial")
    assert failure == ""
    assert lines == [
        "Row 3, column “Điện thoại”: "
        "Enter a Vietnamese mobile number of 10 digits, for example 0912 345 678.",
        "created=1 skipped=0 errors=1",
    ]


def test_command_refuses_an_unknown_officer(tmp_path):
    with pytest.raises(CommandError, match="no active account"):
        call_command("import_cases", tmp_path / "x.csv", "--by", "ai@example.vn")
