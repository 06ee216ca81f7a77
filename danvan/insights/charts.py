"""Bar charts drawn on the server as SVG: no JavaScript, no library, any browser. The page
puts a table with the same numbers beside each chart (for screen readers and printing)."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 640
BAR_AREA = 180  # height of the bars' area
LABEL_SPACE = 40
LEFT = 40


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    label: str
    value: str
    href: str
    text_x: int
    text_y: int


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    baseline: int  # y of the axis
    top_label: str  # the value the highest bar stands for


def column_chart(
    title: str,
    items: Sequence[tuple[str, Decimal | int | None, str]],
    *,
    fixed_max: int | None = None,
) -> Chart:
    """Vertical bars, one per (label, value, link); None draws no bar."""
    values = [float(v) for _, v, _ in items if v is not None]
    top = fixed_max or max(values or [0]) or 1
    step = (WIDTH - LEFT) // max(len(items), 1)
    width = max(step - 4, 2)
    bars = []
    for n, (label, value, href) in enumerate(items):
        height = round(BAR_AREA * float(value or 0) / top)
        x = LEFT + n * step + 2
        bars.append(Bar(x=x, y=10 + BAR_AREA - height, width=width, height=height,
                        label=label, value="" if value is None else str(value), href=href,
                        text_x=x + width // 2, text_y=10 + BAR_AREA + 16))  # fmt: skip
    return Chart(title=title, bars=bars, width=WIDTH, height=10 + BAR_AREA + LABEL_SPACE,
                 baseline=10 + BAR_AREA, top_label=_short(top))  # fmt: skip


def _short(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"
