"""The columns of a logbook file and the headers that name them (pure Python)."""

import re
from dataclasses import dataclass

from danvan.core.text import fold


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as the sample file writes it
    aliases: tuple[str, ...] = ()  # folded, besides the header and the field name
    required: bool = False


COLUMNS = (
    Column("received", "ngày nhận", ("ngay nhan don", "ngay tiep nhan", "ngay", "date"), True),
    Column("kind", "loại đơn", ("loai", "phan loai", "loai don thu", "type"), True),
    Column("subject", "tiêu đề", ("trich yeu", "title")),
    Column("content", "nội dung", ("noi dung don", "noi dung don thu"), True),
    Column("commune", "xã phường", ("xa", "phuong", "xa phuong dac khu", "dia ban", "ward"), True),
    Column("topic", "lĩnh vực", ()),
    Column("name", "họ tên", ("ho va ten", "nguoi gui", "ten nguoi gui", "full name")),
    Column("phone", "điện thoại", ("so dien thoai", "sdt", "dt", "mobile")),
    Column("email", "email", ("e mail", "thu dien tu")),
    Column("address", "địa chỉ", ("dia chi nguoi gui",)),
    Column("signers", "số người", ("so nguoi ky", "so nguoi ky ten", "people")),
    Column("reference", "số hiệu", ("so", "so den", "so don", "so vao so", "number", "ref")),
)


def header_key(written: str) -> str:
    """Folded, punctuation as spaces: "Xã/Phường" -> "xa phuong"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(written)).split())


HEADERS = {
    key: column
    for column in COLUMNS
    for key in (header_key(column.header), column.field, *column.aliases)
}
