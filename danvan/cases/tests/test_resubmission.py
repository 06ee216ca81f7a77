"""A letter form sent again: the same letter stays one letter, a changed one is never lost
and never answered with the first, and the files chosen survive a form that comes back with
an error, without JavaScript."""

import hashlib
import io
import re
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from PIL import Image

from danvan.accounts.roles import Role
from danvan.cases.held import HOLD_FOR
from danvan.cases.models import Attachment, Case, CaseEvent, HeldFile, Notification
from danvan.cases.sweep import sweep
from danvan.cases.tests.test_intake import intake_data, photo
from danvan.cases.tests.test_views import form_data
from danvan.core import sealed

pytestmark = pytest.mark.django_db
SUBMIT, INTAKE = "/gui-don/", "/staff/cases/new/"
EDITED = "Rác không được thu gom năm ngày nay ở tổ dân phố 5, bốc mùi cả khu."
REUSED = "Đơn này đã được gửi với mã tra cứu"


def picture(name, color):
    out = io.BytesIO()
    Image.new("RGB", (32, 32), color).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def counts():
    return tuple(model.objects.count() for model in (Case, Attachment, Notification, CaseEvent))


def fresh_token(page):
    return re.search(r'name="send_as_new" value="([0-9a-f]{32})"', page).group(1)


def at_rest(name):
    assert name
    return storages["default"].exists(name)


def stored(name):
    with storages["default"].open(name, "rb") as handle:
        return handle.read()


# The same token with another letter


def test_the_same_token_with_an_edited_letter_shows_the_first_code_and_stores_nothing(pho_hien):
    client = Client()
    client.post(SUBMIT, form_data(pho_hien))
    first = Case.objects.get()
    before = counts()
    response = client.post(SUBMIT, form_data(pho_hien, content=EDITED))
    assert response.status_code == 422
    page = response.content.decode()
    code = first.tracking_code
    assert f'{REUSED} <a href="/tra-cuu/{code}/">{code}</a>.' in page
    assert f"\n{EDITED}</textarea>" in page  # the edited text, still in the form
    letter_form = page[page.index('<form method="post" class="stacked"') :].split("</form>")[0]
    assert letter_form.count('type="submit"') == 1  # the only way on: send it as a new letter
    assert 'name="send_as_new"' in letter_form
    assert counts() == before
    assert Case.objects.get().content == form_data(pho_hien)["content"]


def test_send_as_new_files_the_edited_letter_with_a_new_code_once(pho_hien):
    client = Client()
    client.post(SUBMIT, form_data(pho_hien))
    first = Case.objects.get()
    page = client.post(SUBMIT, form_data(pho_hien, content=EDITED)).content.decode()
    as_new = {**form_data(pho_hien, content=EDITED), "send_as_new": fresh_token(page)}
    response = client.post(SUBMIT, as_new)
    second = Case.objects.exclude(pk=first.pk).get()
    assert response.url == f"/tra-cuu/{second.tracking_code}/"
    assert (second.content, second.tracking_code != first.tracking_code) == (EDITED, True)
    assert Case.objects.get(pk=first.pk).content == form_data(pho_hien)["content"]
    assert client.post(SUBMIT, as_new).url == response.url  # a double click on the button
    assert Case.objects.count() == 2


def test_an_edited_letter_keeps_its_new_photo_when_sent_as_new(
    pho_hien, django_capture_on_commit_callbacks
):
    client = Client()
    client.post(SUBMIT, form_data(pho_hien))
    response = client.post(SUBMIT, form_data(pho_hien, content=EDITED, attachments=[photo()]))
    assert response.status_code == 422
    assert 'name="remove_held"' in response.content.decode()
    as_new = {
        **form_data(pho_hien, content=EDITED),
        "send_as_new": fresh_token(response.content.decode()),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(SUBMIT, as_new).status_code == 302
    second = Case.objects.get(content=EDITED)
    assert [a.name for a in second.attachments.all()] == ["anh.jpg"]
    assert not HeldFile.objects.exists()


def test_a_broken_form_token_stores_nothing_and_says_why(pho_hien):
    for token in ("x" * 41, "tok\n", "tok 1", "<b>", ""):
        response = Client().post(SUBMIT, form_data(pho_hien, form_token=token))
        assert response.status_code == 422
        assert "Biểu mẫu này không còn hợp lệ" in response.content.decode()
    assert counts() == (0, 0, 0, 0)


def test_an_officers_edited_paper_letter_is_refused_with_a_link_to_the_first(pho_hien, client_as):
    client = client_as(Role.RECEPTION_OFFICER)
    client.post(INTAKE, intake_data(pho_hien))
    case = Case.objects.get()
    before = counts()
    response = client.post(INTAKE, intake_data(pho_hien, people_count="4"))
    assert response.status_code == 422
    page = response.content.decode()
    assert f'{REUSED} <a href="/staff/cases/{case.pk}/">{case.tracking_code}</a>.' in page
    assert counts() == before
    as_new = {**intake_data(pho_hien, people_count="4"), "send_as_new": fresh_token(page)}
    response = client.post(INTAKE, as_new)
    second = Case.objects.exclude(pk=case.pk).get()
    assert (response.url, second.people_count) == (f"/staff/cases/{second.pk}/", 4)


# Files kept across a form that comes back


def test_a_photo_survives_a_failed_submit_and_goes_with_the_letter(
    pho_hien, django_capture_on_commit_callbacks
):
    client = Client()
    response = client.post(SUBMIT, form_data(pho_hien, title="", attachments=[photo()]))
    assert response.status_code == 422
    held = HeldFile.objects.get()
    page = response.content.decode()
    assert f'name="remove_held" value="{held.pk}"' in page
    assert "Bỏ tệp anh.jpg" in page
    on_disk = stored(held.file.name)
    assert not on_disk.startswith(b"\xff\xd8")  # sealed: a denunciation's scans show handwriting
    assert hashlib.sha256(sealed.open_bytes(on_disk)).hexdigest() == held.sha256
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBMIT, form_data(pho_hien))  # the photo is not chosen again
    assert response.status_code == 302
    attachment = Case.objects.get().attachments.get()
    assert (attachment.name, attachment.sha256, attachment.sealed) == (
        "anh.jpg",
        held.sha256,
        False,
    )
    assert hashlib.sha256(stored(attachment.file.name)).hexdigest() == held.sha256
    assert not HeldFile.objects.exists()
    assert not at_rest(held.file.name)


def test_a_denunciations_held_scan_goes_with_it_sealed(pho_hien):
    client = Client()
    letter = form_data(pho_hien, kind="denunciation", topic="", title="Cán bộ nhận tiền")
    client.post(SUBMIT, {**letter, "title": "", "attachments": [photo("to-cao.jpg")]})
    assert client.post(SUBMIT, letter).status_code == 302
    attachment = Case.objects.get().attachments.get()
    assert (attachment.name, attachment.sealed) == ("to-cao.jpg", True)


def test_a_ticked_held_file_is_taken_off(pho_hien, django_capture_on_commit_callbacks):
    client = Client()
    files = [picture("a.png", "red"), picture("b.png", "blue")]
    client.post(SUBMIT, form_data(pho_hien, title="", attachments=files))
    kept = {row.name: row for row in HeldFile.objects.all()}
    assert set(kept) == {"a.png", "b.png"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SUBMIT, {**form_data(pho_hien, content=""), "remove_held": [kept["a.png"].pk]}
        )
    assert response.status_code == 422  # still not filled in: the form comes back without it
    page = response.content.decode()
    assert ("Bỏ tệp a.png" in page, "Bỏ tệp b.png" in page) == (False, True)
    assert not at_rest(kept["a.png"].file.name)
    assert client.post(SUBMIT, form_data(pho_hien)).status_code == 302
    assert [a.name for a in Case.objects.get().attachments.all()] == ["b.png"]


def test_a_held_file_chosen_again_goes_once(pho_hien):
    client = Client()
    client.post(SUBMIT, form_data(pho_hien, title="", attachments=[photo()]))
    assert client.post(SUBMIT, form_data(pho_hien, attachments=[photo()])).status_code == 302
    assert Case.objects.get().attachments.count() == 1


def test_another_session_or_form_cannot_use_held_files(pho_hien):
    owner = Client()
    owner.post(SUBMIT, form_data(pho_hien, title="", attachments=[photo()]))
    held = HeldFile.objects.get()
    # The owner's own session, another filling of the form: not its files.
    assert owner.post(SUBMIT, form_data(pho_hien, form_token="tok-2")).status_code == 302
    assert not Case.objects.get().attachments.exists()
    # Another browser with the token (seen in the page) cannot attach nor remove them.
    stranger = Client()
    letter = {**form_data(pho_hien, title="Khác"), "remove_held": [held.pk]}
    assert stranger.post(SUBMIT, letter).status_code == 302
    assert not Case.objects.get(title="Khác").attachments.exists()
    assert HeldFile.objects.get() == held
    assert stored(held.file.name)


def test_the_limits_count_held_and_new_files_together(pho_hien):
    client = Client()
    client.post(SUBMIT, form_data(pho_hien, title="", attachments=[picture("a.png", "red"),
                                                                   picture("b.png", "blue")]))  # fmt: skip
    sizes = sum(row.size for row in HeldFile.objects.all())
    for limit, message in (
        ({"DANVAN_UPLOAD_MAX_FILES": 2}, "tối đa 2 tệp"),
        ({"DANVAN_UPLOAD_MAX_TOTAL_BYTES": sizes + 1}, "Tổng dung lượng các tệp lớn hơn"),
    ):
        with override_settings(**limit):
            third = form_data(pho_hien, attachments=[picture("c.png", "lime")])
            response = client.post(SUBMIT, third)
        assert response.status_code == 422
        assert message in response.content.decode()
        assert (Case.objects.count(), HeldFile.objects.count()) == (0, 2)


def test_held_files_expire_after_a_day(pho_hien, frozen_time, django_capture_on_commit_callbacks):
    client = Client()
    client.post(SUBMIT, form_data(pho_hien, title="", attachments=[photo()]))
    held = HeldFile.objects.get()
    frozen_time.shift(HOLD_FOR - timedelta(minutes=1))
    assert sweep().held_deleted == 0
    frozen_time.shift(timedelta(minutes=2))
    assert client.post(SUBMIT, form_data(pho_hien)).status_code == 302
    assert not Case.objects.get().attachments.exists()  # too old to go, even before the sweep
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep().held_deleted == 1
    assert not HeldFile.objects.exists()
    assert not at_rest(held.file.name)


def test_a_full_disk_keeps_no_file_and_says_to_choose_them_again(pho_hien, full_disk):
    full_disk(True)
    response = Client().post(SUBMIT, form_data(pho_hien, title="", attachments=[photo()]))
    assert response.status_code == 422
    assert "chọn lại tệp" in response.content.decode()
    assert (HeldFile.objects.count(), counts()) == (0, (0, 0, 0, 0))


def test_a_held_file_whose_bytes_are_lost_is_named_and_chosen_again(pho_hien):
    client = Client()
    client.post(SUBMIT, form_data(pho_hien, title="", attachments=[photo()]))
    storages["default"].delete(str(HeldFile.objects.get().file.name))
    response = client.post(SUBMIT, form_data(pho_hien))
    assert response.status_code == 422
    assert "Không còn giữ được tệp anh.jpg" in response.content.decode()
    assert (Case.objects.count(), HeldFile.objects.count()) == (0, 0)
    assert client.post(SUBMIT, form_data(pho_hien, attachments=[photo()])).status_code == 302
    assert Case.objects.get().attachments.count() == 1


def test_a_key_rotation_keeps_held_files_readable(pho_hien, settings):
    from cryptography.fernet import Fernet

    from danvan.cases.management.commands.rotate_identity_keys import rotate_all

    client = Client()
    client.post(SUBMIT, form_data(pho_hien, title="", attachments=[photo()]))
    settings.DANVAN_IDENTITY_KEYS = [Fernet.generate_key().decode(), *settings.DANVAN_IDENTITY_KEYS]
    rotate_all()
    settings.DANVAN_IDENTITY_KEYS = settings.DANVAN_IDENTITY_KEYS[:1]  # the old key is gone
    assert client.post(SUBMIT, form_data(pho_hien)).status_code == 302
    assert Case.objects.get().attachments.get().name == "anh.jpg"
