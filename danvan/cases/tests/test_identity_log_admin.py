"""The identity access log in the admin: the auditors' to read, nobody's to edit."""

import pytest

from danvan.accounts.roles import Role
from danvan.cases.models import IdentityLook

pytestmark = pytest.mark.django_db


@pytest.fixture
def look(submit, demo_user):
    case = submit(kind="denunciation", topic=None, title="Tố cáo cán bộ", content="Nhận tiền.")
    return IdentityLook.objects.create(case=case, user=demo_user(Role.HANDLING_OFFICER),
                                       what="identity", address="10.0.0.7")  # fmt: skip


@pytest.mark.parametrize(
    ("role", "index", "log"),
    [(None, 302, 302), (Role.CITIZEN, 302, 302), (Role.HANDLING_OFFICER, 302, 302),
     (Role.HEAD, 302, 302), (Role.SUPERVISOR, 302, 302), (Role.AUDITOR, 200, 200),
     (Role.ADMINISTRATOR, 200, 403)],
)  # fmt: skip
def test_only_auditors_open_the_identity_access_log(client_as, role, index, log):
    client = client_as(role)
    assert client.get("/admin/").status_code == index
    assert client.get("/admin/cases/identitylook/").status_code == log


def test_the_auditor_reads_and_filters_the_log_and_can_change_nothing(client_as, look, demo_user):
    auditor = client_as(Role.AUDITOR)
    index = auditor.get("/admin/").content.decode()
    assert "/admin/cases/identitylook/" in index
    assert "/admin/accounts/" not in index  # nothing else of the admin
    base = "/admin/cases/identitylook/"
    officer = demo_user(Role.HANDLING_OFFICER).pk
    for query in (f"?case__id__exact={look.case_id}", f"?user__id__exact={officer}",
                  "?at__year=2026&at__month=11&at__day=23", f"?q={look.case.tracking_code}"):  # fmt: skip
        page = auditor.get(base + query)
        assert page.status_code == 200, query
        assert "10.0.0.7" in page.content.decode(), query
    assert auditor.get(f"{base}{look.pk}/change/").status_code == 200  # read-only view
    assert auditor.get(f"{base}add/").status_code == 403
    assert auditor.get(f"{base}{look.pk}/delete/").status_code == 403
    assert auditor.post(f"{base}{look.pk}/change/", {"what": "x"}).status_code == 403
    assert auditor.get("/admin/audit/auditentry/").status_code == 403
    assert IdentityLook.objects.get(pk=look.pk).what == "identity"
    with pytest.raises(ValueError, match="append-only"):
        look.delete()
