"""Bulk import of old letters: the commune's paper logbook, typed into a spreadsheet.

The file is a CSV (UTF-8 with or without BOM, UTF-16, or Windows-1258; separated by `,`, `;`
or tab) or an XLSX workbook (its first sheet). A header row names the columns; it may sit
under a few title rows. Headers match case- and accent-insensitively, in Vietnamese or in
English; other columns (STT, ghi chú...) are ignored.

    Vietnamese    English     required  value
    ngày nhận     received    yes       dd/mm/yyyy, yyyy-mm-dd or a date cell; 2015 to today
    loại đơn      kind        yes       phản ánh, kiến nghị, khiếu nại, tố cáo, or the
                                        codes feedback, petition, complaint, denunciation
    nội dung      content     yes
    xã phường     commune     yes       name or code of a commune in force in the province, or
                                        a pre-2025 commune name ("Minh Tân (Hưng Hà)" when the
                                        old name was used in several districts)
    tiêu đề       subject     no        the start of the content when empty
    lĩnh vực      topic       no        topic code or name
    họ tên        name        no        empty: anonymous (not allowed for a complaint)
    điện thoại    phone       no        Vietnamese mobile number
    email         email       no
    địa chỉ       address     no        the writer's address
    số người      signers     no        number of signers, 1 when empty
    số hiệu       reference   no        the logbook's own number

Every row is checked before anything is written; each error names the row as the
spreadsheet shows it. A row is imported whole or not at all. Importing a file again creates
nothing twice: the idempotency key is the commune, the year received and the logbook number,
or a digest of the row when it has no number.

The steps, one module each: `reading` (bytes to rows of cells) and `cells` (a cell to a
value) are pure Python; `checking` and `communes` check the rows against the platform;
`writing` registers them through `cases.submission.case_submit`.
"""

from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import User
from danvan.places.models import Unit

from .checking import Context, ImportReport, ImportRow, RowError, rows_validate, shown
from .columns import COLUMNS, HEADERS, Column, header_key
from .reading import Invalid, sheet_read
from .writing import existing_keys, rows_write

__all__ = [
    "COLUMNS",
    "HEADERS",
    "Column",
    "ImportReport",
    "ImportRow",
    "RowError",
    "cases_import",
    "header_key",
]

MAX_ROWS = 5000  # settings.DANVAN_IMPORT_MAX_ROWS overrides
MAX_BYTES = 10 * 1024 * 1024  # settings.DANVAN_IMPORT_MAX_BYTES overrides


def cases_import(
    *,
    file: IO[bytes] | bytes,
    by: User,
    all_or_nothing: bool = True,
    dry_run: bool = False,
    province: Unit | None = None,
) -> ImportReport:
    """Check every row of a logbook file, then register the valid ones as letters.

    `all_or_nothing` imports nothing when any row is bad; otherwise each valid row goes in
    in its own transaction. `dry_run` checks only. Permissions are the caller's business.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        sheet = sheet_read(_bytes_read(file), max_rows=_setting("DANVAN_IMPORT_MAX_ROWS", MAX_ROWS))
    except Invalid as error:
        report.errors.append(RowError(error.row, "", shown(error.message)))
        return report
    report.rows_total = len(sheet.rows)
    report.rows = rows_validate(sheet, Context(province or _province()), report.errors)
    if dry_run or (all_or_nothing and report.errors):
        report.skipped_existing = len(existing_keys(report.rows)) if dry_run else 0
        return report
    rows_write(report, by=by, atomic=all_or_nothing)
    return report


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _province() -> Unit:
    return Unit.objects.get(
        level=Unit.Level.PROVINCE, code=settings.DANVAN_PROVINCE_CODE, valid_until__isnull=True
    )


def _bytes_read(file: IO[bytes] | bytes) -> bytes:
    limit = _setting("DANVAN_IMPORT_MAX_BYTES", MAX_BYTES)
    data = file if isinstance(file, bytes) else file.read(limit + 1)
    if len(data) > limit:
        text = _("The file is larger than {size}. Split it into smaller files.")
        raise Invalid(format_lazy(text, size=filesizeformat(limit)))
    if not data.strip():
        raise Invalid(_("The file is empty."))
    return data
