"""Per-agency letter figures against letters counted by hand, at the edges of the period.

Deadlines follow a simple stand-in rule here (processing: receipt + 10 days; resolution:
acceptance + 30 days, + 30 per extension, + the paused days), so each one can be checked by
hand; the real rules are tested in danvan/deadlines and test_lifecycle.
"""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from danvan.cases import services as s
from danvan.cases import timing
from danvan.cases.duplicates import case_merge
from danvan.cases.stats import LetterStats, letter_stats
from danvan.places.models import Agency

pytestmark = pytest.mark.django_db
D = date.fromisoformat
ZONE = timezone.get_default_timezone()


def at(text):
    """A local (Asia/Ho_Chi_Minh) moment: "2026-10-31 23:30"."""
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


@pytest.fixture(autouse=True)
def simple_rules(monkeypatch):
    def process_due(*, kind, received, second_round=False):
        return timing.Due("P", received + timedelta(days=10), "test")

    def resolve_due(*, kind, accepted, variant="", extensions=0, pauses=None, second_round=False):
        paused = sum((D(b) - D(a)).days + 1 for a, b in pauses or [])
        return timing.Due("R", accepted + timedelta(days=30 * (1 + extensions) + paused), "t")

    monkeypatch.setattr(timing, "process_due", process_due)
    monkeypatch.setattr(timing, "resolve_due", resolve_due)
    monkeypatch.setattr(timing, "extends_by_count", lambda **kwargs: True)


@pytest.fixture
def letter(submit, handler):
    """`letter("2026-10-01 08:00", ("accept", "2026-10-02 09:00"), ...)`: a letter received
    then moved through each step at its local time; returns the case as it ends."""

    def make(received, *steps, kind="feedback"):
        with time_machine.travel(at(received), tick=False):
            case = submit(kind=kind)
        for step, when, *extra in steps:
            with time_machine.travel(at(when), tick=False):
                case = STEPS[step](case, handler, *extra)
        return case

    return make


def started(case, by):
    return s.case_start(case=case, by=by) if case.status == "accepted" else case


STEPS = {
    "classify": lambda c, by, kind: s.case_classify(case=c, by=by, kind=kind, topic=c.topic),
    "accept": lambda c, by: s.case_accept(case=s.case_classify(case=c, by=by, kind=c.kind,
                                                               topic=c.topic), by=by),
    "accept_classified": lambda c, by: s.case_accept(case=c, by=by),
    "resolve": lambda c, by: s.case_resolve(case=started(c, by), by=by, answer="Đã xử lý."),
    "request_info": lambda c, by: s.case_request_info(case=started(c, by), by=by,
                                                      note="Bổ sung giấy tờ."),
    "receive_info": lambda c, by: s.case_receive_info(case=c, by=by),
    "extend": lambda c, by: s.case_extend(case=started(c, by), by=by, note="Phức tạp."),
    "decline": lambda c, by: s.case_decline(case=c, by=by, reason="not_eligible", note="Thiếu."),
    "forward": lambda c, by: s.case_forward(case=c, by=by, agency=Agency.objects.get(code="hy-so-xd"),
                                            note="Thuộc thẩm quyền Sở Xây dựng."),
    "rate": lambda c, by, rating: s.case_rate(case=c, rating=rating),
}  # fmt: skip


@pytest.fixture
def october(letter, handler):
    """The letters of the module docstring's story; returns them by name."""
    cases = {
        # Received at the last minute of September: not an October letter. Answered at 23:30
        # on its deadline day (31 Oct): on time.
        "L1": letter("2026-09-30 23:59", ("accept", "2026-10-01 08:00"),
                     ("resolve", "2026-10-31 23:30"), ("rate", "2026-11-02 10:00", 5)),
        # Received at 00:00 on 1 October: an October letter; due 1 Nov, open.
        "L2": letter("2026-10-01 00:00", ("accept", "2026-10-02 08:00")),
        # Received at the last second of October; its first deadline is 10 Nov.
        "L3": letter("2026-10-31 23:59:59"),
        # Received at 00:00 on 1 November: not an October letter.
        "L4": letter("2026-11-01 00:00"),
        # 15 paused days (21 Sep - 5 Oct) move its deadline from 1 Oct to 16 Oct: on time.
        "L6": letter("2026-09-01 09:00", ("accept", "2026-09-01 10:00"),
                     ("request_info", "2026-09-20 09:00"), ("receive_info", "2026-10-05 09:00"),
                     ("resolve", "2026-10-16 10:00")),
        # Sent as feedback, reclassified as a complaint: accepted a day after its acceptance
        # deadline (13 Oct), so a complaint accepted late.
        "L7": letter("2026-10-03 09:00", ("classify", "2026-10-04 09:00", "complaint"),
                     ("accept_classified", "2026-10-14 09:00")),
        # A complaint accepted on its acceptance deadline day (20 Oct): on time.
        "L8": letter("2026-10-10 09:00", ("accept", "2026-10-20 16:00"), kind="complaint"),
        # Moved to another agency: forwarded on 8 Oct, before its deadline (16 Oct).
        "L9": letter("2026-10-06 09:00", ("forward", "2026-10-08 09:00")),
        # Due 16 Oct, open at the end of October; extended on 5 Nov (due now 15 Nov).
        "L10": letter("2026-09-15 09:00", ("accept", "2026-09-16 09:00"),
                      ("extend", "2026-11-05 09:00")),
        # Due 10 Oct, answered 12 Oct: late. Rated 2.
        "L11": letter("2026-09-10 09:00", ("accept", "2026-09-10 10:00"),
                      ("resolve", "2026-10-12 09:00"), ("rate", "2026-10-13 09:00", 2)),
        # Due 5 Oct, waiting for the citizen since 1 Oct: not counted either way.
        "L12": letter("2026-09-05 09:00", ("accept", "2026-09-05 10:00"),
                      ("request_info", "2026-10-01 09:00")),
        # Declined on 22 Oct, before its processing deadline (30 Oct): on time.
        "L13": letter("2026-10-20 09:00", ("decline", "2026-10-22 09:00")),
        # Due 25 Oct, answered at 00:00 on 26 Oct: late.
        "L14": letter("2026-09-25 09:00", ("accept", "2026-09-25 10:00"),
                      ("resolve", "2026-10-26 00:00")),
        # Never touched: due 11 Oct, late and overdue at the end of October.
        "L15": letter("2026-10-01 09:00"),
        # Due 20 Oct, answered on 3 Nov: late, and overdue at the end of October.
        "L16": letter("2026-09-20 09:00", ("accept", "2026-09-20 10:00"),
                      ("resolve", "2026-11-03 09:00")),
    }  # fmt: skip
    # A duplicate of L2 received on 5 Oct and merged into it: counted with L2 only.
    duplicate = letter("2026-10-05 09:00")
    with time_machine.travel(at("2026-10-06 09:00"), tick=False):
        cases["L5"] = case_merge(case=duplicate, into=cases["L2"], by=handler)
    return cases


def commune():
    return Agency.objects.get(code="ubnd-c11953").pk


def test_october_counted_by_hand(october):
    stats = letter_stats(start=D("2026-10-01"), end=D("2026-10-31"))
    assert stats[commune()] == LetterStats(
        received=7,  # L2, L3, L7, L8, L9, L13, L15
        on_time=4,  # L1, L6, L9, L13
        late=4,  # L11, L14, L15, L16 (L10's deadline is now in November; L12 is paused)
        rated=2,  # L1 (5) and L11 (2), answered in October
        rating_sum=7,
        complaints_on_time=1,  # L8
        complaints_late=1,  # L7
        overdue_open=3,  # L10 (due 16 Oct then), L15, L16; L12 paused, L2 due 1 Nov
    )


def test_the_agency_a_letter_was_forwarded_to_counts_nothing_for_it(october):
    stats = letter_stats(start=D("2026-10-01"), end=D("2026-10-31"))
    assert Agency.objects.get(code="hy-so-xd").pk not in stats


def test_a_period_not_over_counts_what_is_overdue_now(october):
    # Today is 23 Nov: open, running, due before today: L2 (due 1 Nov), L3 (10 Nov), L4
    # (11 Nov), L7 (13 Nov), L8 (19 Nov), L10 (15 Nov since its extension), L15 (11 Oct);
    # not L12, waiting for the citizen.
    stats = letter_stats(start=D("2026-11-01"), end=D("2026-11-30"))
    assert stats[commune()].overdue_open == 7
    assert stats[commune()].received == 1  # L4
    # L16 answered on 3 Nov is the only answer in November; not rated.
    assert (stats[commune()].rated, stats[commune()].rating_sum) == (0, 0)


def test_one_day_periods_at_both_ends_of_a_local_day(october):
    first = letter_stats(start=D("2026-10-01"), end=D("2026-10-01"))[commune()]
    assert first.received == 2  # L2 at 00:00 and L15 at 09:00; not L1 at 23:59 the day before
    last = letter_stats(start=D("2026-10-31"), end=D("2026-10-31"))[commune()]
    assert (last.received, last.on_time, last.late) == (1, 1, 0)  # L3; L1 answered 23:30


def test_only_the_agencies_asked_for_are_read(october):
    assert letter_stats(start=D("2026-10-01"), end=D("2026-10-31"), agency_ids=[0]) == {}
    mine = letter_stats(start=D("2026-10-01"), end=D("2026-10-31"), agency_ids=[commune()])
    assert list(mine) == [commune()]
