"""The province overview, the letters behind its figures, and the periodic reports.
Thin: access, filters, query, render."""

from dataclasses import replace
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from danvan.core.downloads import DOCX, XLSX, file_response
from danvan.places.queries import served_commune_list

from .access import Scope, insights_scope
from .charts import column_chart
from .drilldown import WHAT, Behind, letters_behind
from .forms import FiltersForm
from .hotspots import current_hot_issues
from .models import HotIssue
from .periods import period_parse
from .queries import Filters, Overview, overview
from .reports import report_docx, report_name, report_xlsx
from .rollup import last_refresh
from .rows import agency_rows, commune_rows, options


def _filters_form(request: HttpRequest) -> FiltersForm:
    data = QueryDict(mutable=True)
    data["period"] = str(timezone.localdate().year)
    for name in ("period", "unit", "topic", "kind"):
        if name in request.GET:
            data[name] = request.GET[name]
    return FiltersForm(data, communes=served_commune_list())


def _filters(form: FiltersForm) -> Filters:
    data = form.cleaned_data
    return Filters(
        period=form.chosen_period(), unit=data["unit"], topic=data["topic"], kind=data["kind"]
    )


def _query(filters: Filters, **extra: Any) -> str:
    data = QueryDict(mutable=True)
    data["period"] = filters.period.code
    for name in ("unit", "topic", "kind"):
        value = getattr(filters, name)
        if value:
            data[name] = str(value)
    for name, value in extra.items():
        if value is not None and value != "":
            data[name] = str(value)
    return data.urlencode()


@require_GET
@login_required
def overview_page(request: HttpRequest) -> HttpResponse:
    scope = insights_scope(request.user)
    form = _filters_form(request)
    if not form.is_valid():
        context = {"form": form, "selects": _selects(form)}
        return render(request, "insights/overview.html", context, status=400)
    filters = _filters(form)
    found = overview(scope=scope, filters=filters)
    base = f"{reverse('insights:letters')}?{_query(filters)}"
    context = {
        "form": form,
        "selects": _selects(form),
        "agency_rows": agency_rows(found.agencies, base),
        "commune_rows": commune_rows(found.communes, base),
        "o": found,
        "hot_issues": current_hot_issues(
            user=request.user, agency_ids=None if scope.province else set(scope.agency_ids)
        ),
        "scope": scope,
        "refreshed": last_refresh(),
        "charts": _charts(found),
        "query": _query(filters),
        "letters_url": reverse("insights:letters"),
    }
    return render(request, "insights/overview.html", context)


def _selects(form: FiltersForm) -> list[dict[str, Any]]:
    """The filters as selects whose options are written out in Python (rows.py)."""
    return [
        {"field": form[name], "options": options(form.fields[name].choices, form.data.get(name))}  # type: ignore[attr-defined]
        for name in form.fields
    ]


def _charts(found: Overview) -> dict[str, Any]:
    letters = reverse("insights:letters")
    f = found.filters
    trend, on_time = [], []
    for row in found.trend:
        month = replace(f, period=period_parse(f"{row.key:%Y-%m}") or f.period)
        trend.append((f"{row.key:%m/%y}", row.received, f"{letters}?{_query(month)}"))
        on_time.append((f"{row.key:%m/%y}", row.on_time_pct, ""))
    worst = sorted(found.agencies, key=lambda a: -a.overdue)[:10]
    overdue = [
        (a.name, a.overdue, f"{letters}?{_query(f, what='overdue', agency=a.key)}")
        for a in worst
        if a.overdue
    ]
    return {
        "received": column_chart("received", trend),
        "on_time": column_chart("on_time", on_time, fixed_max=100),
        "overdue": column_chart("overdue", overdue),
        "overdue_rows": worst,
    }


@require_GET
@login_required
def letters_page(request: HttpRequest) -> HttpResponse:
    scope = insights_scope(request.user)
    form = _filters_form(request)
    if not form.is_valid():
        return render(request, "insights/letters.html", {"form": form}, status=400)
    behind = _behind(request, scope, _filters(form))
    after = request.GET.get("after") or None
    page = letters_behind(user=request.user, scope=scope, behind=behind, after=after)
    context = {
        "form": form,
        "behind": behind,
        "page": page,
        "query": _query(behind.filters, what=behind.what, agency=behind.agency,
                        issue=behind.issue),
        "overview_query": _query(behind.filters),
    }  # fmt: skip
    return render(request, "insights/letters.html", context)


def _int_or_none(text: str | None) -> int | None:
    if not text:
        return None
    if not text.isdigit() or len(text) > 18:
        raise Http404
    return int(text)


def _behind(request: HttpRequest, scope: Scope, filters: Filters) -> Behind:
    """What the figure counts; 404 for an agency or hot issue outside the user's scope."""
    what = request.GET.get("what", "received")
    if what not in WHAT:
        raise Http404
    agency = _int_or_none(request.GET.get("agency"))
    if agency is not None and not scope.allows(agency):
        raise Http404
    issue = _int_or_none(request.GET.get("issue"))
    if what == "hot" and (issue is None or not HotIssue.objects.filter(pk=issue).exists()):
        raise Http404
    return Behind(what=what, filters=filters, agency=agency, issue=issue)


@require_GET
@login_required
def report(request: HttpRequest, fmt: str) -> HttpResponse:
    scope = insights_scope(request.user)
    form = _filters_form(request)
    if not form.is_valid():
        return render(request, "insights/overview.html", {"form": form}, status=400)
    filters = _filters(form)
    if fmt == "xlsx":
        data, content_type = report_xlsx(scope=scope, filters=filters), XLSX
    else:
        data, content_type = report_docx(scope=scope, filters=filters), DOCX
    return file_response(data, name=report_name(filters, fmt), content_type=content_type)
