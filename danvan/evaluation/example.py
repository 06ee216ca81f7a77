"""The example criteria set a province starts from (Hưng Yên style), flagged to be replaced.

It follows the groups that recur in the provinces' sets (LEGAL_RULES section 8) and the
scope of Hưng Yên's QĐ 04/2025/QĐ-UBND (dân vận chính quyền, and government serving citizens
and businesses): 10 criteria on 100 points, bonus up to 5, penalties, five tiers. Its points
per criterion are ours, not the decision's (whose body was not retrieved): it is flagged as
an example, for the province to replace with its own (in the administration, or by editing
its spreadsheet export and importing it back).
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from danvan.places.models import Unit

from .models import CriteriaSet, Criterion, Disqualifier, SetStatus, TierBand

SET_CODE = "hy-dvcq"
SET_NAME = (
    "Bộ tiêu chí đánh giá, xếp loại kết quả thực hiện công tác dân vận chính quyền "
    "(ví dụ theo mô hình Quyết định 04/2025/QĐ-UBND tỉnh Hưng Yên)"
)
R, C = "reviewer", "computed"
# (code, parent, kind, title, points, evidence, scored by, metric, rule, zero, full, steps)
ROWS: list[tuple[str, str, str, str, int, str, str, str, str, int | None, float | None, str]] = [
    ("1", "", "criterion", "Lãnh đạo, chỉ đạo, triển khai công tác dân vận chính quyền", 10, "", R, "", "", None, None, ""),
    ("1.1", "1", "criterion", "Ban hành kế hoạch thực hiện công tác dân vận chính quyền trong năm", 5, "Kế hoạch đã ban hành", R, "", "", None, None, ""),
    ("1.2", "1", "criterion", "Sơ kết, tổng kết, kiểm tra việc thực hiện", 5, "Báo cáo sơ kết, tổng kết", R, "", "", None, None, ""),
    ("2", "", "criterion", "Tiếp công dân", 12, "", R, "", "", None, None, ""),
    ("2.1", "2", "criterion", "Người đứng đầu tiếp công dân định kỳ đủ số ngày luật định", 8, "", C, "reception_days_held_pct", "linear", 50, 100, ""),
    ("2.2", "2", "criterion", "Bố trí nơi tiếp công dân, niêm yết lịch và nội quy tiếp công dân", 4, "Ảnh chụp, đường dẫn lịch tiếp công dân", R, "", "", None, None, ""),
    ("3", "", "criterion", "Giải quyết kiến nghị, phản ánh, khiếu nại, tố cáo", 20, "", R, "", "", None, None, ""),
    ("3.1", "3", "criterion", "Trả lời, giải quyết đơn trong thời hạn luật định", 17, "", R, "", "", None, None, ""),
    ("3.1.a", "3.1", "criterion", "Tỷ lệ đơn được trả lời đúng hạn", 10, "", C, "letters_answered_on_time_pct", "linear", 50, 100, ""),
    ("3.1.b", "3.1", "criterion", "Đơn quá hạn còn tồn cuối kỳ", 4, "", C, "overdue_open", "thresholds", None, None, "<=0:4; <=2:3; <=5:2; <=10:1"),
    ("3.1.c", "3.1", "criterion", "Khiếu nại được thụ lý đúng hạn", 3, "", C, "complaints_accepted_on_time_pct", "thresholds", None, None, ">=100:3; >=90:2; >=80:1"),
    ("3.2", "3", "criterion", "Sự hài lòng của người dân", 3, "", R, "", "", None, None, ""),
    ("3.2.a", "3.2", "criterion", "Điểm hài lòng bình quân của người dân với câu trả lời", 3, "", C, "rating_avg", "linear", 2, 4.5, ""),
    ("4", "", "criterion", "Đối thoại với Nhân dân và thực hiện cam kết", 10, "", R, "", "", None, None, ""),
    ("4.1", "4", "criterion", "Tổ chức hội nghị đối thoại với Nhân dân", 4, "", C, "dialogues_held", "thresholds", None, None, ">=2:4; >=1:2"),
    ("4.2", "4", "criterion", "Thực hiện đúng hạn các nội dung đã cam kết tại hội nghị đối thoại", 6, "", C, "commitments_closed_on_time_pct", "linear", 50, 100, ""),
    ("5", "", "criterion", "Thực hiện dân chủ ở cơ sở (Luật Thực hiện dân chủ ở cơ sở năm 2022)", 10, "", R, "", "", None, None, ""),
    ("5.1", "5", "criterion", "Công khai thông tin theo quy định", 5, "Danh mục, hình thức và thời gian công khai", R, "", "", None, None, ""),
    ("5.2", "5", "criterion", "Tổ chức để Nhân dân bàn, quyết định, kiểm tra, giám sát", 5, "Biên bản hội nghị, kết quả biểu quyết", R, "", "", None, None, ""),
    ("6", "", "criterion", "Cải cách hành chính, chính quyền phục vụ người dân và doanh nghiệp", 10, "", R, "", "", None, None, ""),
    ("6.1", "6", "criterion", "Hồ sơ thủ tục hành chính được giải quyết đúng hạn", 6, "Báo cáo của bộ phận một cửa", R, "", "", None, None, ""),
    ("6.2", "6", "criterion", "Cung cấp dịch vụ công trực tuyến, tiếp nhận phản ánh qua nền tảng số", 4, "", R, "", "", None, None, ""),
    ("7", "", "criterion", "Phối hợp với Mặt trận Tổ quốc và các tổ chức chính trị - xã hội", 8, "", R, "", "", None, None, ""),
    ("7.1", "7", "criterion", "Thực hiện quy chế phối hợp; tạo điều kiện để Mặt trận giám sát, phản biện", 8, "Quy chế phối hợp, kết quả giám sát", R, "", "", None, None, ""),
    ("8", "", "criterion", "Phong trào thi đua \"Dân vận khéo\"", 8, "", R, "", "", None, None, ""),
    ("8.1", "8", "criterion", "Đăng ký, xây dựng và nhân rộng mô hình \"Dân vận khéo\"", 8, "Danh sách mô hình được công nhận", R, "", "", None, None, ""),
    ("9", "", "criterion", "Văn hóa công vụ, xây dựng cơ quan văn hóa, công sở văn minh", 6, "", R, "", "", None, None, ""),
    ("9.1", "9", "criterion", "Thái độ, tác phong của cán bộ, công chức khi tiếp xúc với Nhân dân", 6, "", R, "", "", None, None, ""),
    ("10", "", "criterion", "Chế độ thông tin, báo cáo", 6, "", R, "", "", None, None, ""),
    ("10.1", "10", "criterion", "Báo cáo công tác dân vận chính quyền đầy đủ, đúng hạn", 6, "Các báo cáo đã gửi", R, "", "", None, None, ""),
    ("T1", "", "bonus", "Mô hình \"Dân vận khéo\" được công nhận cấp tỉnh", 3, "Quyết định công nhận", R, "", "", None, None, ""),
    ("T2", "", "bonus", "Được khen thưởng về công tác dân vận chính quyền", 2, "Quyết định khen thưởng", R, "", "", None, None, ""),
    ("T3", "", "bonus", "Sáng kiến cải cách hành chính được công nhận", 2, "Quyết định công nhận sáng kiến", R, "", "", None, None, ""),
    ("D1", "", "penalty", "Để xảy ra khiếu nại đông người, vượt cấp kéo dài", 5, "", R, "", "", None, None, ""),
    ("D2", "", "penalty", "Cán bộ, công chức bị kỷ luật do vi phạm trong quan hệ với Nhân dân", 3, "", R, "", "", None, None, ""),
    ("D3", "", "penalty", "Gửi báo cáo tự đánh giá chậm so với thời hạn", 2, "", R, "", "", None, None, ""),
]  # fmt: skip
BANDS = [("xuat-sac", "Hoàn thành xuất sắc", 90), ("tot", "Tốt", 80), ("kha", "Khá", 65),
         ("trung-binh", "Trung bình", 50), ("yeu", "Yếu", 0)]  # fmt: skip
DISQUALIFIERS = [
    ("k1", "Người đứng đầu bị kỷ luật trong năm đánh giá"),
    ("k2", "Để xảy ra điểm nóng về an ninh, trật tự do khiếu kiện đông người"),
    ("k3", "Không gửi báo cáo tự đánh giá"),
]


def example_set(*, province_code: str) -> CriteriaSet:
    """The example set for the province, created once (a rerun finds it)."""
    found = CriteriaSet.objects.filter(code=SET_CODE).order_by("version").first()
    if found is not None:
        return found
    province = Unit.objects.get(level=Unit.Level.PROVINCE, code=province_code,
                                valid_until__isnull=True)  # fmt: skip
    with transaction.atomic():
        criteria_set = CriteriaSet.objects.create(
            province=province, code=SET_CODE, name=SET_NAME, is_example=True,
            legal_basis="Quyết định 04/2025/QĐ-UBND (ví dụ, cần thay bằng văn bản của tỉnh)",
            effective_from=date(2025, 2, 15), status=SetStatus.IN_FORCE, bonus_cap=Decimal(5),
            flag_tier="xuat-sac", flag_count=3, tie_break="fewer_penalty, higher_computed, code",
        )  # fmt: skip
        TierBand.objects.bulk_create(TierBand(criteria_set=criteria_set, code=code, label=label,
                                              min_score=Decimal(floor))
                                     for code, label, floor in BANDS)  # fmt: skip
        Disqualifier.objects.bulk_create(Disqualifier(criteria_set=criteria_set, code=code,
                                                      title=title)
                                         for code, title in DISQUALIFIERS)  # fmt: skip
        _criteria(criteria_set)
    return criteria_set


def _criteria(criteria_set: CriteriaSet) -> None:
    made: dict[str, Criterion] = {}
    for n, (code, parent, kind, title, points, evidence, by, metric, rule, zero, full,
            steps) in enumerate(ROWS):  # fmt: skip
        made[code] = Criterion.objects.create(
            criteria_set=criteria_set, parent=made.get(parent), kind=kind, position=n,
            code=code, title=title, max_points=Decimal(points), evidence=evidence, scored_by=by,
            metric=metric, mapping=rule, thresholds=steps,
            zero_at=None if zero is None else Decimal(str(zero)),
            full_at=None if full is None else Decimal(str(full)),
        )  # fmt: skip
