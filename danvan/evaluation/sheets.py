"""A criteria set as a spreadsheet: exported to be read and edited in Excel or LibreOffice,
imported back as a new draft. Four sheets; the codes of kinds, scoring, metrics and rules are
the platform's (the sheet "Hướng dẫn" lists them). Import checks everything first and says
which sheet and row is wrong; nothing is saved from a file with a mistake."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from danvan.core.forms import refusal_message
from danvan.core.text import TextRefused, clean_input
from danvan.places.models import Unit

from .metrics import METRICS
from .models import CriteriaSet, Criterion, Disqualifier, ItemKind, Mapping, ScoredBy, TierBand
from .sets import SetError, Tree

SET_SHEET, CRITERIA_SHEET, BANDS_SHEET, DISQUALIFIERS_SHEET, HELP_SHEET = (
    "Bộ tiêu chí", "Tiêu chí", "Xếp loại", "Không đủ điều kiện", "Hướng dẫn",
)  # fmt: skip
SET_FIELDS = [
    ("Mã bộ tiêu chí", "code"), ("Tên", "name"), ("Phiên bản", "version"),
    ("Mã tỉnh", "province"), ("Căn cứ ban hành", "legal_basis"),
    ("Hiệu lực từ", "effective_from"), ("Hiệu lực đến", "effective_to"),
    ("Ví dụ cần thay thế", "is_example"), ("Điểm thưởng tối đa", "bonus_cap"),
    ("Xếp loại được nhận cờ", "flag_tier"), ("Số cờ mỗi nhóm", "flag_count"),
    ("Thứ tự phá hòa", "tie_break"),
]  # fmt: skip
CRITERIA_COLUMNS = [
    ("Số", "code"), ("Thuộc", "parent"), ("Loại", "kind"), ("Nội dung", "title"),
    ("Điểm tối đa", "max_points"), ("Tài liệu kiểm chứng", "evidence"),
    ("Cách chấm", "scored_by"), ("Chỉ số", "metric"), ("Quy tắc", "mapping"),
    ("Không điểm tại", "zero_at"), ("Đủ điểm tại", "full_at"), ("Ngưỡng", "thresholds"),
    ("Điểm khi không có số liệu", "no_data_points"),
]  # fmt: skip
YES, NO = "có", "không"
TEXT_FIELDS = {"code", "name", "province", "legal_basis", "is_example", "flag_tier", "tie_break"}
MULTILINE = {"title", "evidence"}  # the criteria's columns that may hold several lines


# Export ---------------------------------------------------------------------------------


def set_export(criteria_set: CriteriaSet) -> bytes:
    book = Workbook()
    _write_set(book.worksheets[0], criteria_set)
    _write_criteria(book.create_sheet(CRITERIA_SHEET), criteria_set)
    bands = book.create_sheet(BANDS_SHEET)
    bands.append(["Mã", "Tên", "Từ điểm"])
    for band in criteria_set.bands.order_by("-min_score"):
        bands.append([band.code, band.label, _num(band.min_score)])
    disqualifiers = book.create_sheet(DISQUALIFIERS_SHEET)
    disqualifiers.append(["Mã", "Điều kiện"])
    for item in criteria_set.disqualifiers.order_by("code"):
        disqualifiers.append([item.code, item.title])
    _write_help(book.create_sheet(HELP_SHEET))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _write_set(sheet: Worksheet, s: CriteriaSet) -> None:
    sheet.title = SET_SHEET
    values = {"code": s.code, "name": s.name, "version": s.version, "province": s.province.code,
              "legal_basis": s.legal_basis, "effective_from": s.effective_from,
              "effective_to": s.effective_to, "is_example": YES if s.is_example else NO,
              "bonus_cap": _num(s.bonus_cap), "flag_tier": s.flag_tier,
              "flag_count": s.flag_count, "tie_break": s.tie_break}  # fmt: skip
    for label, key in SET_FIELDS:
        sheet.append([label, values[key]])


def _write_criteria(sheet: Worksheet, criteria_set: CriteriaSet) -> None:
    sheet.append([label for label, _key in CRITERIA_COLUMNS])
    tree = Tree.of(criteria_set)
    codes = {node.pk: node.code for node in tree.nodes}
    for node in tree.nodes:
        sheet.append([
            node.code, codes.get(node.parent_id or 0, ""), node.kind, node.title,
            _num(node.max_points), node.evidence, node.scored_by, node.metric, node.mapping,
            _num(node.zero_at), _num(node.full_at), node.thresholds, _num(node.no_data_points),
        ])  # fmt: skip


def _write_help(sheet: Worksheet) -> None:
    rows = [
        ["Cột", "Giá trị được dùng"],
        ["Loại", "criterion (tiêu chí), bonus (điểm thưởng), penalty (điểm trừ)"],
        ["Cách chấm", "reviewer (đơn vị tự chấm, cấp trên thẩm định), computed (tính từ số liệu)"],
        ["Quy tắc", "linear (tuyến tính giữa hai mốc), thresholds (theo ngưỡng)"],
        ["Ngưỡng", "ví dụ >=95:10; >=90:8 (càng cao càng tốt) hoặc <=0:5; <=2:3"],
        ["Thứ tự phá hòa", "fewer_penalty, higher_computed, higher_standard, higher_bonus, code"],
    ]
    rows += [["Chỉ số", f"{code}: {metric.label}"] for code, metric in METRICS.items()]
    for row in rows:
        sheet.append([str(value) for value in row])


def _num(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# Import ---------------------------------------------------------------------------------


class SheetError(SetError):
    """A file that cannot be imported; `message` lists each mistake with its place."""


@dataclass
class _Reader:
    problems: list[str]

    def text(self, value: Any, where: str, *, multiline: bool = False) -> str:
        """The cell's text cleaned as at every edge (`core.text`): a character nobody types
        is a mistake at `where`, said as a form says it."""
        if value is None:
            return ""
        try:
            return clean_input(str(value), multiline=multiline).strip()
        except TextRefused as error:
            self.problems.append(f"{where}: {refusal_message(error)}")
            return ""

    def decimal(self, value: Any, where: str, *, optional: bool = False) -> Decimal | None:
        if value is None or str(value).strip() == "":
            if not optional:
                self.problems.append(_("%(where)s: a number is needed.") % {"where": where})
            return None
        try:
            return Decimal(str(value).replace(",", ".")).quantize(Decimal("0.01"))
        except InvalidOperation:
            self.problems.append(_("%(where)s: %(value)s is not a number.")
                                 % {"where": where, "value": value})  # fmt: skip
            return None

    def day(self, value: Any, where: str, *, optional: bool = False) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = self.text(value, where)
        if not text and optional:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.problems.append(_("%(where)s: a date (YYYY-MM-DD) is needed.") % {"where": where})
            return None


def set_import(data: bytes) -> CriteriaSet:
    """A new draft set from the file; SheetError listing every mistake, nothing saved."""
    try:
        book = load_workbook(BytesIO(data), data_only=True, read_only=True)
    except (
        Exception
    ) as error:  # a damaged or foreign file fails in many ways, each is "not a workbook"
        raise SheetError(_("This file is not an Excel (.xlsx) workbook.")) from error
    missing = [n for n in (SET_SHEET, CRITERIA_SHEET, BANDS_SHEET, DISQUALIFIERS_SHEET)
               if n not in book.sheetnames]  # fmt: skip
    if missing:
        raise SheetError(
            _("The workbook lacks the sheets: %(names)s.") % {"names": ", ".join(missing)}
        )
    reader = _Reader([])
    header = _read_set(reader, _rows(book[SET_SHEET]))
    nodes = _read_criteria(reader, _rows(book[CRITERIA_SHEET])[1:])
    bands = _read_bands(reader, _rows(book[BANDS_SHEET])[1:])
    disqualifiers = _read_disqualifiers(reader, _rows(book[DISQUALIFIERS_SHEET])[1:])
    if reader.problems:
        raise SheetError(" ".join(reader.problems))
    return _save(header, nodes, bands, disqualifiers)


def _rows(sheet: Any) -> list[list[Any]]:
    return [list(row) + [None] * 13 for row in sheet.iter_rows(values_only=True)]


def _read_set(reader: _Reader, rows: list[list[Any]]) -> dict[str, Any]:
    where = SET_SHEET
    by_label = {reader.text(row[0], where): row[1] for row in rows}
    values = {key: by_label.get(label) for label, key in SET_FIELDS}
    text = {key: reader.text(values[key], f"{where}: {label}") for label, key in SET_FIELDS
            if key in TEXT_FIELDS}  # fmt: skip
    province = Unit.objects.filter(level=Unit.Level.PROVINCE, code=text["province"],
                                   valid_until__isnull=True).first()  # fmt: skip
    if province is None:
        reader.problems.append(_("%(where)s: no province has the code %(code)s.")
                               % {"where": where, "code": text["province"]})  # fmt: skip
    return {
        "province": province, "code": text["code"], "name": text["name"],
        "version": int(reader.decimal(values["version"], f"{where}: Phiên bản") or 1),
        "legal_basis": text["legal_basis"],
        "effective_from": reader.day(values["effective_from"], f"{where}: Hiệu lực từ"),
        "effective_to": reader.day(values["effective_to"], f"{where}: Hiệu lực đến", optional=True),
        "is_example": text["is_example"].lower() == YES,
        "bonus_cap": reader.decimal(values["bonus_cap"], f"{where}: Điểm thưởng", optional=True) or Decimal(0),
        "flag_tier": text["flag_tier"],
        "flag_count": int(reader.decimal(values["flag_count"], f"{where}: Số cờ", optional=True) or 0),
        "tie_break": text["tie_break"] or "code",
    }  # fmt: skip


def _read_bands(reader: _Reader, rows: list[list[Any]]) -> list[tuple[str, str, Any]]:
    bands = []
    for number, row in enumerate(rows, 2):
        if any(row):
            where = f"{BANDS_SHEET} {number}"
            bands.append((reader.text(row[0], where), reader.text(row[1], where),
                          reader.decimal(row[2], where)))  # fmt: skip
    return bands


def _read_disqualifiers(reader: _Reader, rows: list[list[Any]]) -> list[tuple[str, str]]:
    where = DISQUALIFIERS_SHEET
    return [(reader.text(row[0], f"{where} {number}"),
             reader.text(row[1], f"{where} {number}", multiline=True))
            for number, row in enumerate(rows, 2) if any(row)]  # fmt: skip


def _read_criteria(reader: _Reader, rows: list[list[Any]]) -> list[dict[str, Any]]:
    nodes = []
    for number, row in enumerate(rows, 2):
        if not any(row[:13]):
            continue
        where = f"{CRITERIA_SHEET} {number}"
        node: dict[str, Any] = {
            key: reader.text(row[n], where, multiline=key in MULTILINE)
            for n, (_label, key) in enumerate(CRITERIA_COLUMNS)
        }
        node["max_points"] = reader.decimal(row[4], where)
        for n, key in ((9, "zero_at"), (10, "full_at"), (12, "no_data_points")):
            node[key] = reader.decimal(row[n], where, optional=True)
        node["kind"] = node["kind"] or ItemKind.CRITERION
        node["scored_by"] = node["scored_by"] or ScoredBy.REVIEWER
        _check_codes(reader, node, where)
        nodes.append(node)
    return nodes


def _check_codes(reader: _Reader, node: dict[str, Any], where: str) -> None:
    allowed = {"kind": ItemKind.values, "scored_by": ScoredBy.values,
               "mapping": ["", *Mapping.values], "metric": ["", *METRICS]}  # fmt: skip
    for key, values in allowed.items():
        if node[key] not in values:
            reader.problems.append(_("%(where)s: %(value)s is not one of the allowed values.")
                                   % {"where": where, "value": node[key]})  # fmt: skip


def _save(header: dict[str, Any], nodes: list[dict[str, Any]], bands: list[Any],
          disqualifiers: list[tuple[str, str]]) -> CriteriaSet:  # fmt: skip
    try:
        with transaction.atomic():
            criteria_set = CriteriaSet.objects.create(**header)
            TierBand.objects.bulk_create(TierBand(criteria_set=criteria_set, code=code,
                                                  label=label, min_score=floor)
                                         for code, label, floor in bands)  # fmt: skip
            Disqualifier.objects.bulk_create(Disqualifier(criteria_set=criteria_set, code=code,
                                                          title=title)
                                             for code, title in disqualifiers)  # fmt: skip
            _save_nodes(criteria_set, nodes)
    except IntegrityError as error:
        raise SheetError(_("The file repeats a code, names an unknown part, or a set with this "
                           "code and version already exists (%(error)s).")
                         % {"error": error}) from error  # fmt: skip
    return criteria_set


def _save_nodes(criteria_set: CriteriaSet, nodes: list[dict[str, Any]]) -> None:
    saved: dict[str, Criterion] = {}
    positions: dict[str, int] = {}
    for node in nodes:
        parent_code = node.pop("parent")
        if parent_code and parent_code not in saved:
            raise IntegrityError(f"{node['code']}: {parent_code} is not above it")
        positions[parent_code] = positions.get(parent_code, 0) + 1
        saved[node["code"]] = Criterion.objects.create(
            criteria_set=criteria_set, parent=saved.get(parent_code), position=positions[parent_code],
            **node,
        )  # fmt: skip
