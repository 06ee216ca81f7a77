"""Letters with files from the web form, paper letters and walk-ins entered by officers."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from danvan.accounts.roles import Role
from danvan.cases import services as s
from danvan.cases.models import Attachment, Case, CaseEvent
from danvan.cases.tests.test_views import form_data
from danvan.cases.writes import attachments_add

pytestmark = pytest.mark.django_db


def photo(name="anh.jpg"):
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Điện thoại của tôi"  # camera maker, a stand-in for GPS and the like
    Image.new("RGB", (64, 48), "green").save(buffer, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def zip_bomb():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * 30_000_000)
    return SimpleUploadedFile("don.docx", buffer.getvalue())


def test_a_photo_is_stored_with_the_letter_without_its_metadata(pho_hien):
    response = Client().post("/gui-don/", form_data(pho_hien, attachments=[photo()]))
    assert response.status_code == 302
    attachment = Case.objects.get().attachments.get()
    assert (attachment.content_type, attachment.sealed, attachment.is_public) == (
        "image/jpeg",
        False,
        False,
    )
    with attachment.file.open("rb") as handle:
        assert not Image.open(handle).getexif()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("anh.jpg", b"MZ\x90\x00" + b"\0" * 500), "anh.jpg"),
        (zip_bomb(), "don.docx"),
        (SimpleUploadedFile("trong.png", b""), "trong.png"),
    ],
    ids=["renamed-executable", "zip-bomb", "empty"],
)
def test_a_bad_file_refuses_the_whole_letter_and_stores_nothing(pho_hien, upload, message):
    data = form_data(pho_hien, attachments=[photo(), upload])
    response = Client().post("/gui-don/", data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert (Case.objects.count(), Attachment.objects.count()) == (0, 0)


def test_too_many_files_are_refused_before_reading(pho_hien):
    files = [photo(f"anh{n}.jpg") for n in range(6)]
    response = Client().post("/gui-don/", form_data(pho_hien, attachments=files))
    assert response.status_code == 422
    assert "tối đa 5 tệp" in response.content.decode()
    assert Case.objects.count() == 0


def test_a_full_disk_keeps_the_letter_typed_and_stores_nothing_until_it_is_freed(
    pho_hien, full_disk
):
    client = Client()
    full_disk(True)
    response = client.post("/gui-don/", form_data(pho_hien, attachments=[photo()]))
    assert response.status_code == 503
    page = response.content.decode()
    assert "chọn lại tệp" in page  # the message, in Vietnamese
    assert "Rác không được thu gom ba ngày nay" in page  # the text comes back to send again
    assert 'value="tok-1"' in page  # the same token: a retry cannot file the letter twice
    assert (Case.objects.count(), Attachment.objects.count(), CaseEvent.objects.count()) == (
        0,
        0,
        0,
    )
    full_disk(False)
    response = client.post("/gui-don/", form_data(pho_hien, attachments=[photo()]))
    assert response.status_code == 302
    assert Case.objects.get().attachments.count() == 1


def test_an_officers_paper_letter_comes_back_with_its_text_when_the_disk_is_full(
    pho_hien, client_as, full_disk
):
    full_disk(True)
    client = client_as(Role.RECEPTION_OFFICER)
    response = client.post("/staff/cases/new/", intake_data(pho_hien, attachments=[photo()]))
    assert response.status_code == 503
    assert "Rác không được thu gom ba ngày nay" in response.content.decode()
    assert Case.objects.count() == 0


def test_an_accept_whose_notice_cannot_be_written_changes_nothing_and_says_why(
    submit, handler, client_as, full_disk
):
    case = submit(kind="complaint")
    s.case_classify(case=case, by=handler, kind="complaint", topic=case.topic)
    full_disk(True)
    client = client_as(Role.HANDLING_OFFICER)
    response = client.post(f"/staff/cases/{case.pk}/accept/", {"note": ""}, follow=True)
    assert "Chưa lưu được văn bản" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "classified"  # the accept and its notice were rolled back together
    assert not case.attachments.exists()


def intake_data(pho_hien, **overrides):
    data = form_data(pho_hien, channel="paper", received_on="2026-11-16", people_count="3",
                     kind="petition", form_token="intake-1")  # fmt: skip
    data.update(overrides)
    return data


def test_a_reception_officer_registers_a_paper_letter_with_its_scans(pho_hien, client_as):
    client = client_as(Role.RECEPTION_OFFICER)
    assert client.get("/staff/cases/new/").status_code == 200
    response = client.post("/staff/cases/new/", intake_data(pho_hien, attachments=[photo()]))
    case = Case.objects.get()
    assert response.url == f"/staff/cases/{case.pk}/"
    assert (case.channel, case.people_count, case.kind) == ("paper", 3, "petition")
    # Deadlines run from the day the letter arrived, not from the day it was typed in.
    assert case.received_at.date().isoformat() == "2026-11-16"
    assert case.process_due.isoformat() == "2026-12-01"
    event = CaseEvent.objects.get(case=case)
    assert event.actor.email == "tiepdan@demo.danvan.vn"
    assert case.attachments.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"received_on": "2026-11-24"}, "không thể ở tương lai"),
        ({"phone": "12345"}, "gồm 10 chữ số"),
        ({"id_number": "12345"}, "12 chữ số"),
        ({"people_count": "0"}, "1 người trở lên"),
    ],
)
def test_bad_paper_letter_input_gets_a_message_and_stores_nothing(
    pho_hien, client_as, overrides, message
):
    response = client_as(Role.RECEPTION_OFFICER).post(
        "/staff/cases/new/", intake_data(pho_hien, **overrides)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.parametrize(("role", "status"), [(None, 302), (Role.CITIZEN, 403),
                                              (Role.SUPERVISOR, 403), (Role.AUDITOR, 403)])  # fmt: skip
def test_only_officers_register_or_import_letters(client_as, role, status):
    client = client_as(role)
    assert client.get("/staff/cases/new/").status_code == status
    assert client.get("/staff/cases/import/").status_code == status


def test_splitting_a_letter_keeps_the_link_and_the_receipt_date(submit, client_as):
    case = submit(kind="petition")
    client = client_as(Role.HANDLING_OFFICER)
    data = {"kind": "complaint", "title": "Khiếu nại tiền bồi thường", "content": "Phần hai."}
    assert client.post(f"/staff/cases/{case.pk}/split/", data).status_code == 302
    part = Case.objects.get(parent=case)
    assert (part.kind, part.received_at, part.submitter_name) == (
        "complaint",
        case.received_at,
        case.submitter_name,
    )
    assert case.events.filter(action="split").exists()
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert part.tracking_code in page


def test_bulk_assignment_from_the_queue(submit, client_as, demo_user):
    cases = [submit(title=f"Đơn {n}") for n in range(3)]
    officer = demo_user(Role.HANDLING_OFFICER)
    client = client_as(Role.RECEPTION_OFFICER)
    data = {"case": [c.pk for c in cases[:2]], "assignee": officer.pk}
    assert client.post("/staff/cases/assign/", data).status_code == 302
    assigned = set(Case.objects.filter(assignee=officer).values_list("pk", flat=True))
    assert assigned == {cases[0].pk, cases[1].pk}


def test_bulk_assignment_cannot_reach_another_agencys_letters(submit, client_as, demo_user):
    from danvan.places.models import Agency

    case = submit()
    Case.objects.filter(pk=case.pk).update(agency=Agency.objects.get(code="hy-cong-an"))
    officer = demo_user(Role.HANDLING_OFFICER)
    client_as(Role.RECEPTION_OFFICER).post(
        "/staff/cases/assign/", {"case": [case.pk], "assignee": officer.pk}
    )
    assert Case.objects.get(pk=case.pk).assignee is None


def test_public_documents_are_served_by_tracking_code_only(submit, handler):
    from danvan.core.uploads import CleanFile

    case = submit()
    pdf = b"%PDF-1.4\n%%EOF\n"
    clean = CleanFile(name="tra-loi.pdf", content_type="application/pdf", data=pdf,
                      sha256="x", size=len(pdf))  # fmt: skip
    [public] = attachments_add(case, [clean], by=handler, source="document", public=True)
    [private] = attachments_add(case, [clean], by=handler, source="officer")
    client = Client()
    base = f"/tra-cuu/{case.tracking_code}/tep"
    assert client.get(f"{base}/{public.pk}/").content == pdf
    assert client.get(f"{base}/{private.pk}/").status_code == 404
    assert client.get(f"/tra-cuu/AAAA-BBBB-CCCC/tep/{public.pk}/").status_code == 404


SAMPLE = "docs/samples/import-cases.csv"


def test_an_officer_imports_the_sample_logbook_from_the_web(client_as, settings):
    from pathlib import Path

    data = (Path(settings.BASE_DIR) / SAMPLE).read_bytes()
    client = client_as(Role.RECEPTION_OFFICER)
    upload = SimpleUploadedFile("so-don.csv", data, content_type="text/csv")
    response = client.post("/staff/cases/import/", {"file": upload})
    assert response.status_code == 200
    assert Case.objects.filter(channel="import").count() == 5
    again = client.post("/staff/cases/import/", {"file": SimpleUploadedFile("so-don.csv", data)})
    assert "Đã nhập trước đó: 5" in again.content.decode()
    assert Case.objects.count() == 5


def test_a_bad_csv_row_gets_a_vietnamese_message_and_nothing_is_imported(client_as):
    csv = (
        "ngày nhận,loại đơn,nội dung,xã phường,điện thoại\n"
        "02/03/2026,kiến nghị,Đường hỏng,Phố Hiến,0912345678\n"
        "03/03/2026,kiến nghị,Cống tắc,Phố Hiến,12345\n"
    ).encode()
    client = client_as(Role.RECEPTION_OFFICER)
    response = client.post("/staff/cases/import/", {"file": SimpleUploadedFile("a.csv", csv)})
    assert response.status_code == 422
    page = response.content.decode()
    assert "gồm 10 chữ số" in page
    assert "Không có đơn nào được nhập" in page
    assert Case.objects.count() == 0
