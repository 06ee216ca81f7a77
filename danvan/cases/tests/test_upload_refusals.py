"""Issue 16: an Office file that acts when opened is refused on the letter form with the
reason in Vietnamese, and nothing of the letter is stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape

from danvan.core.tests.test_office_active import ACTIVE
from danvan.core.uploads import MESSAGES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("which", ["docm-with-macros", "remote-template", "word-97-with-macros"])
def test_the_citizen_is_told_why_in_vietnamese_and_nothing_is_stored(client, which):
    from danvan.cases.models import Attachment, Case
    from danvan.places.models import Unit

    unit = Unit.objects.get(level="commune", code="11953", valid_until=None)
    name, data = ACTIVE[which]
    response = client.post("/gui-don/", {
        "form_token": "t-1", "unit": unit.pk, "place": "", "kind": "feedback", "topic": "",
        "title": "Đèn đường hỏng", "content": "Đèn đường tổ 3 hỏng.", "name": "Lê Văn Tám",
        "phone": "0912000222", "email": "", "address": "", "id_number": "",
        "attachments": [SimpleUploadedFile(name, data, "application/octet-stream")],
    })  # fmt: skip
    page = response.content.decode()
    with translation.override("vi"):
        message = str(MESSAGES["office_active"]) % {"name": name}
    assert response.status_code == 422
    assert escape(message) in page
    assert message.startswith(f"Tệp {name} chứa macro")
    assert (Case.objects.count(), Attachment.objects.count()) == (0, 0)
