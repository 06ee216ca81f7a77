"""A few hundred demo letters across the province, in every status, with real histories.

Each letter is walked through the same services officers use, at the dates it would have
happened (the clock is set back for each step), so deadlines, events and documents are
exactly what the platform would have produced. Some are left overdue on purpose.
"""

import random
from collections.abc import Callable
from datetime import datetime, time, timedelta
from itertools import batched
from typing import Any
from unittest import mock

from django.db import transaction
from django.utils import timezone

from danvan.accounts.models import User
from danvan.cases import services as s
from danvan.cases.delegations import agency_head
from danvan.cases.draft import LetterDraft, Sender
from danvan.cases.models import Case, Notification, Topic
from danvan.cases.submission import case_submit
from danvan.cases.sweep import mark_overdue
from danvan.cases.workflow import DeclineReason
from danvan.places.models import Agency, Unit

from .letters import ANSWERS, LETTERS, NAMES, PLACES

# Target status -> its share of the demo letters.
SHARES = {"received": 8, "classified": 8, "accepted": 10, "in_progress": 15,
          "info_requested": 4, "extended": 5, "resolved": 15, "closed": 25, "declined": 4,
          "forwarded": 3, "guided": 3}  # fmt: skip
STEPS = {
    "received": [], "classified": ["classify"], "accepted": ["classify", "accept"],
    "in_progress": ["classify", "accept", "start"],
    "info_requested": ["classify", "accept", "start", "request_info"],
    "extended": ["classify", "accept", "start", "extend"],
    "resolved": ["classify", "accept", "start", "resolve"],
    "closed": ["classify", "accept", "start", "resolve", "close"],
    "declined": ["classify", "decline"], "forwarded": ["classify", "forward"],
    "guided": ["classify", "guide"],
}  # fmt: skip
DEMO_KEY = "demo:"


def demo_cases_load(*, count: int, officer: User, province: Unit, seed: int = 2026) -> int:
    """Create `count` letters once (a rerun finds them and creates nothing)."""
    if Case.objects.filter(idempotency_key=f"{DEMO_KEY}0").exists():  # the first one's key
        return 0
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    home = Unit.objects.get(level=Unit.Level.COMMUNE, code="11953", valid_until__isnull=True)
    communes = list(province.children.filter(valid_until__isnull=True))
    statuses = [status for status, share in SHARES.items() for _ in range(share)]
    with transaction.atomic():
        made = []
        for number in range(count):
            unit = home if rng.random() < 0.6 else rng.choice(communes)
            made.append(_letter(rng, number, unit, rng.choice(statuses), officer))
        # The demo's citizens are made up: nothing queued for them is sent.
        for chunk in batched(made, 500):
            Notification.objects.filter(case__in=chunk).update(state=Notification.State.SKIPPED)
        mark_overdue(timezone.localdate())
    return count


def _letter(rng: random.Random, number: int, unit: Unit, status: str, officer: User) -> int:
    kind, topic_code, title, content = rng.choice(LETTERS)
    received = _working_time(rng, timezone.localdate() - timedelta(days=rng.randint(0, 150)))
    anonymous = kind in ("feedback", "petition") and rng.random() < 0.1
    name = "" if anonymous else rng.choice(NAMES)
    with _clock(received):
        text = content.format(place=rng.choice(PLACES))  # the draws in the seed's order
        sender = Sender() if anonymous else Sender(
            name=name, phone=f"+8491{rng.randint(1000000, 9999999)}",
            address=f"{rng.choice(PLACES)}, {unit.name}")  # fmt: skip
        draft = LetterDraft(
            kind=kind, title=title, content=text, unit=unit,
            topic=Topic.objects.get(code=topic_code), anonymous=anonymous, sender=sender,
            people_count=rng.choice([1, 1, 1, 2, 5, 12]),
        )  # fmt: skip
        case, _created = case_submit(draft=draft, by=None, idempotency_key=f"{DEMO_KEY}{number}")
    _walk(rng, case, STEPS[status], received, officer)
    return case.pk


def _walk(rng: random.Random, case: Case, steps: list[str], at: datetime, officer: User) -> None:
    now = timezone.now()
    for step in steps:
        at = min(at + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 3)), now)
        with _clock(at):
            try:
                case = ACTIONS[step](case, officer, rng)
            except (s.TransitionError, s.RuleViolation):
                return
    if case.status in ("resolved", "closed") and rng.random() < 0.6:
        with _clock(min(at + timedelta(days=2), now)):
            s.case_rate(case=case, rating=rng.choice([5, 5, 4, 4, 3, 2]), comment="")


def _working_time(rng: random.Random, day: Any) -> datetime:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    clock = time(rng.randint(7, 16), rng.randint(0, 59))
    return min(timezone.make_aware(datetime.combine(day, clock)), timezone.now())


def _clock(at: datetime) -> Any:
    """Set the platform's clock back to `at` for one step of the history."""
    return mock.patch("django.utils.timezone.now", return_value=at)


def _forward(case: Case, by: User, rng: random.Random) -> Case:
    agency = Agency.objects.exclude(pk=case.agency_id).filter(code="hy-so-nnmt").first()
    if agency is None:
        raise s.RuleViolation("no_agency", "no agency to forward to")
    note = "Nội dung thuộc thẩm quyền của Sở Nông nghiệp và Môi trường."
    return s.case_forward(case=case, by=by, agency=agency, note=note)


def _designated(case: Case, officer: User) -> Case:
    """A denunciation's handler is designated by the head of its agency (when the demo has
    one there), never by the officer who starts the work."""
    if not case.identity_sealed or case.assignee_id is not None:
        return case
    head = agency_head(case.agency_id)
    return s.case_assign(case=case, by=head, assignee=officer) if head else case


ACTIONS: dict[str, Callable[[Case, User, random.Random], Case]] = {
    "classify": lambda c, by, r: s.case_classify(case=c, by=by, kind=c.kind, topic=c.topic),
    "accept": lambda c, by, r: s.case_accept(case=c, by=by),
    "start": lambda c, by, r: s.case_start(case=_designated(c, by), by=by),
    "request_info": lambda c, by, r: s.case_request_info(
        case=c, by=by, note="Đề nghị bổ sung ảnh chụp hiện trường và giấy tờ liên quan."
    ),
    "extend": lambda c, by, r: s.case_extend(
        case=c, by=by, note="Vụ việc phức tạp, cần xác minh tại nhiều nơi."
    ),
    "resolve": lambda c, by, r: s.case_resolve(case=c, by=by, answer=ANSWERS[c.kind]),
    "close": lambda c, by, r: s.case_close(case=c, by=by),
    "decline": lambda c, by, r: s.case_decline(
        case=c,
        by=by,
        reason=DeclineReason.NOT_ELIGIBLE,
        note="Đơn không ghi rõ nội dung đề nghị; đề nghị công dân bổ sung và gửi lại.",
    ),
    "forward": _forward,
    "guide": lambda c, by, r: s.case_guide(
        case=c,
        by=by,
        note="Nội dung thuộc thẩm quyền của Tòa án nhân dân; đề nghị gửi đơn đến Tòa án.",
    ),
}
