"""Hot issues: when many people in one place start writing about the same thing.

Two detectors, run by `detect_hot_issues` (daily or more often; a rerun replaces the day's
findings): a *spike* is a topic in a commune with far more letters in the last 7 days than
its own weekly history (a Poisson test: the count is improbable under the usual rate); a
*cluster* is a group of similar new letters that fit no topic ("other" or none), found
through the same text fingerprints as duplicates.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from danvan.accounts.access import AnyUser
from danvan.cases.access import visible_cases
from danvan.cases.identity import without_sealed
from danvan.cases.models import Case, CaseFingerprint, Topic

from .models import HotIssue

WINDOW_DAYS = 7
HISTORY_WEEKS = 8
MIN_LETTERS = 3  # fewer is never a hot issue, whatever the history
SPIKE_Z = 3.0  # standard deviations above the usual weekly rate
CLUSTER_MIN = 3
CLUSTER_SHARED_KEYS = 2
OTHER_TOPIC = "khac"
LETTERS_SHOWN = 20


@dataclass(frozen=True)
class Report:
    spikes: int
    clusters: int


def detect(today: date | None = None) -> Report:
    today = today or timezone.localdate()
    with transaction.atomic():
        HotIssue.objects.filter(detected_on=today).delete()
        spikes = _detect_spikes(today)
        clusters = _detect_clusters(today)
    return Report(spikes, clusters)


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _detect_spikes(today: date) -> int:
    window = _start(today - timedelta(days=WINDOW_DAYS - 1))
    history = _start(today - timedelta(days=WINDOW_DAYS * (HISTORY_WEEKS + 1) - 1))
    counts = (
        Case.objects.filter(received_at__gte=history, topic__isnull=False)
        .values("topic_id", "unit_id")
        .annotate(recent=Count("id", filter=Q(received_at__gte=window)), total=Count("id"))
        .filter(recent__gte=MIN_LETTERS)
    )
    found = 0
    for row in counts:
        usual = (row["total"] - row["recent"]) / HISTORY_WEEKS
        if row["recent"] >= usual + SPIKE_Z * math.sqrt(max(usual, 1.0)):
            _spike_save(today, row, usual, window)
            found += 1
    return found


def _spike_save(today: date, row: Mapping[str, Any], usual: float, window: datetime) -> None:
    topic = Topic.objects.get(pk=row["topic_id"])
    issue = HotIssue.objects.create(kind=HotIssue.Kind.SPIKE, topic=topic, unit_id=row["unit_id"],
                                    detected_on=today, count=row["recent"], baseline=usual,
                                    label=topic.name)  # fmt: skip
    recent = Case.objects.filter(topic=topic, unit_id=row["unit_id"], received_at__gte=window)
    issue.cases.set(recent.values_list("pk", flat=True)[:500])


def _detect_clusters(today: date) -> int:
    window = _start(today - timedelta(days=WINDOW_DAYS - 1))
    loose = Case.objects.filter(received_at__gte=window).filter(
        Q(topic__isnull=True) | Q(topic__code=OTHER_TOPIC)
    )
    ids = list(loose.values_list("pk", flat=True)[:5000])
    groups = _groups(ids)
    found = 0
    for members in groups:
        if len(members) >= CLUSTER_MIN:
            _cluster_save(today, members)
            found += 1
    return found


def _groups(ids: list[int]) -> list[set[int]]:
    """Letters sharing enough fingerprint keys, joined transitively (union-find)."""
    by_key: dict[int, list[int]] = defaultdict(list)
    for case_id, key in CaseFingerprint.objects.filter(case_id__in=ids).values_list(
        "case_id", "key"
    ):
        by_key[key].append(case_id)
    shared: Counter[tuple[int, int]] = Counter()
    for members in by_key.values():
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                shared[(min(a, b), max(a, b))] += 1
    parent = {case_id: case_id for case_id in ids}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for (a, b), n in shared.items():
        if n >= CLUSTER_SHARED_KEYS:
            parent[root(a)] = root(b)
    groups: dict[int, set[int]] = defaultdict(set)
    for case_id in ids:
        groups[root(case_id)].add(case_id)
    return list(groups.values())


def _cluster_save(today: date, members: set[int]) -> None:
    units = Counter(Case.objects.filter(pk__in=members).values_list("unit_id", flat=True))
    issue = HotIssue.objects.create(kind=HotIssue.Kind.CLUSTER, detected_on=today,
                                    count=len(members), unit_id=units.most_common(1)[0][0],
                                    label=_plain_label(members))  # fmt: skip
    issue.cases.set(members)


def _plain_label(members: set[int]) -> str:
    """A cluster is named after its first letter that was never sealed: a denunciation's
    subject, even masked, is not for everyone who sees the hot issues."""
    first = without_sealed(Case.objects.filter(pk__in=members)).order_by("received_at").first()
    return first.title if first else ""


@dataclass(frozen=True)
class Letter:
    """A letter of a hot issue as the staff home lists it."""

    pk: int
    tracking_code: str
    title: str
    identity_sealed: bool


def current_hot_issues(
    *, user: AnyUser, agency_ids: set[int] | None, today: date | None = None
) -> list[HotIssue]:
    """This week's findings touching the agencies' letters (all of them for None).

    Each issue's `letters` are those of its letters `user` may open (up to LETTERS_SHOWN;
    the page leaves a sealed one's subject out). A cluster is named after its first plain
    letter, whatever was stored before this rule.
    """
    today = today or timezone.localdate()
    issues = HotIssue.objects.filter(detected_on__gt=today - timedelta(days=WINDOW_DAYS))
    if agency_ids is not None:
        issues = issues.filter(cases__agency_id__in=agency_ids).distinct()
    found = list(issues.select_related("topic", "unit")[:10])
    members = HotIssue.cases.through.objects.filter(hotissue__in=found)
    open_ids = set(
        visible_cases(user).filter(pk__in=members.values("case_id")).values_list("pk", flat=True)
    )
    by_issue: dict[int, list[Letter]] = defaultdict(list)
    rows = members.order_by("case__received_at", "case_id").values_list(
        "hotissue_id", "case_id", "case__tracking_code", "case__title", "case__identity_sealed"
    )
    for issue_id, pk, code, title, sealed in rows:
        by_issue[issue_id].append(Letter(pk, code, title, sealed))
    for issue in found:
        letters = by_issue[issue.pk]
        issue.letters = [c for c in letters if c.pk in open_ids][:LETTERS_SHOWN]  # type: ignore[attr-defined]
        if issue.kind == HotIssue.Kind.CLUSTER:
            issue.label = next((c.title for c in letters if not c.identity_sealed), "")
    return found
