"""The default topic tree; administrators edit it afterwards."""

from django.db import migrations

TOPICS = [
    ("dat-dai", "Đất đai, giải phóng mặt bằng", None),
    ("boi-thuong", "Bồi thường, hỗ trợ, tái định cư", "dat-dai"),
    ("tranh-chap-dat", "Tranh chấp đất đai", "dat-dai"),
    ("giay-chung-nhan", "Cấp giấy chứng nhận quyền sử dụng đất", "dat-dai"),
    ("thu-tuc", "Thủ tục hành chính", None),
    ("trat-tu-do-thi", "Trật tự đô thị, xây dựng", None),
    ("lan-chiem", "Lấn chiếm vỉa hè, lòng đường", "trat-tu-do-thi"),
    ("xay-dung-trai-phep", "Xây dựng trái phép", "trat-tu-do-thi"),
    ("ha-tang", "Đường sá, chiếu sáng, thoát nước", None),
    ("moi-truong", "Môi trường", None),
    ("rac-thai", "Rác thải, vệ sinh môi trường", "moi-truong"),
    ("o-nhiem", "Ô nhiễm không khí, nước, tiếng ồn", "moi-truong"),
    ("chinh-sach-xa-hoi", "Chính sách xã hội", None),
    ("y-te", "Y tế", None),
    ("giao-duc", "Giáo dục", None),
    ("an-ninh-trat-tu", "An ninh, trật tự", None),
    ("can-bo", "Thái độ, tác phong, vi phạm của cán bộ", None),
    ("khac", "Khác", None),
]


def create(apps, schema_editor):
    Topic = apps.get_model("cases", "Topic")
    db = schema_editor.connection.alias
    by_code = {}
    for position, (code, name, parent) in enumerate(TOPICS):
        topic, _ = Topic.objects.using(db).get_or_create(
            code=code, defaults={"name": name, "parent": by_code.get(parent), "position": position}
        )
        by_code[code] = topic


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
