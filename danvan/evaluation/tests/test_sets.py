"""Criteria sets: what makes one usable, freezing (the database refuses edits), a new version
as a copy, the administration, and the spreadsheet round trip."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from danvan.evaluation.example import example_set
from danvan.evaluation.models import CriteriaSet, Criterion, Disqualifier, SetStatus, TierBand
from danvan.evaluation.sets import (
    SetError,
    Tree,
    set_in_force,
    set_new_version,
    set_problems,
    set_put_in_force,
)
from danvan.evaluation.sheets import SheetError, set_export, set_import

pytestmark = pytest.mark.django_db
D = Decimal


def refused(action):
    """The database refuses `action` (an integrity error); nothing changes."""
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


def test_the_demo_set_has_ten_criteria_on_100_points_bonus_up_to_5_and_penalties():
    s = example_set(province_code="33")
    tops = Tree.of(s).children[None]
    criteria = [c for c in tops if c.kind == "criterion"]
    assert len(criteria) == 10
    assert sum(c.max_points for c in criteria) == D(100)
    assert s.bonus_cap == D(5)
    assert [c.code for c in tops if c.kind == "penalty"] == ["D1", "D2", "D3"]
    assert (s.is_example, s.status) == (True, SetStatus.IN_FORCE)
    assert set_problems(s) == []


def test_a_set_whose_parts_do_not_add_up_cannot_be_put_in_force(small_set):
    small_set.status = SetStatus.DRAFT
    small_set.save()
    Criterion.objects.filter(criteria_set=small_set, code="1.1").update(max_points=D(25))
    assert set_problems(small_set) == ["1: số điểm (50,00) không bằng tổng các phần."]
    with pytest.raises(SetError):
        set_put_in_force(criteria_set=small_set)
    small_set.refresh_from_db()
    assert small_set.status == SetStatus.DRAFT


def test_a_computed_line_with_an_unreadable_rule_is_a_problem(small_set):
    Criterion.objects.filter(criteria_set=small_set, code="1.2").update(
        mapping="thresholds", thresholds="95:10"
    )
    [problem] = set_problems(small_set)
    assert problem.startswith("1.2: ")


def test_a_frozen_set_is_refused_by_the_database(open_round, small_set):
    open_round()
    small_set.refresh_from_db()
    assert small_set.status == SetStatus.FROZEN
    one = Criterion.objects.get(criteria_set=small_set, code="1.1")
    refused(lambda: Criterion.objects.filter(pk=one.pk).update(max_points=D(29)))
    refused(lambda: Criterion.objects.filter(pk=one.pk).delete())
    refused(lambda: Criterion.objects.create(criteria_set=small_set, code="9", title="Mới",
                                             max_points=D(1)))  # fmt: skip
    refused(lambda: TierBand.objects.filter(criteria_set=small_set).update(min_score=D(1)))
    refused(lambda: Disqualifier.objects.create(criteria_set=small_set, code="k9", title="x"))
    refused(lambda: CriteriaSet.objects.filter(pk=small_set.pk).update(bonus_cap=D(10)))
    refused(lambda: CriteriaSet.objects.filter(pk=small_set.pk).update(status=SetStatus.DRAFT))
    one.refresh_from_db()
    assert one.max_points == D(30)
    # Only its end date may be set, when a new version replaces it.
    CriteriaSet.objects.filter(pk=small_set.pk).update(effective_to=date(2027, 12, 31))


def test_a_new_version_is_a_draft_copy(open_round, small_set):
    open_round()
    copy = set_new_version(criteria_set=small_set)
    assert (copy.code, copy.version, copy.status) == ("thu", 2, SetStatus.DRAFT)
    assert [(c.code, c.parent.code if c.parent else "", c.max_points) for c in Tree.of(copy).nodes] == [
        (c.code, c.parent.code if c.parent else "", c.max_points) for c in Tree.of(small_set).nodes
    ]  # fmt: skip
    Criterion.objects.filter(criteria_set=copy, code="1.1").update(title="Sửa được")


def test_the_set_in_force_for_a_year(small_set, province):
    demo = example_set(province_code="33")
    assert set_in_force(province_id=province.pk, on=date(2026, 12, 31)) == small_set  # newest
    assert set_in_force(province_id=province.pk, on=date(2025, 12, 31)) == demo
    assert set_in_force(province_id=province.pk, on=date(2025, 1, 1)) is None
    assert set_in_force(province_id=province.pk, on=date(2025, 1, 1), code="hy-dvcq") == demo


def cells(data):
    book = load_workbook(BytesIO(data))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def with_version(data, version):
    book = load_workbook(BytesIO(data))
    sheet = book["Bộ tiêu chí"]
    for row in sheet.iter_rows():
        if row[0].value == "Phiên bản":
            row[1].value = version
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_export_then_import_gives_the_same_set():
    demo = example_set(province_code="33")
    exported = set_export(demo)
    imported = set_import(with_version(exported, 7))
    assert (imported.code, imported.version, imported.status) == ("hy-dvcq", 7, SetStatus.DRAFT)
    assert set_problems(imported) == []
    again = cells(with_version(set_export(imported), 1))
    assert again == cells(exported)


def test_an_import_with_mistakes_says_where_and_saves_nothing():
    data = set_export(example_set(province_code="33"))
    book = load_workbook(BytesIO(with_version(data, 8)))
    sheet = book["Tiêu chí"]
    sheet["E3"] = "nhiều"  # 1.1's points
    sheet["H6"] = "khong_co"  # an unknown metric
    out = BytesIO()
    book.save(out)
    before = CriteriaSet.objects.count()
    with pytest.raises(SheetError) as error:
        set_import(out.getvalue())
    assert error.value.message == (
        "Tiêu chí 3: nhiều không phải là số. "
        "Tiêu chí 6: khong_co không thuộc các giá trị được dùng."
    )
    assert CriteriaSet.objects.count() == before


def edited(data, version, cells_by_sheet):
    book = load_workbook(BytesIO(with_version(data, version)))
    for sheet, edits in cells_by_sheet.items():
        for cell, value in edits.items():
            book[sheet][cell] = value
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_import_cleans_its_text_as_every_form_does():
    """Invisible formatting pasted into a cell is dropped and the text composed (NFC)."""
    data = edited(set_export(example_set(province_code="33")), 9, {
        "Tiêu chí": {"D3": "Ban ha\u0300nh\u202e kế hoạch\r\ntrong năm\u200b"},
        "Xếp loại": {"B2": "Xuất\u2066 sắc\nloại"},
    })  # fmt: skip
    imported = set_import(data)
    assert Criterion.objects.get(criteria_set=imported, code="1.1").title == (
        "Ban hành kế hoạch\ntrong năm"
    )
    assert TierBand.objects.get(criteria_set=imported, code="xuat-sac").label == "Xuất sắc loại"


def test_an_import_with_a_control_character_says_where_and_saves_nothing():
    data = edited(set_export(example_set(province_code="33")), 10,
                  {"Không đủ điều kiện": {"B2": "Người đứng đầu\x85 bị kỷ luật"}})  # fmt: skip
    before = CriteriaSet.objects.count()
    with pytest.raises(SheetError) as error:
        set_import(data)
    assert error.value.message == (
        "Không đủ điều kiện 2: Nội dung có một ký tự điều khiển ẩn (U+0085, ở ký tự thứ 15),"
        " không phải chữ gõ từ bàn phím. Vui lòng xóa ký tự đó rồi gửi lại."
    )
    assert CriteriaSet.objects.count() == before


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(SheetError) as error:
        set_import(b"not a workbook")
    assert error.value.message == "Tệp này không phải là sổ tính Excel (.xlsx)."


def test_the_administration_shows_a_frozen_set_read_only(client_as, open_round, small_set):
    open_round()
    client = client_as("administrator")
    url = reverse("admin:evaluation_criteriaset_change", args=[small_set.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="name"' not in page.content  # no input: read only
    response = client.post(url, {"name": "Đổi tên"})
    assert response.status_code == 403
    small_set.refresh_from_db()
    assert small_set.name == "Bộ tiêu chí thử"


def test_the_administration_builds_and_imports_a_set(client_as, province):
    client = client_as("administrator")
    assert client.get(reverse("admin:evaluation_criteriaset_add")).status_code == 200
    data = with_version(set_export(example_set(province_code="33")), 3)
    response = client.post(reverse("admin:evaluation_criteriaset_import"),
                           {"file": _upload(data)})  # fmt: skip
    imported = CriteriaSet.objects.get(code="hy-dvcq", version=3)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:evaluation_criteriaset_change", args=[imported.pk]
    )


def _upload(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bo-tieu-chi.xlsx", data)
