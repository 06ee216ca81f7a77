"""Writes for places: loading the official unit lists, and agencies."""

from dataclasses import dataclass, field

from django.db import transaction

from danvan.core import refcache
from danvan.core.text import fold

from .models import Agency, Unit, UnitSuccession
from .source import Key, SuccessionRecord, UnitRecord, read_units

_UNIT_FIELDS = (
    "name", "short_name", "kind", "latitude", "longitude", "area_km2", "valid_from", "folded_name",
)  # fmt: skip


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    successions_created: int = 0
    successions_updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


def units_load() -> LoadReport:
    """Load or refresh every unit and succession; running it twice changes nothing."""
    units, successions = read_units()
    report = LoadReport()
    with transaction.atomic():
        ids = _upsert_units(units, report)
        _upsert_successions(successions, ids, report)
    return report


def _existing_units() -> dict[Key, Unit]:
    return {(u.level, u.code, u.valid_until): u for u in Unit.objects.all()}


def _upsert_units(records: list[UnitRecord], report: LoadReport) -> dict[Key, int]:
    existing = _existing_units()
    ids = {key: unit.pk for key, unit in existing.items()}
    # Parents first: provinces, then districts, then communes.
    for level in (Unit.Level.PROVINCE, Unit.Level.DISTRICT, Unit.Level.COMMUNE):
        to_create, to_update = [], []
        for rec in (r for r in records if r.level == level):
            wanted = _unit_from(rec, ids)
            current = existing.get(rec.key)
            if current is None:
                to_create.append(wanted)
            elif _differs(current, wanted):
                wanted.pk = current.pk
                to_update.append(wanted)
            else:
                report.unchanged += 1
        for unit in Unit.objects.bulk_create(to_create, batch_size=2000):
            ids[(unit.level, unit.code, unit.valid_until)] = unit.pk
        Unit.objects.bulk_update(to_update, [*_UNIT_FIELDS, "parent"], batch_size=2000)
        report.created += len(to_create)
        report.updated += len(to_update)
    refcache.changed()  # bulk writes send no signals
    return ids


def _unit_from(rec: UnitRecord, ids: dict[Key, int]) -> Unit:
    return Unit(
        level=rec.level,
        code=rec.code,
        name=rec.name,
        short_name=rec.short_name,
        kind=rec.kind,
        parent_id=ids[rec.parent] if rec.parent else None,
        latitude=rec.latitude,
        longitude=rec.longitude,
        area_km2=rec.area_km2,
        valid_from=rec.valid_from,
        valid_until=rec.valid_until,
        folded_name=fold(rec.short_name),
    )


def _differs(current: Unit, wanted: Unit) -> bool:
    if current.parent_id != wanted.parent_id:
        return True
    return any(getattr(current, f) != getattr(wanted, f) for f in _UNIT_FIELDS)


def _upsert_successions(
    records: list[SuccessionRecord], ids: dict[Key, int], report: LoadReport
) -> None:
    existing = {(s.predecessor_id, s.successor_id): s for s in UnitSuccession.objects.all()}
    to_create, to_update = [], []
    for rec in records:
        pair = (ids[rec.predecessor], ids[rec.successor])
        current = existing.get(pair)
        if current is None:
            to_create.append(
                UnitSuccession(
                    predecessor_id=pair[0], successor_id=pair[1], is_default=rec.is_default
                )
            )
        elif current.is_default != rec.is_default:
            current.is_default = rec.is_default
            to_update.append(current)
    UnitSuccession.objects.bulk_create(to_create, batch_size=2000)
    UnitSuccession.objects.bulk_update(to_update, ["is_default"], batch_size=2000)
    report.successions_created += len(to_create)
    report.successions_updated += len(to_update)


def peoples_committees_ensure(*, province: Unit) -> int:
    """Give the province and each of its communes in force a People's Committee.

    Returns how many were created; existing committees are left as they are, so an
    administrator's edits (address, phone) survive a rerun.
    """
    units = [province, *Unit.objects.filter(parent=province, valid_until__isnull=True)]
    have = set(
        Agency.objects.filter(type=Agency.Type.PEOPLES_COMMITTEE, home_unit__in=units).values_list(
            "home_unit_id", flat=True
        )
    )
    provincial = Agency.objects.filter(
        type=Agency.Type.PEOPLES_COMMITTEE, home_unit=province
    ).first()
    created = 0
    for unit in units:
        if unit.pk in have:
            continue
        with transaction.atomic():
            agency = Agency.objects.create(
                code=f"ubnd-{unit.level[0]}{unit.code}",
                name=f"Ủy ban nhân dân {unit.name}",
                short_name=f"UBND {unit.short_name}",
                type=Agency.Type.PEOPLES_COMMITTEE,
                parent=provincial if unit != province else None,
                home_unit=unit,
            )
            agency.served_units.add(unit)
        provincial = provincial or agency
        created += 1
    return created
