"""Vietnamese text for seeded letters: sentences of real news (VNTC) when the corpus is there.

The corpus is read where it lies (/work/shared/data/vntc, or DANVAN_VNTC); nothing is copied
into the repository. Without it, a few built-in sentences stand in.
"""

import gzip
import json
import os
import random
import re
from pathlib import Path

VNTC = Path(os.environ.get("DANVAN_VNTC", "/work/shared/data/vntc/vntc10_train.jsonl.gz"))
FALLBACK = [
    "Rác thải sinh hoạt không được thu gom nhiều ngày, bốc mùi hôi thối ảnh hưởng đến người dân.",
    "Đề nghị chính quyền xem xét việc cấp giấy chứng nhận quyền sử dụng đất cho gia đình tôi.",
    "Đoạn đường liên thôn xuống cấp nghiêm trọng, nhiều ổ gà gây nguy hiểm cho người đi đường.",
    "Một số hộ kinh doanh lấn chiếm vỉa hè, lòng đường để bày bán hàng hóa.",
    "Gia đình tôi chưa nhận được tiền bồi thường khi nhà nước thu hồi đất làm dự án.",
    "Công trình xây dựng không phép gây nứt tường nhà liền kề, đề nghị kiểm tra xử lý.",
    "Cán bộ tiếp nhận hồ sơ có thái độ không đúng mực, gây khó khăn cho người dân.",
    "Tiếng ồn từ xưởng sản xuất kéo dài đến đêm khuya, ảnh hưởng đến sinh hoạt của khu dân cư.",
]
OPENERS = {
    "feedback": ["Phản ánh", "Phản ánh việc", "Ý kiến về"],
    "petition": ["Kiến nghị", "Đề nghị xem xét", "Kiến nghị giải quyết"],
    "complaint": ["Khiếu nại", "Khiếu nại quyết định về", "Đơn khiếu nại về"],
    "denunciation": ["Tố cáo", "Tố cáo hành vi", "Đơn tố cáo về"],
}
_SPLIT = re.compile(r"(?<=[.!?])\s+|(?<=[.!?])(?=[A-ZĐÀ-Ỹ])")


def sentences(*, limit: int = 40_000, seed: int = 1) -> list[str]:
    """Up to `limit` sentences of 40 to 300 characters, drawn across the corpus."""
    if not VNTC.exists():
        return list(FALLBACK)
    rng = random.Random(seed)
    pool: list[str] = []
    opened = gzip.open if VNTC.suffix == ".gz" else open  # the tests' small sample is plain
    with opened(VNTC, "rt", encoding="utf-8") as lines:
        for line in lines:
            if rng.random() > 0.15:  # every topic of the corpus, not only the first
                continue
            text = str(json.loads(line).get("text", ""))
            pool.extend(s.strip() for s in _SPLIT.split(text) if 40 <= len(s.strip()) <= 300)
            if len(pool) >= limit:
                break
    return pool or list(FALLBACK)


def title(rng: random.Random, pool: list[str], kind: str) -> str:
    words = rng.choice(pool).split()[: rng.randint(6, 16)]
    text = " ".join(words).rstrip(".,;:")
    return f"{rng.choice(OPENERS[kind])} {text[:1].lower()}{text[1:]}"[:200]


def content(rng: random.Random, pool: list[str]) -> str:
    return " ".join(rng.choices(pool, k=rng.randint(2, 5)))
