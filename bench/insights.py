"""Insights at scale: the province overview, the letters behind its figures, the metrics of
a round and the yearly report, on N letters.

    python -m bench insights [--count N] [--fresh] [--requests R]

Uses the cases benchmark's file (`var/bench/cases-<N>.sqlite3`, seeded by `bench.cases`
when missing: a third of the letters with one commune, a fifth with the 20-odd provincial
agencies, the rest over the province's 104 communes; three years of letters) and
rebuilds the insights roll-up in it. Prints one `name=value` a line:

- rollup_s: rebuilding the roll-up from every letter (`refresh_insights`, scheduled);
- overview_p95_ms: the overview page as the supervisor opens it (view and template), over
  R requests with varied periods (year, half, quarter, month; this year and last), kinds,
  communes and topics;
- drilldown_p95_ms: the page of letters behind a figure, over R requests: received, open
  and overdue letters of agencies (the largest among them) and communes, first pages and
  next pages;
- round_metrics_s: every metric of a round's units for this year (as `bench evaluation`);
- report_xlsx_s: the yearly XLSX report for the province.
"""

import argparse
import random
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from bench.common import cases_file, percentile

DEFAULT_COUNT = 100_000
SUPERVISOR = "danvan@demo.danvan.vn"
TARGETS = {"overview_p95_ms": 150, "drilldown_p95_ms": 100, "round_metrics_s": 5,
           "report_xlsx_s": 10}  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench insights", description=__doc__)
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="cases to seed")
    parser.add_argument("--fresh", action="store_true", help="reseed even if a file exists")
    parser.add_argument("--requests", type=int, default=200, help="pages per p95 figure")
    args = parser.parse_args(argv)
    if args.count < 1 or args.requests < 1:
        parser.error("--count and --requests must be positive")
    cases_file(args.count, fresh=args.fresh)
    figures = _measure(args.requests)
    for name, value in figures.items():
        print(f"{name}={value:.2f}", flush=True)
    for name, target in TARGETS.items():
        print(f"{name}_target={'met' if figures[name] < target else 'missed'}")
    return 0


def _measure(requests: int) -> dict[str, float]:
    from danvan.insights.rollup import refresh

    figures = {"rollup_s": refresh()}
    rng = random.Random(19)
    figures["overview_p95_ms"] = _p95(_overview_requests(rng, requests))
    figures["drilldown_p95_ms"] = _p95(_drilldown_requests(rng, requests))
    figures["round_metrics_s"] = _round_metrics()
    figures["report_xlsx_s"] = _report_xlsx()
    return figures


def _supervisor() -> Any:
    from danvan.accounts.models import User

    return User.objects.get(email=SUPERVISOR)


_CLIENT: list[Any] = []  # the supervisor's signed-in client, made once


def _get(view: Callable[..., Any], path: str, query: dict[str, str]) -> float:
    """One request as the supervisor through the whole stack (middleware, two-factor check,
    view, template), signed in the way a person is (`bench.signin`). `view` names the page."""
    if not _CLIENT:
        from bench.signin import signed_in
        from danvan.demo.services import demo_password

        _CLIENT.append(signed_in(SUPERVISOR, password=demo_password()))
    started = time.perf_counter()
    response = _CLIENT[0].get(path, query)
    if response.status_code != 200:
        raise RuntimeError(f"{path} {query} ({view.__name__}): {response.status_code}")
    return (time.perf_counter() - started) * 1000


def _p95(timings: list[float]) -> float:
    return percentile(timings, 0.95)


def _periods() -> list[str]:
    from django.utils import timezone

    year = timezone.localdate().year
    month = timezone.localdate().month
    return [str(year), str(year - 1), f"{year}-H1", f"{year - 1}-H2", f"{year}-Q1",
            f"{year - 1}-Q4", f"{year}-{month:02d}", f"{year - 1}-{month:02d}"]  # fmt: skip


def _overview_requests(rng: random.Random, count: int) -> list[float]:
    from danvan.cases.models import Topic
    from danvan.cases.workflow import Kind
    from danvan.insights.views import overview_page
    from danvan.places.queries import served_commune_list

    communes = [u.pk for u in served_commune_list()]
    topics = list(Topic.objects.values_list("pk", flat=True))
    _get(overview_page, "/staff/insights/", {})  # warm up: reference data, file cache
    timings = []
    for n in range(count):
        query = {"period": rng.choice(_periods())}
        if n % 4 == 1:
            query["kind"] = rng.choice(Kind.values)
        if n % 4 == 2:
            query["unit"] = str(rng.choice(communes))
        if n % 4 == 3:
            query["topic"] = str(rng.choice(topics))
        timings.append(_get(overview_page, "/staff/insights/", query))
    return timings


def _drilldown_requests(rng: random.Random, count: int) -> list[float]:
    from danvan.insights.access import insights_scope
    from danvan.insights.drilldown import Behind, letters_behind
    from danvan.insights.periods import period_parse
    from danvan.insights.queries import Filters, letters_by
    from danvan.insights.views import letters_page

    scope = insights_scope(_supervisor())
    year = Filters(period=period_parse(_periods()[0]))  # type: ignore[arg-type]
    agencies = sorted(letters_by(scope, year, "agency_id").items(), key=lambda a: -a[1].received)
    units = [k for k, _ in letters_by(scope, year, "unit_id").items() if k]
    timings = []
    for n in range(count):
        query = {"period": rng.choice(_periods()), "what": rng.choice(["received", "open",
                                                                        "overdue"])}  # fmt: skip
        if n % 2:
            query["unit"] = str(rng.choice(units))
        else:  # the largest agency one time in four
            query["agency"] = str(agencies[0][0] if n % 8 == 0 else rng.choice(agencies)[0])
        if n % 3 == 0:  # a next page
            behind = Behind(what=query["what"], filters=Filters(
                period=period_parse(query["period"]),  # type: ignore[arg-type]
                unit=int(query.get("unit", 0)) or None),
                agency=int(query.get("agency", 0)) or None)  # fmt: skip
            page = letters_behind(user=_supervisor(), scope=scope, behind=behind, after=None)
            if page.next_key:
                query["after"] = page.next_key
        timings.append(_get(letters_page, "/staff/insights/letters/", query))
    return timings


class _RolledBack(Exception):
    pass


def _round_metrics() -> float:
    """As bench.evaluation: the demo set (written, then rolled back) and its units."""
    from django.db import transaction
    from django.utils import timezone

    from danvan.demo.evaluation import demo_criteria_set
    from danvan.evaluation.metrics import metrics_for
    from danvan.evaluation.units import round_candidates

    took = 0.0
    try:
        with transaction.atomic():
            criteria_set = demo_criteria_set()
            units = [a.pk for a in round_candidates(province_id=criteria_set.province_id)]
            year = timezone.localdate().year
            best = []
            for _ in range(3):
                started = time.perf_counter()
                metrics_for(agency_ids=units, start=date(year, 1, 1), end=date(year, 12, 31))
                best.append(time.perf_counter() - started)
            took = min(best)
            raise _RolledBack
    except _RolledBack:
        pass
    return took


def _report_xlsx() -> float:
    from danvan.insights.access import insights_scope
    from danvan.insights.periods import period_parse
    from danvan.insights.queries import Filters
    from danvan.insights.reports import report_xlsx

    scope = insights_scope(_supervisor())
    filters = Filters(period=period_parse(_periods()[0]))  # type: ignore[arg-type]
    started = time.perf_counter()
    report_xlsx(scope=scope, filters=filters)
    return time.perf_counter() - started
