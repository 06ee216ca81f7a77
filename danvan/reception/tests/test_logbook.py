"""The reception logbook: group rules, refusals, and each entry entering the case queue."""

import re
from datetime import date

import pytest
from django.urls import reverse

from danvan.accounts.roles import Role
from danvan.cases import timing
from danvan.cases.models import Case
from danvan.cases.tests.letters import submit_letter
from danvan.language.pii import SENDER_LABEL
from danvan.reception import services
from danvan.reception.models import ReceptionEntry
from danvan.reception.queries import LOG_PAGE_SIZE, logbook_page

from .conftest import said

pytestmark = pytest.mark.django_db
NEW = "/staff/reception/logbook/new/"


def entry_data(commune_committee, pho_hien, **overrides):
    data = {
        "form_token": "tok-1", "agency": commune_committee.pk, "session": "",
        "kind": "complaint", "content": "Khiếu nại quyết định thu hồi đất số 12/QĐ-UBND.",
        "unit": pho_hien.pk, "name": "Nguyễn Văn Bảo", "id_number": "034090001234",
        "address": "Tổ 3, phường Phố Hiến", "phone": "0912 000 111", "group_size": "1",
        "representatives": "", "earlier_handling": "", "route": "accept",
        "refusal_ground": "", "existing_case": "", "result": "", "notes": "",
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("size", "representatives", "ok"),
    [(1, 0, True), (4, 0, True), (5, 2, True), (5, 3, False), (10, 0, False), (11, 5, True),
     (11, 6, False), (50, 10, False), (50, 5, True)],
)  # fmt: skip
def test_group_representative_limits(size, representatives, ok):
    names = [f"Người {n}" for n in range(representatives)]
    if ok:
        services.check_group(size, names)
    else:
        with pytest.raises(services.ReceptionError):
            services.check_group(size, names)


def test_a_50_person_delegation_with_10_representatives_is_refused_and_nothing_changes(
    client_as, commune_committee, pho_hien
):
    reps = "\n".join(f"Người đại diện {n}" for n in range(10))
    data = entry_data(commune_committee, pho_hien, group_size="50", representatives=reps)
    response = client_as(Role.RECEPTION_OFFICER).post(NEW, data)
    assert response.status_code == 422
    message = ("A group of %(size)s people may appoint at most %(most)s representatives "
               "(Decree 124/2020, Art. 6); %(given)s were given.")  # fmt: skip
    assert said(message, size=50, most=5, given=10) in response.content.decode()
    assert ReceptionEntry.objects.count() == 0
    assert Case.objects.count() == 0


def test_an_entry_creates_a_complaint_case_with_its_deadline(
    client_as, commune_committee, pho_hien
):
    reps = "Nguyễn Văn Bảo\nLê Thị Hoa"
    data = entry_data(commune_committee, pho_hien, group_size="7", representatives=reps)
    response = client_as(Role.RECEPTION_OFFICER).post(NEW, data)
    assert response.status_code == 302
    entry = ReceptionEntry.objects.get()
    case = entry.case
    assert (case.kind, case.channel, case.people_count) == ("complaint", "reception", 7)
    assert case.process_rule == "KN-1"
    expected = timing.process_due(kind="complaint", received=date(2026, 11, 23))
    assert case.process_due == expected.due
    assert case.agency == commune_committee
    assert entry.representatives == ["Nguyễn Văn Bảo", "Lê Thị Hoa"]
    assert (entry.citizen_name, entry.id_number, entry.route) == (
        "Nguyễn Văn Bảo", "034090001234", "accept")  # fmt: skip
    # a double click records one entry and one case
    client_as(Role.RECEPTION_OFFICER).post(NEW, data)
    assert (ReceptionEntry.objects.count(), Case.objects.count()) == (1, 1)


def test_the_same_form_with_a_changed_entry_is_refused_then_recorded_as_new(
    client_as, commune_committee, pho_hien
):
    client = client_as(Role.RECEPTION_OFFICER)
    client.post(NEW, entry_data(commune_committee, pho_hien))
    case = Case.objects.get()
    changed = entry_data(commune_committee, pho_hien, notes="Công dân mang theo bản sao sổ đỏ.")
    response = client.post(NEW, changed)
    assert response.status_code == 422
    page = response.content.decode()
    link = f'<a href="/staff/cases/{case.pk}/">{case.tracking_code}</a>'
    assert f"Đơn này đã được gửi với mã tra cứu {link}." in page
    assert (ReceptionEntry.objects.count(), Case.objects.count()) == (1, 1)
    assert ReceptionEntry.objects.get().notes == ""
    fresh = re.search(r'name="send_as_new" value="([0-9a-f]{32})"', page).group(1)
    assert client.post(NEW, {**changed, "send_as_new": fresh}).status_code == 302
    assert (ReceptionEntry.objects.count(), Case.objects.count()) == (2, 2)
    assert ReceptionEntry.objects.latest("pk").notes == "Công dân mang theo bản sao sổ đỏ."


def test_a_denunciation_is_sealed_with_the_case_and_not_kept_in_the_logbook(
    client_as, commune_committee, pho_hien
):
    data = entry_data(commune_committee, pho_hien, kind="denunciation",
                      content="Ông Nguyễn Văn Bảo (0912 000 111) tố cáo cán bộ nhận tiền.",
                      notes="Gọi lại số 0912.000.111", result="Đã nhận đơn của Nguyễn Văn Bảo")  # fmt: skip
    assert client_as(Role.RECEPTION_OFFICER).post(NEW, data).status_code == 302
    entry = ReceptionEntry.objects.get()
    assert (entry.citizen_name, entry.id_number, entry.address) == ("", "", "")
    hidden = SENDER_LABEL
    assert (entry.content, entry.notes, entry.result) == (
        f"Ông {hidden} ({hidden}) tố cáo cán bộ nhận tiền.", f"Gọi lại số {hidden}",
        f"Đã nhận đơn của {hidden}",
    )  # fmt: skip
    assert entry.case.content == entry.content
    case = entry.case
    assert case.kind == "denunciation"
    assert case.process_rule == "TC-1"
    assert case.submitter_name == ""
    assert case.identity_sealed
    assert case.process_due == timing.process_due(kind="denunciation",
                                                     received=date(2026, 11, 23)).due  # fmt: skip


def test_an_entry_links_an_existing_case_of_the_agency(client_as, commune_committee, pho_hien):
    case = submit_letter(kind="feedback", title="Đèn đường", content="Đèn đường hỏng.",
                       unit=pho_hien, name="Nguyễn Văn An", phone="+84912345678")  # fmt: skip
    assert case.agency == commune_committee
    data = entry_data(commune_committee, pho_hien, kind="feedback", name="", unit="",
                      existing_case=case.tracking_code.replace("-", "").lower())  # fmt: skip
    assert client_as(Role.RECEPTION_OFFICER).post(NEW, data).status_code == 302
    assert ReceptionEntry.objects.get().case == case
    assert Case.objects.count() == 1


def test_a_case_of_another_agency_cannot_be_linked(client_as, commune_committee, pho_hien):
    other = pho_hien.parent.children.exclude(pk=pho_hien.pk).filter(valid_until=None).first()
    case = submit_letter(kind="feedback", title="Đèn", content="Đèn hỏng.", unit=other,
                       name="An", phone="+84912345678")  # fmt: skip
    data = entry_data(commune_committee, pho_hien, existing_case=case.tracking_code)
    response = client_as(Role.RECEPTION_OFFICER).post(NEW, data)
    assert response.status_code == 422
    assert said("No letter of your agency has this tracking code.") in response.content.decode()
    assert ReceptionEntry.objects.count() == 0


def test_a_refusal_needs_a_legal_ground_and_an_explanation(client_as, commune_committee, pho_hien):
    client = client_as(Role.RECEPTION_OFFICER)
    bad = client.post(NEW, entry_data(commune_committee, pho_hien, route="refused"))
    assert bad.status_code == 422
    page = bad.content.decode()
    assert said("Choose the ground for refusal in the law.") in page
    assert said("Explain to the citizen why they were refused.") in page
    good = entry_data(commune_committee, pho_hien, route="refused", refusal_ground="misconduct",
                      result="Công dân có lời lẽ xúc phạm cán bộ tiếp dân.")  # fmt: skip
    assert client.post(NEW, good).status_code == 302
    entry = ReceptionEntry.objects.get()
    assert (entry.route, entry.refusal_ground, entry.case) == ("refused", "misconduct", None)
    assert Case.objects.count() == 0


def test_the_logbook_is_key_paginated_in_a_fixed_number_of_queries(
    client_as, commune_committee, pho_hien, demo_user, django_assert_num_queries
):
    officer = demo_user(Role.RECEPTION_OFFICER)
    for n in range(LOG_PAGE_SIZE + 5):
        services.entry_record(
            agency=commune_committee, by=officer, unit=pho_hien, route="accept",
            visitor=services.Visitor(kind="feedback", content=f"Phản ánh số {n}", name="Bảo"),
        )  # fmt: skip
    client = client_as(Role.RECEPTION_OFFICER)
    client.get("/staff/reception/logbook/")  # warm the session
    with django_assert_num_queries(5):  # session, user, 2FA device, memberships, entries
        page = client.get("/staff/reception/logbook/")
    assert page.content.decode().count("Phản ánh số") == LOG_PAGE_SIZE
    first = logbook_page(agency_ids=[commune_committee.pk])
    second = logbook_page(agency_ids=[commune_committee.pk], after=first.next_key)
    assert len(second.entries) == 5
    assert second.next_key is None
    assert {e.pk for e in first.entries}.isdisjoint(e.pk for e in second.entries)


class TestConclusionNotice:
    def _held_session(self, head, *, conclusion, leader=None):
        from danvan.reception.models import ReceptionSession, SessionKind, SessionStatus

        agency = head.memberships.filter(role="head").first().agency
        return ReceptionSession.objects.create(
            agency=agency, leader=leader or head, held_on=date(2026, 11, 20), place="Trụ sở UBND",
            kind=SessionKind.AD_HOC, status=SessionStatus.HELD, conclusion=conclusion,
        )  # fmt: skip

    def test_a_session_the_head_chaired_gets_its_numbered_notice(self, demo_user, client_as):
        from io import BytesIO

        from docx import Document

        head = demo_user(Role.HEAD)
        session = self._held_session(head, conclusion="Giao Công an phường kiểm tra trong 10 ngày.")
        url = reverse("reception:conclusion-notice", args=[session.pk])
        response = client_as(Role.RECEPTION_OFFICER).get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        text = "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)
        assert "Giao Công an phường kiểm tra trong 10 ngày." in text
        assert "20/11/2026" in text
        assert head.full_name in text

    def test_no_notice_without_conclusions_or_a_head_in_the_chair(self, demo_user, client_as):
        officer = client_as(Role.RECEPTION_OFFICER)
        cases = [
            (self._held_session(demo_user(Role.HEAD), conclusion=""),
             "Record the session as held, with its conclusions, first."),
            (self._held_session(demo_user(Role.HEAD), conclusion="Giao kiểm tra.", leader=demo_user(Role.HANDLING_OFFICER)),
             "Only a session chaired by the head of the agency has a conclusion notice."),
        ]  # fmt: skip
        for session, reason in cases:
            url = reverse("reception:conclusion-notice", args=[session.pk])
            response = officer.get(url, follow=True)
            assert response.redirect_chain[-1][0].endswith(f"?day={session.held_on.isoformat()}")
            assert said(reason) in response.content.decode()
            assert client_as(Role.CITIZEN).get(url).status_code == 404  # not their logbook
