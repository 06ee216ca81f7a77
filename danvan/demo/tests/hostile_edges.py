"""The web forms of the platform as a person reaches them, for the hostile-input test.

Each `Edge` names a form class, who posts it, where, and what a valid post carries; the test
replaces one text field at a time with hostile text. A form that comes after a step of a flow
(a sign-up's codes, a password reset's code, the second factor after the password) is posted
from a session that went through the steps before it, as the person's would. `WEB_EDGES` must
name every form class the URL conf serves (a test holds it), so a new form cannot escape the
fuzzing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django import forms
from django.test import Client, TestCase
from django.utils import timezone

from danvan.accounts import enrolment
from danvan.accounts import forms as account_forms
from danvan.accounts.models import Membership, User
from danvan.accounts.roles import Role
from danvan.accounts.tests.support import last_mail_code, last_sms_code
from danvan.cases import forms as case_forms
from danvan.cases import services as case_services
from danvan.cases.models import Case, Topic
from danvan.cases.tests.letters import submit_letter
from danvan.cases.views_delegations import DelegationForm
from danvan.cases.views_retention import RetentionDecisionForm
from danvan.demo.dialogues import DEMO_TITLE_HELD, DEMO_TITLE_OPEN, demo_dialogues_load
from danvan.demo.evaluation import demo_criteria_set
from danvan.demo.reception import demo_reception_load
from danvan.dialogues import forms as dialogue_forms
from danvan.dialogues.models import Commitment, CommitmentStatus, Dialogue
from danvan.evaluation import forms as evaluation_forms
from danvan.evaluation.services import RoundPlan, round_open, round_start_review
from danvan.insights import forms as insights_forms
from danvan.places.models import Agency, Unit
from danvan.privacy.forms import DataRequestForm
from danvan.reception import forms as reception_forms
from danvan.reception.models import ReceptionSession
from danvan.rulebook.store import current_calendar

DEMO_PASSWORD = "Demo-Password-2026"  # conftest.DEMO_PASSWORD
OWNER = "owner"  # an official of the agency that keeps a dialogue's promises
UNVERIFIED = "unverified"  # a handling officer signed in with the password only


@dataclass
class World:
    """What the forms act on, made once per test."""

    unit: Unit
    agency: Agency
    other_agency: Agency
    topic: Topic
    cases: dict[str, Case]
    users: dict[Role, User]
    owner: User
    upcoming_session: ReceptionSession
    past_session: ReceptionSession
    open_dialogue: Dialogue
    held_dialogue: Dialogue
    commitment: Commitment
    extra: dict[str, Any] = field(default_factory=dict)


def world_make(users: dict[Role, User]) -> World:
    unit = Unit.objects.get(level="commune", code="11953", valid_until=None)
    agency = Agency.objects.get(code="ubnd-c11953")
    topic = Topic.objects.get(code="ha-tang")
    handler = users[Role.HANDLING_OFFICER]
    cases = {status: _letter(unit, topic) for status in ("received", "classified", "handling")}
    cases["resolved"] = _letter(unit, topic)
    cases["archived"] = _letter(unit, topic)
    for name in ("classified", "handling", "resolved"):
        case_services.case_classify(case=cases[name], by=handler, kind="feedback", topic=topic)
    for name in ("handling", "resolved"):
        case_services.case_accept(case=cases[name], by=handler)
        case_services.case_start(case=cases[name], by=handler)
    case_services.case_resolve(case=cases["resolved"], by=handler, answer="Đã sửa đèn.")
    Case.objects.filter(pk=cases["archived"].pk).update(
        archived_at=timezone.now() - timedelta(days=4000), retain_until=date(2026, 1, 1)
    )
    demo_reception_load(months_ahead=1, entries=False)
    demo_dialogues_load()
    sessions = ReceptionSession.objects.filter(agency=agency).order_by("held_on")
    owner_agency = Agency.objects.get(code="hy-so-xd")
    return World(
        unit=unit, agency=agency, topic=topic, cases=cases, users=users,
        other_agency=owner_agency,
        owner=_official(owner_agency, "xd@example.vn", "Ngô Văn Xây", password="x"),
        upcoming_session=sessions.filter(held_on__gt=timezone.localdate()).first(),  # type: ignore[arg-type]
        past_session=sessions.filter(held_on__lte=timezone.localdate()).last(),  # type: ignore[arg-type]
        open_dialogue=Dialogue.objects.get(title=DEMO_TITLE_OPEN),
        held_dialogue=Dialogue.objects.get(title=DEMO_TITLE_HELD),
        commitment=Commitment.objects.exclude(status=CommitmentStatus.DONE).get(),
    )  # fmt: skip


def _letter(unit: Unit, topic: Topic) -> Case:
    return submit_letter(
        kind="feedback", title="Đèn đường hỏng", unit=unit, topic=topic,
        content="Đèn đường trước nhà số 12 phố Nguyễn Văn Linh hỏng hai tuần nay.",
        name="Nguyễn Văn An", phone="+84912345678", email="an@example.vn",
    )  # fmt: skip


def _official(agency: Agency, email: str, name: str, password: str = DEMO_PASSWORD) -> User:
    """A handling officer of `agency` with no two-step device yet."""
    user = User.objects.create_user(email=email, password=password, full_name=name)
    Membership.objects.create(
        user=user, agency=agency, role=Role.HANDLING_OFFICER, started_on=date(2025, 7, 1)
    )
    return user


@dataclass(frozen=True)
class Edge:
    """One form, posted by `role` to `url(world)` with `data(world)`, which is valid: it
    answers `success`; a refused field answers `invalid` and shows its message."""

    form: type[forms.BaseForm]
    role: Role | str | None
    url: Callable[[World], str]
    data: Callable[[World], dict[str, Any]]
    success: int = 302
    invalid: int = 422
    method: str = "post"
    follow: bool = False  # the view redirects and tells the problem on the next page
    # What the person did before reaching the form, on the client: the session's step in a
    # flow (a sign-up waiting for its codes, a password step before the second factor).
    before: Callable[[Client, World], None] | None = None
    form_kwargs: dict[str, Any] = field(default_factory=dict)  # the view's, when it adds fields


def _letter_data(w: World) -> dict[str, str]:
    return {
        "kind": "feedback", "unit": str(w.unit.pk), "topic": str(w.topic.pk),
        "title": "Rác thải ùn ứ", "content": "Rác không được thu gom ba ngày nay ở tổ dân phố 5.",
        "place": "Ngõ 12", "name": "Nguyễn Thị Lan", "phone": "0987 123 456",
        "email": "lan@example.vn", "address": "Tổ 5", "id_number": "", "form_token": "tok-fuzz",
    }  # fmt: skip


def _act(case: str, action: str) -> Callable[[World], str]:
    return lambda w: f"/staff/cases/{w.cases[case].pk}/{action}/"


def _entry_data(w: World) -> dict[str, str]:
    return {
        "form_token": "tok-fuzz", "agency": str(w.agency.pk), "session": "",
        "kind": "complaint", "content": "Khiếu nại quyết định thu hồi đất số 12/QĐ-UBND.",
        "unit": str(w.unit.pk), "name": "Nguyễn Văn Bảo", "id_number": "034090001234",
        "address": "Tổ 3, phường Phố Hiến", "phone": "0912 000 111", "group_size": "1",
        "representatives": "Nguyễn Văn Bảo", "earlier_handling": "UBND phường",
        "route": "accept", "refusal_ground": "", "existing_case": "", "result": "Đã nhận đơn.",
        "notes": "Mang theo bản sao quyết định.",
    }  # fmt: skip


def _reception(w: World, **data: str) -> dict[str, str]:
    head = w.users[Role.HEAD]
    return {"agency": str(w.agency.pk), "leader": str(head.pk), **data}


def _dialogue_data(w: World) -> dict[str, str]:
    return {
        "title": "Đối thoại về rác thải", "organiser": str(w.agency.pk),
        "chair": str(w.users[Role.HEAD].pk), "audience": "Hộ dân tổ 5",
        "issue_group": "Thu gom rác", "day": "2026-12-20", "time": "08:00",
        "place": "Nhà văn hóa tổ 5", "online_link": "https://hop.hungyen.gov.vn/doi-thoai",
        "invitations": "Tổ trưởng tổ 5\nCông ty môi trường", "description": "Lắng nghe ý kiến.",
    }  # fmt: skip


def _minutes_data(w: World) -> dict[str, str]:
    return {
        "question": "", "question_text": "Khi nào sửa cống?", "answer": "Trong tháng 12.",
        "answered_by": str(w.users[Role.HEAD].pk), "agency": str(w.agency.pk), "promises": "on",
        "commitment": "Sửa cống tổ 3", "owner": str(w.other_agency.pk), "due_on": "2026-12-31",
        "case_code": "",
    }  # fmt: skip


def _questions(w: World) -> list[int]:
    return list(w.open_dialogue.questions.order_by("pk").values_list("pk", flat=True))


# --- the steps before a form: sign-up and password reset by a code, the second factor ---------

LOGIN, RESET = "/accounts/login/", "/accounts/password-reset/"
SIGNUP_PHONE, SIGNUP_EMAIL = "+84987654321", "hoa@example.vn"
NEW_PASSWORD = "Sông-Hồng-chảy-mãi-2027"


def _sent(client: Client, url: str, data: dict[str, str]) -> str:
    """Post as the person does, with what the request queued after commit (the codes it
    sends) done; where the answer redirects."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, f"{url} answered {response.status_code}"
    return str(response.url)


def _signed_up(client: Client, w: World) -> None:
    """A sign-up waiting for the codes sent to its phone and e-mail address."""
    data = {"full_name": "Phan Thị Hoa", "email": SIGNUP_EMAIL, "phone": "0987 654 321",
            "password1": "Hoa-sen-trong-ao-2026", "password2": "Hoa-sen-trong-ao-2026",
            "consent": "on"}  # fmt: skip
    assert _sent(client, "/accounts/signup/", data) == "/accounts/signup/confirm/"
    w.extra["signup"] = {
        "phone": last_sms_code(SIGNUP_PHONE),
        "email": last_mail_code(SIGNUP_EMAIL),
    }


def _reset_asked(role: Role) -> Callable[[Client, World], None]:
    """'Forgot password' asked for the account of `role` by its e-mail; the code received."""

    def step(client: Client, w: World) -> None:
        email = str(w.users[role].email)
        assert _sent(client, RESET, {"login": email}) == RESET + "code/"
        w.extra[f"reset {role}"] = last_mail_code(email)

    return step


def _reset_passed(client: Client, w: World) -> None:
    """The code of a password reset entered: a new password is next."""
    _reset_asked(Role.AUDITOR)(client, w)
    code = w.extra[f"reset {Role.AUDITOR}"]
    assert _sent(client, RESET + "code/", {"code": code}) == RESET + "new/"


def _password_step(client: Client, user: User) -> str:
    return _sent(client, LOGIN, {"username": str(user.email), "password": DEMO_PASSWORD})


def _enrolling(client: Client, w: World) -> None:
    """An official with no device, past the password step, holding the enrolment code an
    administrator issued."""
    user = _official(w.agency, "moi@example.vn", "Mai Văn Mới")
    w.extra["enrolment"] = enrolment.enrolment_code_issue(
        user=user, by=w.users[Role.ADMINISTRATOR]
    ).code
    assert _password_step(client, user).startswith("/accounts/two-factor/enrol/?")


def _recovering(client: Client, w: World) -> None:
    """The handling officer, past the password step, with a recovery code for a lost phone."""
    handler = w.users[Role.HANDLING_OFFICER]
    w.extra["recovery"] = enrolment.recovery_codes_create(user=handler)[0]
    assert _password_step(client, handler).startswith("/accounts/two-factor/?")


def _delegation_data(w: World) -> dict[str, str]:
    return {
        "agency": str(w.agency.pk), "delegate": str(w.users[Role.HANDLING_OFFICER].pk),
        "document_number": "12/GUQ-UBND", "document_date": "2026-11-20",
        "valid_from": "2026-11-23", "valid_until": "",
    }  # fmt: skip


WEB_EDGES: list[Edge] = [
    Edge(case_forms.SubmitForm, None, lambda w: "/gui-don/", _letter_data),
    Edge(case_forms.IntakeForm, Role.RECEPTION_OFFICER, lambda w: "/staff/cases/new/",
         lambda w: {**_letter_data(w), "channel": "paper", "received_on": "2026-11-20",
                    "people_count": "1"}),
    Edge(case_forms.SplitForm, Role.HANDLING_OFFICER, _act("received", "split"),
         lambda w: {"kind": "petition", "topic": "", "title": "Cột đèn số 3",
                    "content": "Cột đèn số 3 bị nghiêng."}),
    Edge(case_forms.ClassifyForm, Role.HANDLING_OFFICER, _act("received", "classify"),
         lambda w: {"kind": "feedback", "topic": str(w.topic.pk), "note": "Đúng lĩnh vực."}),
    Edge(case_forms.AcceptForm, Role.HANDLING_OFFICER, _act("classified", "accept"),
         lambda w: {"note": "Thụ lý."}),
    Edge(case_forms.NoteForm, Role.HANDLING_OFFICER, _act("resolved", "close"),
         lambda w: {"note": "Kết thúc."}),
    Edge(case_forms.DeclineForm, Role.HANDLING_OFFICER, _act("received", "decline"),
         lambda w: {"reason": "duplicate", "note": "Trùng đơn đã nhận."}),
    Edge(case_forms.ForwardForm, Role.HANDLING_OFFICER, _act("received", "forward"),
         lambda w: {"agency": str(w.other_agency.pk), "note": "Thuộc thẩm quyền của Sở."}),
    Edge(case_forms.RequiredNoteForm, Role.HANDLING_OFFICER, _act("received", "guide"),
         lambda w: {"note": "Hướng dẫn gửi Sở Xây dựng."}),
    Edge(case_forms.ExtendForm, Role.HANDLING_OFFICER, _act("handling", "extend"),
         lambda w: {"variant": "", "note": "Cần xác minh thêm."}),
    Edge(case_forms.ResolveForm, Role.HANDLING_OFFICER, _act("handling", "resolve"),
         lambda w: {"answer": "Đã thay bóng đèn."}),
    Edge(case_forms.RateForm, None, lambda w: f"/tra-cuu/{w.cases['resolved'].tracking_code}/",
         lambda w: {"rating": "5", "comment": "Cảm ơn phường."}, invalid=200),
    Edge(case_forms.TrackForm, None, lambda w: "/tra-cuu/",
         lambda w: {"code": w.cases["received"].tracking_code}, invalid=404, method="get"),
    Edge(RetentionDecisionForm, Role.HEAD, lambda w: "/staff/retention/",
         lambda w: {"cases": str(w.cases["archived"].pk), "decision": "keep",
                    "reason": "Còn tranh chấp."}),
    Edge(reception_forms.EntryForm, Role.RECEPTION_OFFICER,
         lambda w: "/staff/reception/logbook/new/", _entry_data),
    Edge(reception_forms.BookingForm, None,
         lambda w: f"/lich-tiep-cong-dan/{w.upcoming_session.pk}/dat-lich/",
         lambda w: {"name": "Nguyễn Văn Tư", "phone": "0912 000 222",
                    "matter": "Tranh chấp ranh giới đất."}),
    Edge(reception_forms.SessionStatusForm, Role.RECEPTION_OFFICER,
         lambda w: f"/staff/reception/sessions/{w.past_session.pk}/status/",
         lambda w: {"status": "held", "conclusion": "Giao phòng Kinh tế kiểm tra."},
         success=200, invalid=200, follow=True),
    Edge(reception_forms.ScheduleForm, Role.RECEPTION_OFFICER,
         lambda w: "/staff/reception/schedules/new/",
         lambda w: _reception(w, leader_role="commune_chair", frequency="weekly", weekday="2",
                              day_of_month="", roll_forward="on", place="Trụ sở UBND",
                              starts_on="2026-12-01", ends_on="")),
    Edge(reception_forms.LeaveForm, Role.RECEPTION_OFFICER, lambda w: "/staff/reception/leave/new/",
         lambda w: _reception(w, starts_on="2026-12-01", ends_on="2026-12-03", deputy="",
                              reason="Đi công tác.")),
    Edge(reception_forms.AdHocSessionForm, Role.RECEPTION_OFFICER,
         lambda w: "/staff/reception/sessions/new/",
         lambda w: _reception(w, held_on="2026-12-02", place="Nhà văn hóa tổ 3",
                              capacity="10")),
    Edge(dialogue_forms.QuestionForm, None, lambda w: f"/doi-thoai/{w.open_dialogue.pk}/",
         lambda w: {"text": "Khi nào có nhà ở xã hội?", "name": "Lê Văn Tám",
                    "contact": "0912 000 333"}),
    Edge(dialogue_forms.DialogueForm, Role.RECEPTION_OFFICER, lambda w: "/staff/dialogues/new/",
         _dialogue_data),
    Edge(dialogue_forms.HideForm, Role.RECEPTION_OFFICER,
         lambda w: f"/staff/dialogues/{w.open_dialogue.pk}/questions/{_questions(w)[0]}/hide/",
         lambda w: {"reason": "Lời lẽ xúc phạm."}),
    Edge(dialogue_forms.GroupForm, Role.RECEPTION_OFFICER,
         lambda w: f"/staff/dialogues/{w.open_dialogue.pk}/groups/",
         lambda w: {"title": "Nhà ở xã hội", "questions": [str(q) for q in _questions(w)[:2]]}),
    Edge(dialogue_forms.MinutesForm, Role.RECEPTION_OFFICER,
         lambda w: f"/staff/dialogues/{w.held_dialogue.pk}/minutes/", _minutes_data),
    Edge(dialogue_forms.ProgressForm, OWNER, lambda w: f"/staff/commitments/{w.commitment.pk}/",
         lambda w: {"text": "Đã khảo sát hiện trường.",
                    "document_link": "https://hungyen.gov.vn/bien-ban"}),
    Edge(DataRequestForm, Role.CITIZEN, lambda w: "/accounts/my-data/requests/",
         lambda w: {"kind": "correction", "details": "Sửa địa chỉ trong đơn HY-2026."}),
    Edge(account_forms.LoginForm, None, lambda w: "/accounts/login/",
         lambda w: {"username": "0912345678", "password": DEMO_PASSWORD}, invalid=200),
    Edge(account_forms.SignupForm, None, lambda w: "/accounts/signup/",
         lambda w: {"full_name": "Đinh Thị Mai", "email": "mai@example.vn", "phone": "",
                    "password1": "Mật-khẩu-dài-2026", "password2": "Mật-khẩu-dài-2026",
                    "consent": "on"}),
    Edge(account_forms.TwoFactorCodeForm, UNVERIFIED, lambda w: "/accounts/two-factor/",
         lambda w: {"code": w.extra["totp"]}),
    Edge(account_forms.RecoveryCodeForm, None, lambda w: "/accounts/two-factor/recovery/",
         lambda w: {"code": w.extra["recovery"]}, before=_recovering),
    Edge(account_forms.EnrolmentCodeForm, None, lambda w: "/accounts/two-factor/enrol/",
         lambda w: {"code": w.extra["enrolment"]}, before=_enrolling),
    Edge(account_forms.SignupConfirmForm, None, lambda w: "/accounts/signup/confirm/",
         lambda w: w.extra["signup"], before=_signed_up,
         form_kwargs={"channels": ["phone", "email"]}),
    Edge(account_forms.PasswordResetRequestForm, None, lambda w: RESET,
         lambda w: {"login": "0912 345 678"}),
    Edge(account_forms.ContactCodeForm, None, lambda w: RESET + "code/",
         lambda w: {"code": w.extra[f"reset {Role.SUPERVISOR}"]},
         before=_reset_asked(Role.SUPERVISOR)),
    Edge(account_forms.NewPasswordForm, None, lambda w: RESET + "new/",
         lambda w: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
         before=_reset_passed),
    Edge(DelegationForm, Role.HEAD, lambda w: "/staff/delegations/", _delegation_data),
]  # fmt: skip

# --- the evaluation's forms (issue 19) ----------------------------------------------------------
# Two rounds of the example set scoring the world's commune, made the first time an edge needs
# them: this year's taking self-assessments (its head scores a line), last year's in review
# (the supervisor scores a line with a reason, decides eligibility). Opening a round and
# naming the officer who self-assesses have no text field (NO_TEXT).


def _evaluation(w: World) -> dict[str, Any]:
    if "evaluation" not in w.extra:
        supervisor, criteria_set = w.users[Role.SUPERVISOR], demo_criteria_set()
        self_due, review_due = _evaluation_days()
        rounds = {
            year: round_open(plan=RoundPlan(year=year, criteria_set=criteria_set,
                                            agencies=[w.agency], self_due=self_due,
                                            review_due=review_due), by=supervisor)
            for year in (2025, 2026)
        }  # fmt: skip
        round_start_review(round_=rounds[2025], by=supervisor)
        w.extra["evaluation"] = {
            "line": criteria_set.criteria.get(code="1.1"),
            "self": rounds[2026].assessments.get(), "review": rounds[2025].assessments.get(),
        }  # fmt: skip
    made: dict[str, Any] = w.extra["evaluation"]
    return made


def _evaluation_days() -> tuple[date, date]:
    calendar = current_calendar()
    self_due = calendar.next_working_day(timezone.localdate() + timedelta(days=14))
    review_due = calendar.next_working_day(self_due + timedelta(days=14))
    return self_due, review_due


def _assessment(stage: str, action: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        evaluation = _evaluation(w)
        line = f"lines/{evaluation['line'].pk}/" if action in ("self", "review") else ""
        return f"/staff/evaluation/assessments/{evaluation[stage].pk}/{line}{action}/"

    return url


WEB_EDGES += [
    Edge(evaluation_forms.SelfScoreForm, Role.HEAD, _assessment("self", "self"),
         lambda w: {"points": "4,5", "note": "Kế hoạch số 12/KH-UBND ngày 10/01/2026.",
                    "links": f"/doi-thoai/{w.held_dialogue.pk}/\n/doi-thoai/"}),
    Edge(evaluation_forms.ReviewScoreForm, Role.SUPERVISOR, _assessment("review", "review"),
         lambda w: {"points": "3", "reason": "Kế hoạch ban hành muộn so với hướng dẫn."}),
    Edge(evaluation_forms.EligibilityForm, Role.SUPERVISOR, _assessment("review", "eligibility"),
         lambda w: {"eligible": "no", "disqualifier": "",
                    "reason": "Người đứng đầu bị kỷ luật khiển trách trong năm."}),
]  # fmt: skip

# Forms with no text field (nothing to fuzz), and the forms the API and admin tests post.
NO_TEXT = {case_forms.AssignForm, case_forms.ImportForm, evaluation_forms.RoundForm,
           evaluation_forms.AssessorForm, insights_forms.FiltersForm}  # fmt: skip
