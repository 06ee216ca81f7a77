"""Reading the official unit lists shipped in the `vietnamadminunits` package (MIT).

The package carries the 34-province / 3,321-commune list in force since 1 July 2025,
the 63-province list before it, and the old-to-new commune mapping. Only its data files
are used: its converter geocodes over the network, which a closed government network
cannot do.
"""

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from typing import Any

from danvan.core.text import fold

from .models import REFORM_DATE

Key = tuple[str, str, date | None]  # (level, code, valid_until): a unit's identity over time


@dataclass(frozen=True)
class UnitRecord:
    level: str
    code: str
    name: str
    short_name: str
    kind: str
    parent: Key | None
    latitude: float | None
    longitude: float | None
    area_km2: float | None
    valid_from: date | None
    valid_until: date | None

    @property
    def key(self) -> Key:
        return (self.level, self.code, self.valid_until)


@dataclass(frozen=True)
class SuccessionRecord:
    predecessor: Key
    successor: Key
    is_default: bool


def _data_path(name: str) -> Any:
    return files("vietnamadminunits") / "data" / name


def _rows(table: str) -> list[dict[str, Any]]:
    with sqlite3.connect(str(_data_path("dataset.db"))) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(f"SELECT * FROM [{table}]")]  # noqa: S608


def _key(text: str) -> str:
    # The package's lookup keys are folded names without spaces; one or two carry stray
    # diacritics, which folding removes.
    return fold(text).replace(" ", "")


def _province_kind(name: str) -> str:
    return "Thành phố" if name.startswith("Thành phố") else "Tỉnh"


def _current_units(rows: list[dict[str, Any]]) -> Iterator[UnitRecord]:
    seen: set[str] = set()
    for r in rows:
        if r["provinceCode"] not in seen:
            seen.add(r["provinceCode"])
            yield UnitRecord(
                "province", r["provinceCode"], r["province"], r["provinceShort"],
                _province_kind(r["province"]), None, r["provinceLat"], r["provinceLon"],
                None, REFORM_DATE, None,
            )  # fmt: skip
    for r in rows:
        yield UnitRecord(
            "commune", r["wardCode"], r["ward"], r["wardShort"], r["wardType"],
            ("province", r["provinceCode"], None), r["wardLat"], r["wardLon"],
            r["wardAreaKm2"], REFORM_DATE, None,
        )  # fmt: skip


def _legacy_units(rows: list[dict[str, Any]]) -> Iterator[UnitRecord]:
    end = REFORM_DATE
    seen: set[tuple[str, str]] = set()
    for r in rows:
        if ("province", r["provinceCode"]) not in seen:
            seen.add(("province", r["provinceCode"]))
            yield UnitRecord(
                "province", r["provinceCode"], r["province"], r["provinceShort"],
                _province_kind(r["province"]), None, r["provinceLat"], r["provinceLon"],
                None, None, end,
            )  # fmt: skip
        if ("district", r["districtCode"]) not in seen:
            seen.add(("district", r["districtCode"]))
            yield UnitRecord(
                "district", r["districtCode"], r["district"], r["districtShort"],
                r["districtType"], ("province", r["provinceCode"], end), r["districtLat"],
                r["districtLon"], None, None, end,
            )  # fmt: skip
        if r["wardCode"]:  # island districts had no communes under them
            yield UnitRecord(
                "commune", r["wardCode"], r["ward"], r["wardShort"], r["wardType"],
                ("district", r["districtCode"], end), r["wardLat"], r["wardLon"],
                None, None, end,
            )  # fmt: skip


def read_units() -> tuple[list[UnitRecord], list[SuccessionRecord]]:
    """All units, old and new, and the successions between them."""
    current_rows, legacy_rows = _rows("admin_units"), _rows("admin_units_legacy")
    units = [*_current_units(current_rows), *_legacy_units(legacy_rows)]
    return units, _successions(current_rows, legacy_rows)


def _successions(
    current_rows: list[dict[str, Any]], legacy_rows: list[dict[str, Any]]
) -> list[SuccessionRecord]:
    mapping = json.loads(_data_path("converter_2025.json").read_text(encoding="utf-8"))
    end = REFORM_DATE
    new_province = {_key(r["provinceKey"]): r["provinceCode"] for r in current_rows}
    new_commune = {
        (_key(r["provinceKey"]), _key(r["wardKey"])): r["wardCode"] for r in current_rows
    }
    old_province = {_key(r["provinceKey"]): r["provinceCode"] for r in legacy_rows}
    old_unit: dict[str, Key] = {}
    for r in legacy_rows:
        old_key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        level, code = (
            ("commune", r["wardCode"]) if r["wardCode"] else ("district", r["districtCode"])
        )
        old_unit[old_key] = (level, code, end)

    links: dict[tuple[Key, Key], bool] = {}
    for new_key, old_keys in mapping["DICT_PROVINCE"].items():
        for old_key in old_keys:
            pair: tuple[Key, Key] = (
                ("province", old_province[_key(old_key)], end),
                ("province", new_province[_key(new_key)], None),
            )
            links[pair] = True
    for prov_key, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            successor: Key = ("commune", new_commune[(_key(prov_key), _key(ward_key))], None)
            for old_key in old_keys:
                links[(old_unit[old_key], successor)] = True
    for prov_key, divided in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in divided.items():
            for part in parts:
                successor = (
                    "commune",
                    new_commune[(_key(prov_key), _key(part["newWardKey"]))],
                    None,
                )
                pair = (old_unit[old_key], successor)
                links[pair] = links.get(pair, False) or bool(part["isDefaultNewWard"])
    return [SuccessionRecord(p, s, d) for (p, s), d in links.items()]
