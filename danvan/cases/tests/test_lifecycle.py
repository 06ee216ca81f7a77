"""Each transition, allowed and forbidden, with the event it writes and the deadline it sets."""

from datetime import date

import pytest

from danvan.cases import services as s
from danvan.cases.idempotency import IdempotencyKeyReused
from danvan.cases.models import Case, CaseEvent
from danvan.cases.workflow import TRANSITIONS, Action, Status
from danvan.places.models import Agency

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def test_submission_gets_a_tracking_code_a_deadline_and_an_event(submit):
    case = submit()
    assert case.status == Status.RECEIVED
    assert len(case.tracking_code) == 14
    assert case.agency.code == "ubnd-c11953"  # no routing rule: the commune's committee
    # 10 working days from Monday 23 Nov; Tuesday 24 Nov is a holiday.
    assert (case.process_rule, case.process_due) == ("DON-1", D("2026-12-08"))
    assert case.rulebook_edition == D("2026-07-01")
    [event] = case.events.all()
    assert (event.action, event.to_status) == (Action.SUBMIT, Status.RECEIVED)


def test_same_idempotency_key_and_letter_returns_the_first_case(submit):
    first = submit(idempotency_key="form-token-1")
    again = submit(idempotency_key="form-token-1")
    assert again.pk == first.pk
    assert Case.objects.count() == 1


def test_same_idempotency_key_with_another_letter_is_refused_and_stores_nothing(submit):
    first = submit(idempotency_key="form-token-1")
    with pytest.raises(IdempotencyKeyReused) as refused:
        submit(idempotency_key="form-token-1", title="Khác")
    assert refused.value.first.pk == first.pk
    assert (Case.objects.count(), CaseEvent.objects.count()) == (1, 1)


def test_a_denunciation_keeps_no_plain_identity_and_follows_the_denunciation_rule(submit):
    case = submit(kind="denunciation", title="Cán bộ nhận tiền", topic=None)
    assert (case.submitter_name, case.submitter_phone, case.submitter_email) == ("", "", "")
    assert (case.process_rule, case.process_due) == ("TC-1", D("2026-12-03"))


def test_full_path_accept_extend_answer_close(submit, handler):
    case = submit(kind="complaint", title="Khiếu nại quyết định thu hồi đất")
    assert (case.process_rule, case.complaint_round) == ("KN-1", 1)
    case = s.case_classify(case=case, by=handler, kind="complaint", topic=case.topic)
    case = s.case_accept(case=case, by=handler)
    assert (case.status, case.resolve_rule, case.resolve_due) == (
        Status.ACCEPTED,
        "KN-2",
        D("2026-12-23"),
    )
    case = s.case_start(case=case, by=handler)
    assert case.assignee == handler
    case = s.case_extend(case=case, by=handler, note="Phức tạp, cần xác minh nhiều nơi")
    assert (case.status, case.variant, case.resolve_due) == (
        Status.EXTENDED,
        "complex",
        D("2027-01-07"),
    )
    with pytest.raises(s.RuleViolation):
        s.case_extend(case=case, by=handler, note="Lần nữa")
    case = s.case_resolve(case=case, by=handler, answer="Giữ nguyên quyết định.")
    case = s.case_close(case=case, by=handler)
    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["submit", "classify", "accept", "start", "extend", "resolve", "close"]


def test_denunciation_extensions_follow_complexity(submit, handler):
    case = submit(kind="denunciation", title="Tố cáo", topic=None)
    case = s.case_classify(case=case, by=handler, kind="denunciation", topic=None)
    case = s.case_accept(case=case, by=handler)
    case = s.case_start(case=case, by=handler)
    with pytest.raises(s.RuleViolation):
        s.case_extend(case=case, by=handler, note="Không phức tạp")
    case = s.case_extend(
        case=case, by=handler, variant="especially_complex", note="Đặc biệt phức tạp"
    )
    case = s.case_extend(case=case, by=handler, note="Lần hai")
    assert (case.extensions, case.resolve_due) == (2, D("2027-02-22"))
    with pytest.raises(s.RuleViolation):
        s.case_extend(case=case, by=handler, note="Lần ba")


def test_waiting_for_the_citizen_stops_the_clock(submit, handler, frozen_time):
    case = submit()
    case = s.case_classify(case=case, by=handler, kind="feedback", topic=case.topic)
    case = s.case_accept(case=case, by=handler)
    case = s.case_start(case=case, by=handler)
    assert case.resolve_due == D("2026-12-15")  # KNPA-2: 15 working days, 24 Nov a holiday
    case = s.case_request_info(case=case, by=handler, note="Xin ảnh chụp hiện trường")
    frozen_time.move_to("2026-11-30 09:00:00+07:00")
    case = s.case_receive_info(case=case, by=handler)
    assert case.status == Status.IN_PROGRESS
    assert case.pauses == [["2026-11-24", "2026-11-30"]]
    # 25, 26, 27 and 30 Nov were working days spent waiting: four more working days.
    assert case.resolve_due == D("2026-12-21")


@pytest.mark.parametrize(
    "action", [Action.ACCEPT, Action.RESOLVE, Action.CLOSE, Action.EXTEND, Action.START]
)
def test_forbidden_transitions_change_nothing(submit, handler, action):
    assert (action, Status.RECEIVED) not in TRANSITIONS
    case = submit()
    call = {
        Action.ACCEPT: lambda: s.case_accept(case=case, by=handler),
        Action.RESOLVE: lambda: s.case_resolve(case=case, by=handler, answer="x"),
        Action.CLOSE: lambda: s.case_close(case=case, by=handler),
        Action.EXTEND: lambda: s.case_extend(case=case, by=handler, note="x"),
        Action.START: lambda: s.case_start(case=case, by=handler),
    }[action]
    with pytest.raises(s.TransitionError):
        call()
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version) == (Status.RECEIVED, 0)
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_forward_once_and_guide_once(submit, handler):
    police = Agency.objects.get(code="hy-cong-an")
    forwarded = submit(kind="denunciation", topic=None)
    forwarded = s.case_forward(case=forwarded, by=handler, agency=police, note="Thuộc công an")
    assert forwarded.status == Status.FORWARDED
    forwarded = s.case_close(case=forwarded, by=handler)
    with pytest.raises(s.RuleViolation, match="forwarded once"):
        s.case_forward(case=forwarded, by=handler, agency=police, note="Lần hai")
    guided = s.case_guide(case=submit(kind="complaint"), by=handler, note="Gửi Tòa án")
    assert guided.status == Status.GUIDED
    with pytest.raises(s.RuleViolation, match="guided once"):
        s.case_guide(case=guided, by=handler, note="Lần hai")
    assert guided.events.filter(action=Action.GUIDE).count() == 1


def test_decline_needs_a_legal_reason(submit, handler):
    case = submit()
    with pytest.raises(ValueError, match="khong-thich"):
        s.case_decline(case=case, by=handler, reason="khong-thich", note="")
    case = s.case_decline(case=case, by=handler, reason="not_eligible", note="Thiếu địa chỉ")
    assert (case.status, case.decline_reason, case.due_on) == (
        Status.DECLINED,
        "not_eligible",
        None,
    )


def test_a_stale_copy_cannot_overwrite_a_newer_change(submit, handler):
    case = submit()
    stale = Case.objects.get(pk=case.pk)
    s.case_classify(case=case, by=handler, kind="feedback", topic=case.topic)
    with pytest.raises(s.ConcurrentUpdate):
        s.case_decline(case=stale, by=handler, reason="not_eligible", note="")
    assert Case.objects.get(pk=case.pk).status == Status.CLASSIFIED


def test_second_round_complaint_links_to_the_first_and_uses_second_round_rules(submit, handler):
    first = submit(kind="complaint")
    second = submit(kind="complaint", first_round=first, title="Khiếu nại lần hai")
    assert (second.complaint_round, second.first_round, second.process_rule) == (2, first, "KN-5")


def test_rating_after_the_answer_only_once(submit, handler):
    case = submit()
    with pytest.raises(s.TransitionError):
        s.case_rate(case=case, rating=5)
    case = s.case_classify(case=case, by=handler, kind="feedback", topic=case.topic)
    case = s.case_accept(case=case, by=handler)
    case = s.case_start(case=case, by=handler)
    case = s.case_resolve(case=case, by=handler, answer="Đã thay bóng đèn.")
    case = s.case_rate(case=case, rating=4, comment="Nhanh")
    assert case.rating == 4
    with pytest.raises(s.TransitionError):
        s.case_rate(case=case, rating=1)


def test_events_are_append_only(submit):
    event = submit().events.get()
    event.note = "sửa"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()


def test_two_officers_accept_the_same_case_only_one_succeeds(submit, handler, demo_user):
    from danvan.accounts.roles import Role

    case = s.case_classify(case=submit(), by=handler, kind="feedback", topic=None)
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    s.case_accept(case=first, by=handler)
    with pytest.raises(s.ConcurrentUpdate):
        s.case_accept(case=second, by=demo_user(Role.HEAD))
    assert CaseEvent.objects.filter(case=case, action=Action.ACCEPT).count() == 1
    assert Case.objects.get(pk=case.pk).version == 2


def test_a_second_rating_from_another_tab_is_refused(submit, handler):
    case = s.case_classify(case=submit(), by=handler, kind="feedback", topic=None)
    case = s.case_start(case=s.case_accept(case=case, by=handler), by=handler)
    case = s.case_resolve(case=case, by=handler, answer="Đã sửa.")
    stale = Case.objects.get(pk=case.pk)
    s.case_rate(case=case, rating=5)
    with pytest.raises(s.TransitionError):
        s.case_rate(case=stale, rating=1)
    assert Case.objects.get(pk=case.pk).rating == 5
    assert case.events.filter(action=Action.RATE).count() == 1
