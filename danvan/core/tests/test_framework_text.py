"""No English from Django reaches a Vietnamese page: its form messages, its empty choice,
its 400 and CSRF pages."""

import inspect

import pytest
from django import forms
from django.contrib.auth import password_validation
from django.core import validators
from django.db.models import fields as model_fields
from django.forms import formsets
from django.forms import models as model_forms
from django.test import Client
from django.utils import translation

from danvan.core.framework_text import FRAMEWORK_MESSAGES

PARAMS = {"limit_value": 5, "show_value": 6, "max": 5, "length": 6, "num": 2, "min_length": 8}


def _field_messages():
    for module in (forms.fields, model_forms, formsets):
        for name, cls in vars(module).items():
            if inspect.isclass(cls):
                for key, message in getattr(cls, "default_error_messages", {}).items():
                    yield f"{name}.{key}", message


def _validator_messages():
    for name, cls in vars(validators).items():
        if inspect.isclass(cls) and getattr(cls, "message", None) is not None:
            yield name, cls.message


def _password_messages():
    short = password_validation.MinimumLengthValidator()
    yield "MinimumLengthValidator.error", short.get_error_message
    yield "MinimumLengthValidator.help", short.get_help_text
    yield "CommonPasswordValidator", password_validation.CommonPasswordValidator().get_error_message
    yield (
        "NumericPasswordValidator",
        password_validation.NumericPasswordValidator().get_error_message,
    )


def _shown(message, language):
    with translation.override(language):
        text = message() if callable(message) else message
        try:
            return str(text % PARAMS)
        except (KeyError, TypeError):
            return str(text)


MESSAGES = [
    ("BLANK_CHOICE_LABEL", model_fields.BLANK_CHOICE_LABEL),
    *_field_messages(),
    *_validator_messages(),
    *_password_messages(),
]


@pytest.mark.parametrize(("name", "message"), MESSAGES, ids=[name for name, _ in MESSAGES])
def test_every_django_form_message_is_vietnamese(name, message):
    assert _shown(message, "vi") != _shown(message, "en")


@pytest.mark.parametrize("message", FRAMEWORK_MESSAGES, ids=str)
def test_the_copied_messages_are_translated(message):
    assert _shown(message, "vi") != _shown(message, "en")


def test_the_empty_choice_and_a_length_message_read_in_vietnamese():
    with translation.override("vi"):
        assert str(model_fields.BLANK_CHOICE_LABEL) == "- Chọn một mục -"
        assert str(
            validators.MaxLengthValidator(200).message % {"limit_value": 200, "show_value": 201}
        ) == ("Nội dung này chỉ được có tối đa 200 ký tự (hiện có 201 ký tự).")
        assert str(validators.ProhibitNullCharactersValidator.message) == (
            "Nội dung không được chứa ký tự rỗng (NUL)."
        )


@pytest.mark.django_db
def test_the_letter_form_shows_its_empty_choices_in_vietnamese(client: Client):
    page = client.get("/gui-don/").content.decode()
    assert "- Chọn một mục -" in page
    assert "Select an option" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data", [{f"f{i}": "x" for i in range(20)}, {"content": "x" * 3000}], ids=["fields", "size"]
)
def test_a_request_django_cannot_read_gets_a_vietnamese_400_page(client: Client, settings, data):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10  # TooManyFieldsSent
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000  # RequestDataTooBig
    response = client.post("/gui-don/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "<h1>Không đọc được yêu cầu vừa gửi</h1>" in page
    assert "Bad Request" not in page


@pytest.mark.django_db
def test_an_expired_form_gets_a_vietnamese_403_page():
    response = Client(enforce_csrf_checks=True).post("/gui-don/", {"title": "Đèn hỏng"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Biểu mẫu đã hết hạn</h1>" in page
    assert "CSRF" not in page


@pytest.mark.django_db
def test_a_missing_page_is_vietnamese(client: Client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "<h1>Không tìm thấy trang</h1>" in response.content.decode()
