"""Default keyword rules (cold start of the suggestions); administrators edit them."""

from django.db import migrations

TOPICS = {
    "boi-thuong": ["bồi thường", "hỗ trợ tái định cư", "tái định cư", "đơn giá bồi thường",
                   "giải phóng mặt bằng", "thu hồi đất"],
    "tranh-chap-dat": ["tranh chấp đất", "lấn ranh", "ranh giới thửa", "chồng lấn"],
    "giay-chung-nhan": ["giấy chứng nhận", "sổ đỏ", "cấp sổ", "quyền sử dụng đất"],
    "thu-tuc": ["thủ tục", "hồ sơ", "một cửa", "giấy xác nhận", "chứng thực", "hộ tịch"],
    "lan-chiem": ["lấn chiếm", "vỉa hè", "lòng đường", "bày hàng"],
    "xay-dung-trai-phep": ["xây dựng trái phép", "xây không phép", "xây dựng sai phép",
                           "công trình trái phép"],
    "ha-tang": ["đèn đường", "chiếu sáng", "ổ gà", "mặt đường", "thoát nước", "cống",
                "mương", "ngập úng"],
    "rac-thai": ["rác", "thu gom rác", "vệ sinh môi trường", "bãi rác"],
    "o-nhiem": ["ô nhiễm", "tiếng ồn", "khói bụi", "bụi", "nước thải", "mùi hôi"],
    "chinh-sach-xa-hoi": ["hộ nghèo", "cận nghèo", "trợ cấp", "người có công", "bảo trợ xã hội",
                          "thương binh"],
    "y-te": ["trạm y tế", "bệnh viện", "bảo hiểm y tế", "thuốc", "khám chữa bệnh"],
    "giao-duc": ["trường học", "học sinh", "giáo viên", "bán trú", "học phí"],
    "an-ninh-trat-tu": ["trộm cắp", "đánh nhau", "đua xe", "ma túy", "cờ bạc", "an ninh"],
    "can-bo": ["cán bộ", "thái độ", "nhũng nhiễu", "nhận tiền", "hối lộ", "tác phong"],
}  # fmt: skip
KINDS = {
    "complaint": ["khiếu nại", "đề nghị hủy quyết định", "không đồng ý với quyết định"],
    "denunciation": ["tố cáo", "tố giác", "vi phạm pháp luật của"],
    "petition": ["kiến nghị", "đề nghị", "đề xuất"],
    "feedback": ["phản ánh", "thông tin về", "báo tin"],
}


def create(apps, schema_editor):
    Topic = apps.get_model("cases", "Topic")
    KeywordRule = apps.get_model("cases", "KeywordRule")
    db = schema_editor.connection.alias
    for code, words in TOPICS.items():
        topic = Topic.objects.using(db).filter(code=code).first()
        if topic:
            KeywordRule.objects.using(db).create(topic=topic, keywords="\n".join(words))
    for kind, words in KINDS.items():
        KeywordRule.objects.using(db).create(kind=kind, keywords="\n".join(words))


def remove(apps, schema_editor):
    apps.get_model("cases", "KeywordRule").objects.using(schema_editor.connection.alias).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_suggestions")]
    operations = [migrations.RunPython(create, remove)]
