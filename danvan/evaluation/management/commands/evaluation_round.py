"""`manage.py evaluation_round --year YYYY [--set CODE]`: the year's ranking, best first,
one line per unit `rank=N unit=<code> score=<points> tier=<tier> flag=<nhat|nhi|ba|->`,
then `units=N`.

With a round for the year (the province's, or the one using the set CODE): its ranking,
final once approved, otherwise as its scores stand now (self-assessed, reviewed, computed).
Without one: a provisional ranking of every unit a round would score, from the computed
indicators alone (what the platform's data earns; the other lines count 0), with the set in
force on 31 December of the year, or the set CODE. Nothing is written either way.
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from danvan.evaluation.models import Round
from danvan.evaluation.rankings import provisional_ranking
from danvan.evaluation.results import Row, round_ranking
from danvan.evaluation.sets import set_in_force
from danvan.places.models import Unit


class Command(BaseCommand):
    help = "Print the ranking of a year's evaluation round (or a provisional one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--set", dest="code", help="the criteria set's code")

    def handle(self, *args: Any, **options: Any) -> None:
        year, code = options["year"], options["code"]
        province = Unit.objects.filter(
            level=Unit.Level.PROVINCE, code=settings.DANVAN_PROVINCE_CODE, valid_until__isnull=True
        ).first()
        if province is None:
            raise CommandError(f"no province has the code {settings.DANVAN_PROVINCE_CODE}")
        rounds = Round.objects.filter(province=province, year=year)
        if code:
            rounds = rounds.filter(criteria_set__code=code)
        round_ = rounds.select_related("criteria_set").first()
        if round_ is not None:
            rows = round_ranking(round_)
        else:
            criteria_set = set_in_force(province_id=province.pk, on=date(year, 12, 31), code=code)
            if criteria_set is None:
                raise CommandError("no criteria set in force for this province and year")
            rows = provisional_ranking(criteria_set=criteria_set, year=year)
        for row in rows:
            self.stdout.write(line(row))
        self.stdout.write(f"units={len(rows)}")


def line(row: Row) -> str:
    ranked = row.ranked
    return (
        f"rank={ranked.rank} unit={row.assessment.agency.code} score={ranked.total:.2f}"
        f" tier={ranked.tier or '-'} flag={ranked.flag or '-'}"
    )
