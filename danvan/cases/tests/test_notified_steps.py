"""Telling the citizen is an explicit step of each service whose step the law calls a
notice for (`notifications.NOTIFIED`); the event writer tells no one."""

from danvan.cases import notifications
from danvan.cases import services as s
from danvan.cases.duplicates import case_link, case_merge
from danvan.cases.models import Notification
from danvan.places.models import Agency


def purposes(case):
    return sorted(Notification.objects.filter(case=case).values_list("purpose", flat=True))


def test_every_step_the_citizen_is_told_of_queues_one_notice_and_the_others_none(submit, handler):
    """Each service that notifies does it itself (the event writer tells no one)."""
    case = s.case_classify(case=submit(kind="complaint"), by=handler, kind="complaint",
                           topic=None)  # fmt: skip
    case = s.case_accept(case=case, by=handler)
    case = s.case_start(case=case, by=handler)
    case = s.case_request_info(case=case, by=handler, note="Bổ sung giấy tờ")
    case = s.case_receive_info(case=case, by=handler)
    case = s.case_extend(case=case, by=handler, note="Phức tạp")
    merged = s.case_classify(case=submit(kind="complaint"), by=handler, kind="complaint",
                             topic=None)  # fmt: skip
    merged = case_merge(case=merged, into=case, by=handler)
    case = s.case_resolve(case=case, by=handler, answer="Đã giải quyết.")
    s.case_close(case=case, by=handler)
    s.case_rate(case=case, rating=4)
    assert purposes(case) == sorted(["submitted", "accept", "request_info", "extend", "link",
                                     "resolve"])  # fmt: skip
    assert purposes(merged) == ["merge", "resolve", "submitted"]  # the answer it joined
    guided = s.case_guide(case=submit(), by=handler, note="Gửi Tòa án")
    police = Agency.objects.get(code="hy-cong-an")
    forwarded = s.case_forward(case=submit(), by=handler, agency=police, note="Thuộc công an")
    declined = s.case_decline(case=submit(), by=handler, reason="not_eligible", note="Thiếu")
    one, other = submit(), submit()
    case_link(case=one, other=other, by=handler)
    assert [purposes(c) for c in (guided, forwarded, declined, one, other)] == [
        ["guide", "submitted"], ["forward", "submitted"], ["decline", "submitted"],
        ["link", "submitted"], ["link", "submitted"],
    ]  # fmt: skip
    walked = [case, merged, guided, forwarded, declined, one, other]
    told = set(Notification.objects.filter(case__in=walked).values_list("purpose", flat=True))
    assert told == {*notifications.NOTIFIED, "submitted"}  # the list the law calls for, all
