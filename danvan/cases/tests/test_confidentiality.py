"""A denouncer's identity: sealed at rest, opened only by its handler and auditors, logged."""

import io

import pytest
from django.test import Client
from PIL import Image

from danvan.accounts.roles import Role
from danvan.cases import services as s
from danvan.cases.identity import identity_open
from danvan.cases.models import Attachment, Case, DenouncerIdentity, IdentityLook
from danvan.core.uploads import check_upload

pytestmark = pytest.mark.django_db

PERSON = {"name": "Trần Văn Bình", "phone": "+84913000111", "email": "binh@example.vn",
          "address": "Thôn Đông, Phố Hiến", "id_number": "033090001234"}  # fmt: skip


def scan():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    return check_upload("chu-viet-tay.jpg", buffer.getvalue())


@pytest.fixture
def denunciation(submit, handler, head):
    case = submit(kind="denunciation", title="Cán bộ địa chính nhận tiền", topic=None,
                  files=[scan()], **PERSON)  # fmt: skip
    return s.case_assign(case=case, by=head, assignee=handler)


def test_identity_and_scans_are_sealed_at_rest(denunciation):
    row = DenouncerIdentity.objects.get(case=denunciation)
    raw = bytes(row.sealed)
    for value in PERSON.values():
        assert value.encode() not in raw
    assert denunciation.identity_sealed
    attachment = denunciation.attachments.get()
    assert attachment.sealed
    with attachment.file.open("rb") as handle:
        assert not handle.read().startswith(b"\xff\xd8")  # not a readable JPEG on disk


@pytest.mark.parametrize(
    ("role", "page", "identity", "scan_file"),
    [
        (None, 302, 302, 302),
        (Role.CITIZEN, 404, 404, 404),
        (Role.RECEPTION_OFFICER, 200, 403, 403),  # same agency, not assigned
        (Role.HEAD, 200, 403, 403),
        (Role.HANDLING_OFFICER, 200, 200, 200),  # the assigned handler
        (Role.AUDITOR, 200, 200, 200),
        (Role.SUPERVISOR, 404, 404, 404),
        (Role.ADMINISTRATOR, 404, 404, 404),
    ],
)
def test_who_sees_a_denouncers_identity(denunciation, client_as, role, page, identity, scan_file):
    client = client_as(role)
    base = f"/staff/cases/{denunciation.pk}"
    response = client.get(f"{base}/")
    assert response.status_code == page
    if page == 200:
        assert PERSON["name"] not in response.content.decode()  # never on the case page itself
    file_id = denunciation.attachments.get().pk
    assert client.get(f"{base}/identity/").status_code == identity
    assert client.get(f"{base}/files/{file_id}/").status_code == scan_file
    looks = IdentityLook.objects.filter(case=denunciation)
    assert looks.count() == (2 if identity == 200 else 0)


def test_each_look_is_logged_with_who_and_what(denunciation, client_as, demo_user):
    client = client_as(Role.HANDLING_OFFICER)
    page = client.get(f"/staff/cases/{denunciation.pk}/identity/")
    body = page.content.decode()
    assert PERSON["name"] in body
    assert PERSON["id_number"] in body
    assert page["Cache-Control"] == "no-store"
    [look] = IdentityLook.objects.filter(case=denunciation)
    assert (look.user, look.what, look.address) == (
        demo_user(Role.HANDLING_OFFICER),
        "identity",
        "127.0.0.1",
    )


def test_identity_never_in_lists_or_the_public_timeline(denunciation, client_as):
    queue = client_as(Role.HANDLING_OFFICER).get("/staff/cases/").content.decode()
    public = Client().get(f"/tra-cuu/{denunciation.tracking_code}/").content.decode()
    for page in (queue, public):
        assert denunciation.tracking_code in page
        for value in PERSON.values():
            assert value not in page


def test_reclassifying_a_letter_as_a_denunciation_seals_its_sender(submit, handler, head):
    case = submit(kind="petition")
    case = s.case_classify(case=case, by=handler, kind="denunciation", topic=None)
    assert (case.submitter_name, case.submitter_phone, case.submitter_email) == ("", "", "")
    assert identity_open(case=s.case_assign(case=case, by=head, assignee=handler),
                         user=handler)["name"] == "Nguyễn Văn An"  # fmt: skip


def test_a_part_split_from_a_denunciation_keeps_the_secret(denunciation, handler, client_as):
    part = s.case_split(case=denunciation, by=handler, kind="petition",
                        title="Đề nghị sửa đường", content="Đường thôn Đông hư hỏng.")  # fmt: skip
    assert part.parent == denunciation
    assert part.identity_sealed
    assert part.submitter_name == ""
    # Not assigned yet: even an officer of the agency cannot open it.
    assert (
        client_as(Role.RECEPTION_OFFICER).get(f"/staff/cases/{part.pk}/identity/").status_code
        == 403
    )


def test_a_key_rotation_keeps_every_identity_readable(denunciation, handler, settings):
    from cryptography.fernet import Fernet

    from danvan.cases.management.commands.rotate_identity_keys import rotate_all

    old = settings.DANVAN_IDENTITY_KEYS
    settings.DANVAN_IDENTITY_KEYS = [Fernet.generate_key().decode(), *old]
    assert rotate_all() == (1, 1)
    settings.DANVAN_IDENTITY_KEYS = settings.DANVAN_IDENTITY_KEYS[:1]  # the old key is gone
    assert identity_open(case=denunciation, user=handler)["name"] == PERSON["name"]
    attachment = Attachment.objects.get(case=denunciation)
    from danvan.cases.identity import attachment_open

    assert attachment_open(attachment=attachment, user=handler).startswith(b"\xff\xd8")
    assert Case.objects.filter(pk=denunciation.pk).exists()
