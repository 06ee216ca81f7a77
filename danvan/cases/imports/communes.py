"""Which commune in force a logbook means: a name or code in force, or a pre-2025 commune
("Minh Tân (Hưng Hà)" when the old name was used in several districts)."""

import difflib
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from danvan.core.text import fold, is_number
from danvan.places.models import Unit
from danvan.places.queries import communes_of, successors_in_force

from .cells import line
from .reading import Cell, Invalid, commune_and_district, commune_bare

Candidate = tuple[str, Unit]  # (label for the officer, the commune in force)


@dataclass(frozen=True)
class _OldCommune:
    unit: Unit  # a pre-2025 commune; its parent is its district
    successor: Unit  # its main successor in force

    @property
    def candidate(self) -> Candidate:
        district = self.unit.parent.name if self.unit.parent else ""
        return f"{self.unit.name} ({district}) → {self.successor.name}", self.successor

    def in_district(self, district: str) -> bool:
        parent = self.unit.parent
        return parent is not None and district in (parent.folded_name, fold(parent.name))


class Communes:
    """The province's communes in force, and its pre-2025 communes by their main successor."""

    def __init__(self, province: Unit) -> None:
        self.province = province
        in_force = list(communes_of(province=province))
        self._codes = {unit.code: unit for unit in in_force}
        self._names: dict[str, list[Unit]] = {}
        for unit in in_force:
            for name in dict.fromkeys((unit.folded_name, fold(unit.name))):
                self._names.setdefault(name, []).append(unit)
        self._old_names: dict[str, list[_OldCommune]] | None = None

    def resolve(self, cell: Cell) -> Unit:
        written = line(cell)
        if not written:
            raise Invalid(_("Write the commune or ward."))
        found = self._by_code(written.zfill(5)) if is_number(written) else self._by_name(written)
        units = {unit.pk: unit for _, unit in found}
        if len(units) == 1:
            return next(iter(units.values()))
        if units:
            message = _(
                "“{value}” may be any of: {candidates}. Add the old district in brackets, "
                "for example “Minh Tân (Hưng Hà)”, or write the code."
            )
            labels = "; ".join(label for label, _unit in found)
            raise Invalid(format_lazy(message, value=written, candidates=labels))
        raise Invalid(self._unknown(written))

    def _by_code(self, code: str) -> list[Candidate]:
        if unit := self._codes.get(code):
            return [(unit.name, unit)]
        olds = (o for group in self._old().values() for o in group if o.unit.code == code)
        return list(dict.fromkeys(o.candidate for o in olds))

    def _by_name(self, written: str) -> list[Candidate]:
        """A name in force first, unless an old district is named with an old commune."""
        name, district = commune_and_district(written)
        for key in dict.fromkeys((name, commune_bare(name))):
            old = self._old().get(key, [])
            in_district = [o.candidate for o in old if district and o.in_district(district)]
            in_force = [(unit.name, unit) for unit in self._names.get(key, [])]
            if found := in_district or in_force or [o.candidate for o in old]:
                return found
        return []

    def _unknown(self, written: str) -> str | Promise:
        name, _district = commune_and_district(written)
        known = [*self._names, *self._old()]
        close = difflib.get_close_matches(commune_bare(name), known, n=3, cutoff=0.8)
        labels = [label for key in close for label, _unit in self._by_name(key)]
        where = self.province.name
        if not labels:
            message = _("No commune or ward “{value}” in {province}.")
            return format_lazy(message, value=written, province=where)
        message = _("No commune or ward “{value}” in {province}. Did you mean: {candidates}?")
        return format_lazy(message, value=written, province=where, candidates="; ".join(labels))

    def _old(self) -> dict[str, list[_OldCommune]]:
        if self._old_names is None:  # loaded only when a name is not in force
            self._old_names = {}
            for old in _old_communes(self.province):
                for name in dict.fromkeys((old.unit.folded_name, fold(old.unit.name))):
                    self._old_names.setdefault(name, []).append(old)
        return self._old_names


def _old_communes(province: Unit) -> list[_OldCommune]:
    olds = list(
        Unit.objects.filter(
            level=Unit.Level.COMMUNE,
            valid_until__isnull=False,
            parent__parent__successions__successor=province,
        ).select_related("parent")
    )
    successors = successors_in_force(units=olds)
    return [
        _OldCommune(unit, found[0])
        for unit in olds
        if (found := successors[unit.pk]) and found[0].parent_id == province.pk
    ]
