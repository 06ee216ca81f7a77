"""Sealing a letter: what is stored plain holds no identity, whatever the letter became."""

import importlib
import io
import zipfile

import pytest
from django.apps import apps
from django.core import mail
from PIL import Image

from danvan.cases import services as s
from danvan.cases.identity import attachment_open, identity_open
from danvan.cases.models import Attachment, Case, CaseFingerprint, DenouncerIdentity, IdentityLook
from danvan.core import sealed
from danvan.core.sms import MemoryBackend
from danvan.core.uploads import check_upload
from danvan.language import similarity
from danvan.language.models import SearchDoc
from danvan.language.pii import SENDER_LABEL
from danvan.language.search import search

pytestmark = pytest.mark.django_db

PERSON = {"name": "Trần Văn Bình", "phone": "+84913000111", "email": "binh@example.vn",
          "address": "Thôn Đông, Phố Hiến", "id_number": "033090001234"}  # fmt: skip
TITLE = "Trần Văn Bình tố cáo cán bộ địa chính"
CONTENT = ("Tôi là Trần Văn Bình, SĐT 0913 000 111, email binh@example.vn, ở thôn Đông, Phố Hiến."
           " Cán bộ địa chính xã nhận tiền để cấp sổ đỏ sai quy định.")  # fmt: skip
SECRETS = ("Trần Văn Bình", "Tran Van Binh", "0913", "913000111", "binh@example.vn",
           "Thôn Đông", "033090001234")  # fmt: skip
MASKED_CONTENT = (f"Tôi là {SENDER_LABEL}, SĐT {SENDER_LABEL}, email {SENDER_LABEL}, ở"
                  f" {SENDER_LABEL}. Cán bộ địa chính xã nhận tiền để cấp sổ đỏ sai quy định.")  # fmt: skip


def scan(name="chu-viet-tay.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    return check_upload(name, buffer.getvalue())


def plain_text_of(case):
    """Everything about `case` a list, an export, the search or the API could read."""
    row = Case.objects.values().get(pk=case.pk)
    doc = SearchDoc.objects.filter(source="case", source_id=case.pk).values().get()
    return repr(row) + repr(doc)


def fingerprints_of(text):
    return sorted(
        int(key, 16) - (1 << 63) for key in similarity.band_keys(similarity.signature(text))
    )


def assert_holds_no_identity(case):
    stored = plain_text_of(case)
    for secret in SECRETS:
        assert secret not in stored
    keys = sorted(CaseFingerprint.objects.filter(case=case).values_list("key", flat=True))
    assert keys == fingerprints_of(f"{case.title}\n{case.content}")


def test_a_denunciation_is_stored_masked_and_its_letter_as_written_sealed(submit, handler, head):
    case = submit(kind="denunciation", title=TITLE, content=CONTENT, topic=None, **PERSON)
    case.refresh_from_db()
    assert (case.title, case.content) == (f"{SENDER_LABEL} tố cáo cán bộ địa chính", MASKED_CONTENT)
    assert_holds_no_identity(case)
    assert search("Trần Văn Bình", source="case", scope_ids=None) == []
    assert search("0913000111", source="case", scope_ids=None) == []
    assert [hit.source_id for hit in search("sổ đỏ", source="case", scope_ids=None)] == [case.pk]
    case = s.case_assign(case=case, by=head, assignee=handler)
    opened = identity_open(case=case, user=handler)
    assert (opened["name"], opened["title"], opened["content"]) == (PERSON["name"], TITLE, CONTENT)
    assert IdentityLook.objects.filter(case=case).count() == 1


def test_a_letter_reclassified_as_a_denunciation_is_sealed_files_and_text(
    submit, handler, head, django_capture_on_commit_callbacks
):
    case = submit(kind="feedback", title=TITLE, content=CONTENT, files=[scan()],
                  name=PERSON["name"], phone=PERSON["phone"], email=PERSON["email"])  # fmt: skip
    attachment = case.attachments.get()
    plain_name = attachment.file.name
    storage = attachment.file.storage
    assert search("Trần Văn Bình", source="case", scope_ids=None) != []
    with django_capture_on_commit_callbacks(execute=True):
        case = s.case_classify(case=case, by=handler, kind="denunciation", topic=None)
    assert case.identity_sealed
    assert (case.submitter_name, case.submitter_phone, case.submitter_email) == ("", "", "")
    assert_holds_no_identity(case)
    assert search("Trần Văn Bình", source="case", scope_ids=None) == []
    attachment.refresh_from_db()
    assert attachment.sealed
    assert attachment.file.name != plain_name
    assert not storage.exists(plain_name)  # the plain copy went once the change committed
    with attachment.file.open("rb") as handle:
        assert not handle.read().startswith(b"\xff\xd8")
    blob = sealed.open_json(bytes(DenouncerIdentity.objects.get(case=case).sealed))
    assert (blob["name"], blob["phone"], blob["title"], blob["content"]) == (
        PERSON["name"], PERSON["phone"], TITLE, CONTENT,
    )  # fmt: skip
    case = s.case_assign(case=case, by=head, assignee=handler)
    assert attachment_open(attachment=attachment, user=handler).startswith(b"\xff\xd8")


def test_reclassified_away_a_denunciation_stays_sealed_its_documents_too_and_it_is_notified(
    submit, handler, head, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(kind="denunciation", title=TITLE, content=CONTENT, topic=None, **PERSON)
    mail.outbox.clear()
    MemoryBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        case = s.case_classify(case=case, by=handler, kind="complaint", topic=None)
        case = s.case_accept(case=case, by=handler)
    assert (case.kind, case.identity_sealed) == ("complaint", True)
    assert_holds_no_identity(case)
    notice = Attachment.objects.get(case=case, document_kind="acceptance_notice")
    assert (notice.sealed, notice.is_public) == (True, True)
    with notice.file.open("rb") as handle:
        assert not zipfile.is_zipfile(io.BytesIO(handle.read()))  # encrypted at rest
    case = s.case_assign(case=case, by=head, assignee=handler)
    document = attachment_open(attachment=notice, user=handler)
    with zipfile.ZipFile(io.BytesIO(document)) as docx:
        assert f"Kính gửi: {PERSON['name']}" in docx.read("word/document.xml").decode()
    # The denouncer still hears, at the address they gave, read by the platform (logged).
    [email] = mail.outbox
    assert (email.to, MemoryBackend.outbox[0][0]) == ([PERSON["email"]], PERSON["phone"])
    platform = IdentityLook.objects.filter(case=case, user=None)
    # The notices "received" and "accepted", and the acceptance notice's addressee.
    assert sorted(platform.values_list("what", flat=True)) == [
        "document",
        "notification",
        "notification",
    ]


def test_a_part_split_from_a_sealed_letter_is_sealed_and_masked(submit, handler):
    case = submit(kind="denunciation", title=TITLE, content=CONTENT, topic=None, **PERSON)
    part = s.case_split(case=case, by=handler, kind="petition", title="Đề nghị của Trần Văn Bình",
                        content="Ông Trần Văn Bình (0913000111) đề nghị sửa đường.")  # fmt: skip
    part.refresh_from_db()
    assert part.identity_sealed
    assert (part.title, part.content) == (
        f"Đề nghị của {SENDER_LABEL}",
        f"Ông {SENDER_LABEL} ({SENDER_LABEL}) đề nghị sửa đường.",
    )
    assert_holds_no_identity(part)
    blob = sealed.open_json(bytes(DenouncerIdentity.objects.get(case=part).sealed))
    assert (blob["name"], blob["title"]) == (PERSON["name"], "Đề nghị của Trần Văn Bình")


# The data migration: rows sealed before the text was ----------------------------------------


def old_style(case, identity):
    """`case` as the platform stored a denunciation before: the text plain, files plain, an
    identity without the letter's text."""
    Case.objects.filter(pk=case.pk).update(title=TITLE, content=CONTENT, identity_sealed=True)
    DenouncerIdentity.objects.update_or_create(
        case=case, defaults={"sealed": sealed.seal_json(identity)}
    )
    from danvan.language.search import index_document

    index_document(source="case", source_id=case.pk, scope_id=case.agency_id, title=TITLE,
                   body=CONTENT)  # fmt: skip


def test_the_migration_seals_and_masks_old_rows_and_can_run_again(submit, handler):
    migration = importlib.import_module("danvan.cases.migrations.0016_seal_existing_letters")
    denunciation = submit(kind="feedback", topic=None, files=[scan()], name="", phone="",
                          email="")  # fmt: skip
    Case.objects.filter(pk=denunciation.pk).update(kind="denunciation")
    old_style(denunciation, {**PERSON})
    Attachment.objects.filter(case=denunciation).update(sealed=False)
    reclassified = submit(kind="feedback", topic=None, name="", phone="", email="")
    old_style(reclassified, {**PERSON})
    untouched = submit(kind="feedback", title="Đèn đường hỏng")
    assert migration.seal_existing(apps) == 2
    for case in (denunciation, reclassified):
        case.refresh_from_db()
        assert case.content == MASKED_CONTENT
        assert_holds_no_identity(case)
        blob = sealed.open_json(bytes(DenouncerIdentity.objects.get(case=case).sealed))
        assert (blob["name"], blob["title"], blob["content"]) == (PERSON["name"], TITLE, CONTENT)
    assert Attachment.objects.get(case=denunciation).sealed
    files = list(Attachment.objects.order_by("pk").values_list("file", flat=True))
    assert migration.seal_existing(apps) == 0  # a second run changes nothing
    assert list(Attachment.objects.order_by("pk").values_list("file", flat=True)) == files
    assert Case.objects.get(pk=untouched.pk).title == "Đèn đường hỏng"
    assert not Case.objects.get(pk=untouched.pk).identity_sealed


def test_what_officers_type_on_a_sealed_letter_is_stored_masked(submit, handler, client):
    case = submit(kind="denunciation", title=TITLE, content=CONTENT, topic=None, **PERSON)
    case = s.case_classify(case=case, by=handler, kind="denunciation", topic=None,
                           note="Đơn của ông Trần Văn Bình")  # fmt: skip
    case = s.case_start(case=s.case_accept(case=case, by=handler), by=handler)
    answer = "Trả lời ông Tran Van Binh (0913.000.111): nội dung tố cáo đúng một phần."
    case = s.case_resolve(case=case, by=handler, answer=answer)
    masked = f"Trả lời ông {SENDER_LABEL} ({SENDER_LABEL}): nội dung tố cáo đúng một phần."
    assert case.answer == masked
    notes = list(case.events.exclude(note="").values_list("action", "note"))
    assert notes == [("classify", f"Đơn của ông {SENDER_LABEL}"), ("resolve", masked)]
    page = client.get(f"/tra-cuu/{case.tracking_code}/").content.decode()
    assert masked in page
    for secret in SECRETS:
        assert secret not in page
    looks = IdentityLook.objects.filter(case=case, user=None, what="masking")
    assert looks.count() == 2  # one read per step that carried a text
