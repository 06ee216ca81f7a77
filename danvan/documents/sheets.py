"""The look every spreadsheet the platform issues shares: a bold, wrapped heading row that
stays in view, and column widths that fit Vietnamese headings."""

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet


def sheet_style(sheet: Worksheet, *, heading_row: int, widths: list[int]) -> None:
    for cell in sheet[heading_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for n, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = f"A{heading_row + 1}"
