"""Phone numbers as Vietnamese people write them: 0987 654 321, not +84987654321.

Numbers are stored in E.164 form (+84 and the subscriber digits); every page, document and
export read by a person shows the national form instead, through `national` (the template
filter `national_phone` in `phones`).
"""

import re

_E164_VN = re.compile(r"\A\+84(\d{9,10})\Z")


def national(number: str | None) -> str:
    """'+84987654321' -> '0987 654 321'; '+842438251234' (a landline) -> '024 3825 1234'.

    Anything else (a foreign number, a number typed by hand and kept as typed) is shown
    as it is: better an odd number than a wrong one.
    """
    if not number:
        return ""
    found = _E164_VN.match(number.strip())
    if found is None:
        return number
    local = "0" + found.group(1)
    if len(local) == 10:  # mobile: 0987 654 321
        return f"{local[:4]} {local[4:7]} {local[7:]}"
    return f"{local[:3]} {local[3:7]} {local[7:]}"  # landline: 024 3825 1234
