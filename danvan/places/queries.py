"""Reads for places: units in force, and resolving an old unit to today's."""

from datetime import date

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from danvan.core.refcache import reference
from danvan.core.text import fold

from .models import Agency, Unit, UnitSuccession


def today() -> date:
    return timezone.localdate()


def units_in_force(*, on: date | None = None) -> QuerySet[Unit]:
    day = on or today()
    return Unit.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_until__isnull=True) | Q(valid_until__gt=day),
    )


def unit_counts_in_force(*, on: date | None = None) -> dict[str, int]:
    units = units_in_force(on=on)
    return {
        "provinces": units.filter(level=Unit.Level.PROVINCE).count(),
        "communes": units.filter(level=Unit.Level.COMMUNE).count(),
    }


def unit_by_code(*, code: str, level: str, as_of: date | None = None) -> Unit | None:
    """The unit that carried `code` on `as_of` (today when not given)."""
    return units_in_force(on=as_of).filter(level=level, code=code).first()


def successors_in_force(*, units: list[Unit], on: date | None = None) -> dict[int, list[Unit]]:
    """For each unit, the unit(s) in force on `on` that took it over, main successor first.

    One query per generation of successions, whatever the number of units.
    """
    day = on or today()
    result: dict[int, list[Unit]] = {u.pk: [] for u in units}
    # (origin unit, unit reached, reached only through main successors?)
    frontier = [(u.pk, u, True) for u in units]
    seen = {(u.pk, u.pk) for u in units}
    while frontier:
        for origin, unit, main in frontier:
            if unit.in_force_on(day):
                result[origin].insert(0 if main else len(result[origin]), unit)
        pending = [(o, u, m) for o, u, m in frontier if not u.in_force_on(day)]
        links = UnitSuccession.objects.filter(predecessor__in=[u.pk for _, u, _ in pending])
        by_predecessor: dict[int, list[UnitSuccession]] = {}
        for link in links.select_related("successor").order_by("-is_default", "successor__code"):
            by_predecessor.setdefault(link.predecessor_id, []).append(link)
        frontier = []
        for origin, unit, main in pending:
            for link in by_predecessor.get(unit.pk, []):
                if (origin, link.successor_id) not in seen:
                    seen.add((origin, link.successor_id))
                    frontier.append((origin, link.successor, main and link.is_default))
    return result


def unit_successors(*, unit: Unit, on: date | None = None) -> list[Unit]:
    """The unit(s) in force on `on` that took over `unit`, main successor first."""
    return successors_in_force(units=[unit], on=on)[unit.pk]


def unit_resolve(*, code: str, level: str, as_of: date | None = None) -> list[Unit]:
    """Today's unit(s) for a code written in an address that was valid on `as_of`."""
    unit = unit_by_code(code=code, level=level, as_of=as_of)
    return unit_successors(unit=unit) if unit else []


def communes_of(*, province: Unit) -> QuerySet[Unit]:
    return units_in_force().filter(parent=province, level=Unit.Level.COMMUNE).order_by("name")


def served_communes() -> QuerySet[Unit]:
    """The communes and wards in force of the province this installation serves
    (`DANVAN_PROVINCE_CODE`), by name: the choices of every form and API that files a letter."""
    return Unit.objects.filter(
        level=Unit.Level.COMMUNE,
        valid_until__isnull=True,
        parent__code=settings.DANVAN_PROVINCE_CODE,
        parent__valid_until__isnull=True,
    ).order_by("name")


@reference(Unit)
def served_commune_list() -> list[Unit]:
    """`served_communes()` kept in memory (danvan.core.refcache) for every letter filed."""
    return list(served_communes())


def agencies_serving(*, unit: Unit) -> QuerySet[Agency]:
    """Agencies whose jurisdiction covers `unit`, directly or through its parent."""
    units = [unit.pk] + ([unit.parent_id] if unit.parent_id else [])
    return Agency.objects.filter(is_active=True, served_units__in=units).distinct()


def unit_search(*, text: str, limit: int = 20) -> list[Unit]:
    """Units whose name contains `text`, accents optional; units in force first."""
    needle = fold(text)
    if len(needle) < 2:
        return []
    found = (
        Unit.objects.filter(folded_name__contains=needle)
        .exclude(level=Unit.Level.DISTRICT)
        .select_related("parent")
        .order_by(F("valid_until").asc(nulls_first=True), "level", "name")  # NULL: in force
    )
    return list(found[:limit])
