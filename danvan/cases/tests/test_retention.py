"""Archived letters (TT 05/2021 Art. 28): kept for DON-4's period, then the head decides."""

import io
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from danvan.accounts.roles import Role
from danvan.audit.models import AuditEntry
from danvan.audit.services import verify_chain
from danvan.cases import services as s
from danvan.cases.models import Attachment, Case, CaseEvent, DenouncerIdentity
from danvan.cases.retention import RetentionRefused, case_destroy, case_retain, retention_due
from danvan.core.uploads import check_upload
from danvan.rulebook.store import legal_rulebook

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def scan():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    return check_upload("don.jpg", buffer.getvalue())


def _archived(submit, handler, *, days_ago, **overrides):
    case = submit(files=[scan()], **overrides)
    case = s.case_decline(case=case, by=handler, reason="not_eligible", note="Thiếu chữ ký")
    archived = timezone.now() - timedelta(days=days_ago)
    period = legal_rulebook().rule("DON-4", on=TODAY).days or 0
    Case.objects.filter(pk=case.pk).update(
        archived_at=archived, retain_until=timezone.localdate(archived) + timedelta(days=period)
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def head(demo_user):
    return demo_user(Role.HEAD)


def test_declining_archives_the_letter_for_the_period_of_rule_don_4(submit, handler):
    case = s.case_decline(case=submit(), by=handler, reason="already_decided", note="Đã có QĐ")
    assert case.archived_at == timezone.now()
    days = legal_rulebook().rule("DON-4", on=TODAY).days or 0
    assert case.retain_until == TODAY + timedelta(days=days)
    assert case.retain_until == date(2027, 11, 23)


def test_only_letters_past_their_period_are_due(submit, handler, head):
    due = _archived(submit, handler, days_ago=400)
    running = _archived(submit, handler, days_ago=100)
    open_letter = submit()
    listed = list(retention_due(agency_ids={due.agency_id}))
    assert due in listed
    assert running not in listed
    assert open_letter not in listed
    out = StringIO()
    call_command("sweep_retention", stdout=out)
    assert "due=" in out.getvalue().splitlines()[-1]


def test_never_destroyed_before_the_period_ends_or_when_not_archived(submit, handler, head):
    running = _archived(submit, handler, days_ago=100)
    with pytest.raises(RetentionRefused) as refused:
        case_destroy(case=running, by=head)
    assert refused.value.code == "period_running"
    with pytest.raises(RetentionRefused) as refused:
        case_destroy(case=submit(), by=head)
    assert refused.value.code == "not_archived"
    running.refresh_from_db()
    assert running.content
    assert running.destroyed_at is None


def test_only_the_head_of_the_agency_decides(submit, handler):
    due = _archived(submit, handler, days_ago=400)
    with pytest.raises(RetentionRefused) as refused:
        case_destroy(case=due, by=handler)
    assert refused.value.code == "not_head"


def test_destroying_erases_content_personal_data_and_files_but_keeps_the_record(
    submit, handler, head, django_capture_on_commit_callbacks
):
    case = _archived(submit, handler, days_ago=400)
    names = list(Attachment.objects.filter(case=case).values_list("file", flat=True))
    assert names
    assert all(default_storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        case = case_destroy(case=case, by=head, note="Hết thời hạn lưu")
    assert case.destroyed_at == timezone.now()
    assert (case.title, case.content, case.submitter_name, case.submitter_phone) == ("", "", "", "")
    assert case.citizen_id is None
    assert not Attachment.objects.filter(case=case).exists()
    assert not any(default_storage.exists(n) for n in names)
    assert case.tracking_code
    assert case.kind == "feedback"
    assert case.agency_id
    assert case.topic_id
    assert case.received_at
    assert not CaseEvent.objects.filter(case=case).exclude(note="").exists()
    entry = AuditEntry.objects.filter(action="case.destroy", object_id=str(case.pk)).get()
    assert entry.actor_id == head.pk
    assert entry.note == "Hết thời hạn lưu"
    assert verify_chain()[1] == []
    with pytest.raises(RetentionRefused):
        case_destroy(case=case, by=head)


def test_destroying_a_denunciation_erases_its_sealed_identity(submit, handler, head):
    case = _archived(submit, handler, days_ago=400, kind="denunciation", topic=None,
                     id_number="033090001234")  # fmt: skip
    assert DenouncerIdentity.objects.filter(case=case).exists()
    case_destroy(case=case, by=head)
    assert not DenouncerIdentity.objects.filter(case=case).exists()


def test_keeping_needs_a_reason_and_starts_a_new_period(submit, handler, head):
    case = _archived(submit, handler, days_ago=400)
    with pytest.raises(ValueError, match="reason"):
        case_retain(case=case, by=head, reason=" ")
    case = case_retain(case=case, by=head, reason="Đang có vụ việc liên quan")
    assert case.retain_until == date(2027, 11, 23)
    assert case not in retention_due(agency_ids={case.agency_id})
    entry = AuditEntry.objects.filter(action="case.retain", object_id=str(case.pk)).get()
    assert entry.note == "Đang có vụ việc liên quan"


def test_the_tracking_page_says_the_letter_was_destroyed(submit, handler, head, client):
    case = _archived(submit, handler, days_ago=400)
    case_destroy(case=case, by=head)
    page = client.get(f"/tra-cuu/{case.tracking_code}/").content.decode()
    assert "Đèn đường" not in page
    assert "23/11/2026" in page
    assert "05/2021" in page


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), (Role.CITIZEN, 403), (Role.RECEPTION_OFFICER, 403),
     (Role.HANDLING_OFFICER, 403), (Role.HEAD, 200), (Role.SUPERVISOR, 403),
     (Role.AUDITOR, 403), (Role.ADMINISTRATOR, 403)],
)  # fmt: skip
def test_the_retention_page_is_for_heads_only(client_as, role, status):
    assert client_as(role).get("/staff/retention/").status_code == status


def test_the_head_decides_in_bulk_and_bad_input_changes_nothing(submit, handler, client_as):
    first = _archived(submit, handler, days_ago=400)
    second = _archived(submit, handler, days_ago=380)
    running = _archived(submit, handler, days_ago=10)
    page = client_as(Role.HEAD)
    listing = page.get("/staff/retention/").content.decode()
    assert first.tracking_code in listing
    assert running.tracking_code not in listing

    response = page.post("/staff/retention/", {"cases": [first.pk], "decision": "keep"})
    assert response.status_code == 422
    assert "reason" in response.context["form"].errors
    response = page.post("/staff/retention/", {"cases": [first.pk], "decision": "destroy"})
    assert response.status_code == 422
    assert "confirm" in response.context["form"].errors
    response = page.post(
        "/staff/retention/",
        {"cases": [first.pk, running.pk], "decision": "destroy", "confirm": "on"},
    )
    assert response.status_code == 422
    assert not Case.objects.filter(destroyed_at__isnull=False, pk__in=[first.pk]).exists()

    response = page.post(
        "/staff/retention/",
        {"cases": [first.pk, second.pk], "decision": "destroy", "confirm": "on"},
    )
    assert response.status_code == 302
    assert (
        Case.objects.filter(pk__in=[first.pk, second.pk], destroyed_at__isnull=False).count() == 2
    )
    assert AuditEntry.objects.filter(action="case.destroy").count() >= 2
