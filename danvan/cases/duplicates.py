"""Letters about the same matter: found by text fingerprints, linked or merged by an officer.

Nothing is dropped: a merged letter keeps its own record and its citizen is told of the
answer given to the letter it joined (`services.case_resolve`). Public notes never reveal
the other letter's code (a tracking code opens a letter's page) nor who wrote it.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from danvan.accounts.access import AnyUser
from danvan.accounts.models import User
from danvan.language import similarity

from .access import visible_cases
from .identity import pairable
from .models import Case, CaseFingerprint, CaseLink
from .notifications import notify_citizen
from .workflow import Action
from .writes import case_event, case_move

# Letters sharing the most keys, scored exactly (1M bench: the original ranked first in 207/211).
CANDIDATES_SCANNED = 10
MIN_SCORE = 0.3  # below this the texts are about different things (evaluate_duplicates)
SHOWN = 5


@dataclass(frozen=True)
class Candidate:
    case: Case
    score: float


def case_text(case: Case) -> str:
    return f"{case.title}\n{case.content}"


def fingerprint_store(case: Case) -> None:
    keys = similarity.band_keys(similarity.signature(case_text(case)))
    CaseFingerprint.objects.bulk_create(
        [CaseFingerprint(case=case, key=_signed(key)) for key in keys]
    )


def _signed(key: str) -> int:
    """A 64-bit hex key as the signed integer a BIGINT column holds."""
    return int(key, 16) - (1 << 63)


def scanned_cases(*, case: Case, user: AnyUser) -> QuerySet[Case]:
    """The letters worth scoring against `case`: the CANDIDATES_SCANNED sharing the most
    fingerprint keys with it, of those `user` may see."""
    keys = CaseFingerprint.objects.filter(case=case).values("key")
    sharing = (
        CaseFingerprint.objects.filter(key__in=keys)
        .exclude(case_id=case.pk)
        .values("case_id")
        .annotate(shared=Count("id"))
        .order_by("-shared")[:CANDIDATES_SCANNED]
    )
    return visible_cases(user).filter(pk__in=[row["case_id"] for row in sharing])


def duplicate_candidates(*, case: Case, user: AnyUser, limit: int = SHOWN) -> list[Candidate]:
    """Earlier or later letters the officer may see, most similar first, with their score;
    never a sealed letter beside a plain one (`identity.pairable`)."""
    linked = CaseLink.objects.filter(case=case).values("other_id")
    others = scanned_cases(case=case, user=user).exclude(pk__in=linked)
    mine = similarity.profile(case_text(case))
    scored = [
        Candidate(other, similarity.compare(mine, similarity.profile(case_text(other))))
        for other in others
        if pairable(case, other)
    ]
    scored = [c for c in scored if c.score >= MIN_SCORE]
    return sorted(scored, key=lambda c: -c.score)[:limit]


def case_link(*, case: Case, other: Case, by: User, score: float | None = None) -> None:
    """Record that two letters are about the same matter; both citizens are told."""
    with transaction.atomic():
        _link_both(case, other, by, CaseLink.Kind.RELATED, score)
        for one, two in ((case, other), (other, case)):
            _linked_event(one, two, by)


def case_merge(*, case: Case, into: Case, by: User, score: float | None = None) -> Case:
    """Close `case` into `into`: handled there, its citizen told now and when answered."""
    with transaction.atomic():
        _link_both(case, into, by, CaseLink.Kind.MERGED, score)
        merged, event = case_move(case, Action.MERGE, by, data={"into": into.pk},
                                  merged_into=into, closed_at=timezone.now(), due_on=None)  # fmt: skip
        notify_citizen(merged, event)
        _linked_event(into, case, by)
    return merged


def _link_both(case: Case, other: Case, by: User, kind: str, score: float | None) -> None:
    for one, two in ((case, other), (other, case)):
        CaseLink.objects.update_or_create(
            case=one, other=two, defaults={"kind": kind, "score": score, "by": by}
        )


def _linked_event(case: Case, other: Case, by: User) -> None:
    # No note: the citizen reads the action's name, never the other letter's code or writer.
    event = case_event(case, Action.LINK, by, data={"other": other.pk})
    notify_citizen(case, event)
