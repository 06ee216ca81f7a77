"""The law's intake rule for the sender's details (name, address), on the citizen's form."""

import pytest
from django.test import Client

from danvan.cases.intake import intake_rules, missing_for, refused_without, required_for
from danvan.cases.models import Case, HeldFile
from danvan.cases.tests.test_intake import photo

from .test_views import form_data

pytestmark = pytest.mark.django_db


def test_the_rules_are_read_from_the_data_file():
    rules = intake_rules()
    assert required_for("complaint") == ("name", "address")
    assert required_for("denunciation") == ("name", "address")
    assert required_for("feedback") == ()
    assert rules["complaint"].legal_basis == "Điều 8 Luật Khiếu nại"
    assert refused_without("complaint")
    assert not refused_without("denunciation")
    assert missing_for("complaint", {"name": "An", "address": "  "}) == ["address"]


def test_a_complaint_without_an_address_is_refused_naming_the_rule(pho_hien):
    data = form_data(pho_hien, kind="complaint", address="")
    response = Client().post("/gui-don/", data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Theo Điều 8 Luật Khiếu nại" in page
    assert "địa chỉ" in page
    assert Case.objects.count() == 0


def test_a_complaint_with_name_and_address_is_filed(pho_hien):
    data = form_data(pho_hien, kind="complaint", address="Số 3 phố Bãi Sậy")
    assert Client().post("/gui-don/", data).status_code == 302
    assert Case.objects.get().submitter_address == "Số 3 phố Bãi Sậy"


def test_an_anonymous_complaint_is_refused_naming_the_rule(pho_hien):
    data = form_data(pho_hien, kind="complaint", anonymous="on", name="", phone="")
    response = Client().post("/gui-don/", data)
    assert response.status_code == 422
    assert "Theo Điều 8 Luật Khiếu nại" in response.content.decode()
    assert Case.objects.count() == 0


def test_feedback_needs_no_address(pho_hien):
    assert Client().post("/gui-don/", form_data(pho_hien, address="")).status_code == 302


def test_fields_needed_unless_anonymous_are_not_labelled_optional():
    page = Client().get("/gui-don/").content.decode()
    for field in ("name", "address", "phone"):
        label = page.split(f'for="id_{field}"', 1)[1].split("</label>", 1)[0]
        assert "không bắt buộc" not in label, field
    email_label = page.split('for="id_email"', 1)[1].split("</label>", 1)[0]
    assert "không bắt buộc" in email_label  # truly optional fields still say so


def test_a_complaint_refused_for_its_address_keeps_its_photo(
    pho_hien, django_capture_on_commit_callbacks
):
    client = Client()
    data = form_data(pho_hien, kind="complaint", address="", attachments=[photo()])
    response = client.post("/gui-don/", data)
    assert response.status_code == 422
    held = HeldFile.objects.get()
    assert f'name="remove_held" value="{held.pk}"' in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        fixed = form_data(pho_hien, kind="complaint", address="Số 3 phố Bãi Sậy")
        assert client.post("/gui-don/", fixed).status_code == 302
    assert Case.objects.get().attachments.get().sha256 == held.sha256


def test_the_tracking_page_names_the_deadline_and_the_next_step(pho_hien):
    client = Client()
    response = client.post("/gui-don/", form_data(pho_hien))
    page = client.get(response.url).content.decode()
    assert "Hạn thụ lý" in page
    assert "Hạn giải quyết" not in page
    assert "Bước tiếp theo: cơ quan xem xét thẩm quyền" in page


def test_an_anonymous_denunciation_is_information_without_a_deadline(pho_hien):
    client = Client()
    data = form_data(pho_hien, kind="denunciation", anonymous="on", name="", phone="")
    response = client.post("/gui-don/", data)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Điều 25 Luật Tố cáo" in page
    assert "Hạn thụ lý" not in page
    assert "Hạn giải quyết" not in page
