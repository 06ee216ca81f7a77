"""Who handles a denunciation: designated by the head of the agency or by an officer the head
delegated in writing, never by the officer themselves; every designation audited."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from danvan.accounts.models import Membership, User
from danvan.accounts.roles import Role
from danvan.audit.models import AuditEntry
from danvan.cases import services as s
from danvan.cases.delegations import (
    DelegationRefused,
    Written,
    delegation_create,
    delegation_revoke,
    is_delegate,
)
from danvan.cases.models import CaseEvent, HandlingDelegation
from danvan.cases.workflow import Action

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)
WRITTEN = Written(document_number="12/GUQ-UBND", document_date=TODAY, valid_from=TODAY)


@pytest.fixture
def denunciation(submit):
    return submit(kind="denunciation", topic=None, name="Trần Văn Bình", phone="+84913000111",
                  email="binh@example.vn")  # fmt: skip


@pytest.fixture
def agency(denunciation):
    return denunciation.agency


@pytest.fixture
def second_officer(agency):
    """Another handling officer of the same agency."""
    user = User.objects.create_user(email="xuly2@demo.danvan.vn", full_name="Ngô Văn Sáu",
                                    password="x")  # fmt: skip
    Membership.objects.create(user=user, agency=agency, role="handling_officer",
                              started_on=date(2025, 7, 1))  # fmt: skip
    return user


def designations(case):
    return AuditEntry.objects.filter(action="case.designate_handler", object_id=str(case.pk))


def assert_unassigned(case):
    case.refresh_from_db()
    assert case.assignee_id is None
    assert not CaseEvent.objects.filter(case=case, action=Action.ASSIGN).exists()
    assert not designations(case).exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.RECEPTION_OFFICER, 403),
        (Role.HANDLING_OFFICER, 403),
        (Role.HEAD, 302),
        (Role.SUPERVISOR, 404),
        (Role.AUDITOR, 404),  # reads every letter, acts on none
        (Role.ADMINISTRATOR, 404),
    ],
)
def test_only_the_head_designates_a_denunciations_handler(
    denunciation, client_as, demo_user, role, status
):
    handler = demo_user(Role.HANDLING_OFFICER)
    response = client_as(role).post(
        f"/staff/cases/{denunciation.pk}/assign/", {"assignee": handler.pk}
    )
    assert response.status_code == status
    if status != 302:
        assert_unassigned(denunciation)
        return
    denunciation.refresh_from_db()
    assert denunciation.assignee == handler
    [entry] = designations(denunciation)
    assert (entry.actor_id, entry.changes) == (
        demo_user(Role.HEAD).pk,
        {"assignee": [None, handler.pk]},
    )
    assert CaseEvent.objects.filter(case=denunciation, action=Action.ASSIGN).count() == 1


def test_an_officer_never_makes_themselves_the_handler_nor_by_starting_the_work(
    denunciation, handler
):
    with pytest.raises(s.AssignmentRefused):
        s.case_assign(case=denunciation, by=handler, assignee=handler)
    assert_unassigned(denunciation)
    case = s.case_classify(case=denunciation, by=handler, kind="denunciation", topic=None)
    case = s.case_start(case=s.case_accept(case=case, by=handler), by=handler)
    assert (case.status, case.assignee_id) == ("in_progress", None)


def test_starting_an_unsealed_letter_still_makes_the_officer_its_handler(submit, handler):
    case = submit(kind="complaint")
    case = s.case_classify(case=case, by=handler, kind="complaint", topic=case.topic)
    case = s.case_accept(case=case, by=handler)
    assert s.case_start(case=case, by=handler).assignee == handler


def test_the_head_may_designate_themselves(denunciation, head):
    assert s.case_assign(case=denunciation, by=head, assignee=head).assignee == head
    assert designations(denunciation).count() == 1


def test_bulk_assignment_skips_the_denunciations_an_officer_may_not_designate(
    denunciation, submit, client_as, handler
):
    feedback = submit()
    response = client_as(Role.HANDLING_OFFICER).post(
        "/staff/cases/assign/", {"case": [denunciation.pk, feedback.pk], "assignee": handler.pk}
    )
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts[0] == "Đã giao 1 đơn."
    assert texts[1].startswith("1 đơn tố cáo không được phân công")
    feedback.refresh_from_db()
    assert feedback.assignee == handler
    assert_unassigned(denunciation)


# Written delegations ------------------------------------------------------------------------


def test_a_delegate_designates_others_but_never_themselves(
    denunciation, agency, head, handler, second_officer, client_as, demo_user
):
    reception = demo_user(Role.RECEPTION_OFFICER)
    delegation_create(head=head, agency=agency, delegate=reception, written=WRITTEN)
    client = client_as(Role.RECEPTION_OFFICER)
    url = f"/staff/cases/{denunciation.pk}/assign/"
    page = client.get(f"/staff/cases/{denunciation.pk}/").content.decode()
    [choices] = re.findall(r'<select name="assignee".*?</select>', page, re.DOTALL)
    assert f'value="{second_officer.pk}"' in choices
    assert f'value="{reception.pk}"' not in choices  # not offered to themselves
    response = client.post(url, {"assignee": reception.pk})
    assert response.status_code == 422
    assert_unassigned(denunciation)
    assert client.post(url, {"assignee": second_officer.pk}).status_code == 302
    denunciation.refresh_from_db()
    assert denunciation.assignee == second_officer
    [entry] = designations(denunciation)
    assert entry.actor_id == reception.pk


def test_a_delegation_lapses_when_revoked_expired_or_its_head_leaves(agency, head, handler):
    delegation = delegation_create(head=head, agency=agency, delegate=handler, written=WRITTEN)
    assert is_delegate(handler, agency.pk)
    HandlingDelegation.objects.filter(pk=delegation.pk).update(valid_until=TODAY - timedelta(days=1),
                                                               valid_from=TODAY - timedelta(days=30))  # fmt: skip
    assert not is_delegate(handler, agency.pk)
    HandlingDelegation.objects.filter(pk=delegation.pk).update(valid_until=None)
    assert is_delegate(handler, agency.pk)
    Membership.objects.filter(user=head, agency=agency, role="head").update(
        ended_on=TODAY - timedelta(days=1)
    )
    assert not is_delegate(handler, agency.pk)
    Membership.objects.filter(user=head, agency=agency, role="head").update(ended_on=None)
    delegation_revoke(delegation=delegation, by=head)
    assert not is_delegate(handler, agency.pk)
    assert list(AuditEntry.objects.filter(object_type="cases.handlingdelegation")
                .values_list("action", flat=True).order_by("seq")) == [
        "delegation.create", "delegation.revoke",
    ]  # fmt: skip


def test_only_the_head_delegates_and_only_to_an_officer_of_the_agency(
    agency, head, handler, demo_user
):
    auditor = demo_user(Role.AUDITOR)
    for by, to, code in [(handler, demo_user(Role.RECEPTION_OFFICER), "not_head"),
                         (head, auditor, "not_an_officer"), (head, head, "not_an_officer")]:  # fmt: skip
        with pytest.raises(DelegationRefused) as refused:
            delegation_create(head=by, agency=agency, delegate=to, written=WRITTEN)
        assert refused.value.code == code
    assert not HandlingDelegation.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), (Role.CITIZEN, 403), (Role.RECEPTION_OFFICER, 403),
     (Role.HANDLING_OFFICER, 403), (Role.HEAD, 200), (Role.SUPERVISOR, 403),
     (Role.AUDITOR, 403), (Role.ADMINISTRATOR, 403)],
)  # fmt: skip
def test_the_delegations_page_is_the_heads(client_as, role, status):
    assert client_as(role).get("/staff/delegations/").status_code == status


def test_the_head_records_and_revokes_a_delegation_on_the_page(client_as, head, handler, agency):
    client = client_as(Role.HEAD)
    data = {"agency": agency.pk, "delegate": handler.pk, "document_number": "12/GUQ-UBND",
            "document_date": "2026-11-20", "valid_from": "2026-11-23", "valid_until": ""}  # fmt: skip
    assert client.post("/staff/delegations/", {**data, "document_number": ""}).status_code == 422
    assert not HandlingDelegation.objects.exists()
    assert client.post("/staff/delegations/", data).status_code == 302
    delegation = HandlingDelegation.objects.get()
    assert (delegation.head, delegation.delegate, delegation.valid_until) == (head, handler, None)
    page = client.get("/staff/delegations/").content.decode()
    assert "12/GUQ-UBND" in page
    assert "Đang có hiệu lực" in page
    assert client.post(f"/staff/delegations/{delegation.pk}/revoke/").status_code == 302
    delegation.refresh_from_db()
    assert (delegation.revoked_by, delegation.revoked_at) == (head, timezone.now())
    assert not is_delegate(handler, agency.pk)
