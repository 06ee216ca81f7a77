"""Issue 16: a logbook row of a letter that is or becomes sealed keeps no identity, in the
database and on the logbook page."""

import importlib

import pytest

from danvan.accounts.roles import Role
from danvan.cases import services as cases
from danvan.cases.models import Case
from danvan.cases.tests.letters import submit_letter
from danvan.language.pii import SENDER_LABEL
from danvan.reception.models import ReceptionEntry

from .test_logbook import NEW, entry_data

pytestmark = pytest.mark.django_db

VISITOR = ("Nguyễn Văn Bảo", "034090001234", "Tổ 3, phường Phố Hiến", "0912 000 111",
           "Lê Thị Hoa")  # fmt: skip
TYPED = {"content": "Ông Nguyễn Văn Bảo (0912 000 111) phản ánh cán bộ phường đòi tiền.",
         "notes": "Gọi lại số 0912.000.111", "result": "Đã nhận đơn của Nguyễn Văn Bảo",
         "group_size": "6", "representatives": "Nguyễn Văn Bảo\nLê Thị Hoa"}  # fmt: skip


def _assert_no_identity(entry, page):
    stored = repr(ReceptionEntry.objects.filter(pk=entry.pk).values().get())
    for secret in VISITOR:
        assert secret not in stored
        assert secret not in page
    assert SENDER_LABEL in entry.content


def _logbook(client_as):
    return client_as(Role.RECEPTION_OFFICER).get("/staff/reception/logbook/").content.decode()


def test_a_row_logged_as_feedback_keeps_no_identity_once_its_letter_is_a_denunciation(
    client_as, commune_committee, pho_hien, demo_user
):
    data = entry_data(commune_committee, pho_hien, kind="feedback", **TYPED)
    assert client_as(Role.RECEPTION_OFFICER).post(NEW, data).status_code == 302
    entry = ReceptionEntry.objects.get()
    assert entry.citizen_name == "Nguyễn Văn Bảo"  # a plain letter's row is kept as typed
    assert entry.case is not None
    cases.case_classify(case=entry.case, by=demo_user(Role.HANDLING_OFFICER),
                        kind="denunciation", topic=None)  # fmt: skip
    entry.refresh_from_db()
    _assert_no_identity(entry, _logbook(client_as))
    assert entry.representatives == []


def test_a_visit_about_a_sealed_letter_is_logged_without_identity(
    client_as, commune_committee, pho_hien
):
    case = submit_letter(kind="denunciation", title="Tố cáo", content="Cán bộ nhận tiền.",
                       unit=pho_hien, name="Nguyễn Văn Bảo", phone="+84912000111")  # fmt: skip
    data = entry_data(commune_committee, pho_hien, kind="complaint", unit="",
                      existing_case=case.tracking_code, **TYPED)  # fmt: skip
    assert client_as(Role.RECEPTION_OFFICER).post(NEW, data).status_code == 302
    entry = ReceptionEntry.objects.get()
    assert entry.case == case
    _assert_no_identity(entry, _logbook(client_as))


def test_the_migration_clears_the_rows_of_letters_sealed_before(
    client_as, commune_committee, pho_hien
):
    migration = importlib.import_module(
        "danvan.reception.migrations.0002_seal_entries_of_sealed_letters"
    )
    from django.apps import apps

    data = entry_data(commune_committee, pho_hien, kind="feedback", **TYPED)
    client_as(Role.RECEPTION_OFFICER).post(NEW, data)
    entry = ReceptionEntry.objects.get()
    Case.objects.filter(pk=entry.case.pk).update(identity_sealed=True)  # a row from before
    assert migration.seal_entries(apps) == 1
    entry.refresh_from_db()
    _assert_no_identity(entry, _logbook(client_as))
    assert migration.seal_entries(apps) == 0  # re-runnable
