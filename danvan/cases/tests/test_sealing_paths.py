"""Issue 16, second hostile review: sealing a letter after the fact (reclassification,
splitting) leaves no identity with someone the law does not entitle."""

from datetime import date

import pytest

from danvan.accounts.models import Membership, User
from danvan.audit.models import AuditEntry
from danvan.cases import services as s
from danvan.cases.delegations import Written, delegation_create
from danvan.cases.identity import IdentityHidden, entitled, identity_open
from danvan.cases.writes import attachments_add

pytestmark = pytest.mark.django_db

WRITTEN = Written(document_number="7/GUQ-UBND", document_date=date(2026, 1, 5),
                  valid_from=date(2026, 1, 5))  # fmt: skip


@pytest.fixture
def colleague(handler):
    """Another handling officer of the demo commune."""
    user = User.objects.create_user(email="xuly3@demo.danvan.vn", full_name="Vũ Văn Bảy",
                                    password="x")  # fmt: skip
    agency = handler.memberships.first().agency
    Membership.objects.create(user=user, agency=agency, role="handling_officer",
                              started_on=date(2025, 7, 1))  # fmt: skip
    return user


def _sealed(case, by):
    return s.case_classify(case=case, by=by, kind="denunciation", topic=None)


def test_sealing_clears_a_handler_who_picked_the_plain_letter_up_themselves(submit, handler):
    case = s.case_assign(case=submit(kind="complaint"), by=handler, assignee=handler)
    assert case.assignee == handler  # anyone acting on a plain letter may take it
    case = _sealed(case, handler)
    assert case.assignee_id is None
    assert not entitled(handler, case)
    with pytest.raises(IdentityHidden):
        identity_open(case=case, user=handler)
    [entry] = AuditEntry.objects.filter(action="case.handler_cleared", object_id=str(case.pk))
    assert entry.changes == {"assignee": [handler.pk, None]}


def test_sealing_clears_a_handler_a_colleague_assigned(submit, handler, colleague):
    case = s.case_assign(case=submit(), by=colleague, assignee=handler)
    assert _sealed(case, handler).assignee_id is None


def test_sealing_keeps_the_handler_the_head_designated(submit, handler, head):
    case = s.case_assign(case=submit(), by=head, assignee=handler)
    case = _sealed(case, handler)
    assert case.assignee == handler
    assert identity_open(case=case, user=handler)["name"] == "Nguyễn Văn An"
    assert not AuditEntry.objects.filter(action="case.handler_cleared").exists()


def test_sealing_keeps_the_handler_a_written_delegate_designated(submit, handler, head, colleague):
    delegation_create(head=head, agency=handler.memberships.first().agency, delegate=colleague,
                      written=WRITTEN)  # fmt: skip
    case = s.case_assign(case=submit(), by=colleague, assignee=handler)
    assert _sealed(case, handler).assignee == handler


def test_a_delegate_who_assigned_themselves_while_plain_loses_the_letter(submit, head, colleague):
    delegation_create(head=head, agency=colleague.memberships.first().agency,
                      delegate=colleague, written=WRITTEN)  # fmt: skip
    case = s.case_assign(case=submit(), by=colleague, assignee=colleague)
    assert _sealed(case, colleague).assignee_id is None


# Splitting a sealed letter ------------------------------------------------------------------

PART_TITLE = "Đề nghị của Nguyễn Văn An"
PART_TEXT = "Ông Nguyễn Văn An (0912 345 678, an@example.vn) đề nghị sửa đường thôn Đông."


def _written_plain(queries) -> list[str]:
    """The statements that carried the sender's name or contact in the clear."""
    return [q["sql"] for q in queries
            if any(secret in q["sql"] for secret in ("Nguyễn Văn An", "345 678", "an@example"))]  # fmt: skip


@pytest.mark.parametrize("kind", ["petition", "denunciation", "complaint"])
def test_a_part_of_a_sealed_letter_is_sealed_from_its_first_write(submit, handler, kind):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from danvan.cases.models import CaseFingerprint, DenouncerIdentity, IdentityLook
    from danvan.core import sealed
    from danvan.language.search import search

    origin = submit(kind="denunciation", topic=None, address="Số 5 phố Bãi Sậy")
    with CaptureQueriesContext(connection) as queries:
        part = s.case_split(case=origin, by=handler, kind=kind, title=PART_TITLE,
                            content=PART_TEXT)  # fmt: skip
    assert _written_plain(queries.captured_queries) == []
    part.refresh_from_db()
    assert (part.identity_sealed, part.submitter_name, part.submitter_phone) == (True, "", "")
    assert "Nguyễn Văn An" not in part.title + part.content
    assert search("Nguyễn Văn An", source="case", scope_ids=None) == []
    assert CaseFingerprint.objects.filter(case=part).exists()
    blob = sealed.open_json(bytes(DenouncerIdentity.objects.get(case=part).sealed))
    assert (blob["name"], blob["phone"], blob["address"], blob["title"]) == (
        "Nguyễn Văn An", "+84912345678", "Số 5 phố Bãi Sậy", PART_TITLE,
    )  # fmt: skip
    # The platform read the origin's sealed sender to seal the part: a logged look.
    assert IdentityLook.objects.filter(case=origin, user=None, what="split").count() == 1
    assert not entitled(handler, part)  # nobody designated yet, as for the origin


def test_a_part_of_a_sealed_letter_keeps_its_files_and_documents_sealed(submit, handler, head):
    from danvan.cases.tests.test_sealing import scan

    origin = submit(kind="denunciation", topic=None)
    part = s.case_split(case=origin, by=handler, kind="complaint", title="Khiếu nại",
                        content="Khiếu nại quyết định thu hồi đất.")  # fmt: skip
    [added] = attachments_add(part, [scan()], by=handler, source="officer")
    assert added.sealed
    part = s.case_classify(case=part, by=handler, kind="complaint", topic=None)
    part = s.case_accept(case=part, by=handler)
    notice = part.attachments.get(document_kind="acceptance_notice")
    assert notice.sealed


# A sealed letter's file names --------------------------------------------------------------


def test_a_sealed_files_name_is_shown_only_to_those_entitled(submit, head, handler, client_as):
    from danvan.accounts.roles import Role
    from danvan.cases.tests.test_sealing import scan

    named = scan("Don to cao - Nguyen Van An - 0912345678.jpg")
    case = submit(kind="denunciation", topic=None, files=[named])
    url = f"/staff/cases/{case.pk}/"
    for role in (Role.RECEPTION_OFFICER, Role.HANDLING_OFFICER, Role.HEAD):
        page = client_as(role).get(url).content.decode()
        assert "Nguyen Van An" not in page
        assert "0912345678" not in page
        assert "Tệp gửi kèm đơn" in page
    s.case_assign(case=case, by=head, assignee=handler)
    assert "Nguyen Van An" in client_as(Role.HANDLING_OFFICER).get(url).content.decode()


def test_a_storage_failure_logs_the_stored_name_not_the_senders(submit, full_disk, caplog):
    """A full disk while a denunciation's scan is written: the log line names the stored
    file, never the name the sender gave it (which names them)."""
    import logging

    from danvan.cases.tests.test_sealing import scan
    from danvan.core.storage import StorageUnavailable

    full_disk(True)
    with caplog.at_level(logging.ERROR), pytest.raises(StorageUnavailable) as failed:
        submit(kind="denunciation", topic=None, files=[scan("Don cua Nguyen Van An.jpg")])
    assert "the file storage refused attachment" in caplog.text
    assert "Nguyen Van An" not in caplog.text
    assert "Nguyen Van An" not in str(failed.value)
