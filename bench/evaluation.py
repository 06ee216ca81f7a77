"""Evaluation at scale: every metric of a round for every unit, for a year, on N letters.

    python -m bench evaluation [--count N] [--fresh] [--repeat R]

Uses the cases benchmark's file (`var/bench/cases-<N>.sqlite3`, seeded by `bench.cases`
the same way when missing: a third of the letters with one commune, the rest spread over
the province's 104 communes and its agencies) and writes nothing to it: what needs writing
(opening a round) runs in a transaction rolled back. Prints one `name=value` a line:

- round_metrics_s: every metric of every unit a round scores (112 in Hưng Yên) for this
  year, the figure the issue's target (< 5 s at 1,000,000 letters) is about;
- round_metrics_past_year_s: the same for last year (its overdue letters read from the
  case history at the year's end);
- round_open_s: opening this year's round with the demo set (figures stored), rolled back;
- provisional_ranking_s: `evaluation_round` without a round (metrics, points, ranking).

Each is the best of R runs (the first run also reads the file into the cache).
"""

import argparse
import time
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from bench.common import cases_file

if TYPE_CHECKING:
    from danvan.evaluation.models import CriteriaSet


DEFAULT_COUNT = 100_000
TARGET_S = 5.0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench evaluation", description=__doc__)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="cases to seed")
    parser.add_argument("--fresh", action="store_true", help="reseed even if a file exists")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best kept)")
    args = parser.parse_args(argv)
    if args.count < 1 or args.repeat < 1:
        parser.error("--count and --repeat must be positive")
    cases_file(args.count, fresh=args.fresh)
    figures = _measure(args.repeat)
    for name, value in figures.items():
        print(f"{name}={value:.2f}", flush=True)
    verdict = "met" if figures["round_metrics_s"] < TARGET_S else "missed"
    print(f"round_metrics_target={verdict}")
    return 0


def _best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def _measure(repeat: int) -> dict[str, float]:
    """Everything in one transaction, rolled back: the file keeps only its letters."""
    from django.db import transaction

    figures: dict[str, float] = {}
    try:
        with transaction.atomic():
            figures = _figures(repeat)
            raise _RolledBack
    except _RolledBack:
        pass
    return figures


def _figures(repeat: int) -> dict[str, float]:
    from django.utils import timezone

    from danvan.demo.evaluation import demo_criteria_set
    from danvan.evaluation.metrics import metrics_for
    from danvan.evaluation.rankings import provisional_ranking
    from danvan.evaluation.units import round_candidates

    criteria_set = demo_criteria_set()
    year = timezone.localdate().year
    units = [a.pk for a in round_candidates(province_id=criteria_set.province_id)]
    print(f"units={len(units)}", flush=True)

    def metrics(y: int) -> Callable[[], object]:
        return lambda: metrics_for(agency_ids=units, start=date(y, 1, 1), end=date(y, 12, 31))

    return {
        "round_metrics_s": _best(metrics(year), repeat),
        "round_metrics_past_year_s": _best(metrics(year - 1), repeat),
        "round_open_s": _best(lambda: _open_and_roll_back(criteria_set, year), 1),
        "provisional_ranking_s": _best(
            lambda: provisional_ranking(criteria_set=criteria_set, year=year), repeat
        ),
    }


class _RolledBack(Exception):
    pass


def _open_and_roll_back(criteria_set: "CriteriaSet", year: int) -> None:
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from danvan.accounts.models import User
    from danvan.evaluation.services import RoundPlan, round_open
    from danvan.evaluation.units import round_candidates
    from danvan.rulebook.store import current_calendar

    calendar = current_calendar()
    due = calendar.next_working_day(timezone.localdate() + timedelta(days=14))
    plan = RoundPlan(
        year=year,
        criteria_set=criteria_set,
        agencies=round_candidates(province_id=criteria_set.province_id),
        self_due=due,
        review_due=calendar.next_working_day(due + timedelta(days=14)),
    )
    try:
        with transaction.atomic():
            round_open(plan=plan, by=User.objects.get(email="danvan@demo.danvan.vn"))
            raise _RolledBack
    except _RolledBack:
        pass
