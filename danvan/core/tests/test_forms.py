"""Every form cleans its text: the mixin's behaviour on one form, then every form class of
the project (the admin's included) checked to use it."""

import pytest
from django import forms
from django.contrib import admin
from django.utils import translation

from danvan.core.forms import TEXT_MAX, ModelMultipleIdField, NormalisedText, TextForm
from testsupport.platform import served_form_classes

MEGABYTE = "a" * 1_048_576


class LetterForm(TextForm):
    title = forms.CharField(max_length=200)
    content = forms.CharField(widget=forms.Textarea)
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput, strip=False, required=False)

    def clean_title(self) -> str:
        self.title_seen_by_clean = str(self.cleaned_data["title"])
        return self.title_seen_by_clean


def cleaned(**data):
    form = LetterForm({"title": "Đèn hỏng", "content": "Đèn đường hỏng.", **data})
    assert form.is_valid(), form.errors
    return form


def errors(**data):
    with translation.override("vi"):
        form = LetterForm({"title": "Đèn hỏng", "content": "Đèn đường hỏng.", **data})
        assert not form.is_valid()
        return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def test_a_control_character_is_refused_with_a_vietnamese_message_naming_it():
    assert errors(content="Đèn\x01hỏng") == {
        "content": [
            "Nội dung có một ký tự điều khiển ẩn (U+0001, ở ký tự thứ 4), không phải chữ gõ"
            " từ bàn phím. Vui lòng xóa ký tự đó rồi gửi lại."
        ]
    }


def test_nul_gets_our_message_not_djangos():
    problems = errors(title="An\x00")["title"]
    assert problems == [
        "Nội dung có một ký tự điều khiển ẩn (U+0000, ở ký tự thứ 3), không phải chữ gõ"
        " từ bàn phím. Vui lòng xóa ký tự đó rồi gửi lại."
    ]


def test_broken_text_is_refused_with_its_own_message():
    assert errors(content="a\ud800")["content"] == [
        "Nội dung có ký tự bị lỗi mã hóa (U+D800, ở ký tự thứ 2), không phải ký tự Unicode"
        " hợp lệ. Vui lòng gõ lại đoạn văn bản thay vì dán vào."
    ]


def test_the_refusal_carries_its_code():
    form = LetterForm({"title": "a\x7f", "content": "b"})
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["title"]] == ["control_character"]


def test_invisible_formatting_is_gone_before_the_forms_own_checks():
    form = cleaned(title="Nguyễn\u202eAn\u200b", content="dòng 1\r\ndòng 2\u2066")
    assert form.cleaned_data["title"] == "NguyễnAn"
    assert form.title_seen_by_clean == "NguyễnAn"
    assert form.cleaned_data["content"] == "dòng 1\ndòng 2"


def test_text_is_composed_and_a_single_line_input_keeps_one_line():
    decomposed = "Nguye\u0302\u0303n\nVăn\tAn"
    assert cleaned(title=decomposed).cleaned_data["title"] == "Nguyễn Văn An"


def test_an_email_with_a_hidden_character_is_the_same_email():
    assert cleaned(email="an\u200b@example.vn").cleaned_data["email"] == "an@example.vn"


def test_a_password_is_left_exactly_as_typed():
    assert cleaned(password=" p\u202eass ").cleaned_data["password"] == " p\u202eass "


class CodesForm(TextForm):
    """Its field comes after the mixin's __init__, as SignupConfirmForm's do."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"] = forms.CharField(max_length=12)


def test_a_field_added_after_init_cleans_its_text_too():
    form = CodesForm({"code": "\ufeff1\u202e23456\u200b"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["code"] == "123456"
    with translation.override("vi"):
        refused = CodesForm({"code": "1\x1b23456"})
        assert refused.errors == {
            "code": [
                "Nội dung có một ký tự điều khiển ẩn (U+001B, ở ký tự thứ 2), không phải chữ gõ"
                " từ bàn phím. Vui lòng xóa ký tự đó rồi gửi lại."
            ]
        }


def test_a_megabyte_gets_the_max_length_message_in_vietnamese():
    assert errors(title=MEGABYTE)["title"] == [
        "Nội dung này chỉ được có tối đa 200 ký tự (hiện có 1048576 ký tự)."
    ]


def test_a_field_without_a_limit_gets_text_max():
    assert errors(content=MEGABYTE)["content"] == [
        f"Nội dung này chỉ được có tối đa {TEXT_MAX} ký tự (hiện có 1048576 ký tự)."
    ]
    assert LetterForm().fields["content"].widget.attrs["maxlength"] == str(TEXT_MAX)
    assert cleaned(content="x" * TEXT_MAX).cleaned_data["content"] == "x" * TEXT_MAX


def test_every_form_class_of_the_project_cleans_its_text():
    served = served_form_classes()
    assert len(served) >= 40  # the walk found the forms (42 when written)
    assert (
        sorted(
            f"{cls.__module__}.{cls.__qualname__}"
            for cls in served
            if not issubclass(cls, NormalisedText)
        )
        == []
    )


def test_every_admin_form_of_the_project_cleans_its_text():
    ours = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("danvan.")
    ]
    assert len(ours) >= 17  # the registry holds our admins (17 when written)
    form_classes = {type(m).__name__: m.form for m in ours}
    form_classes |= {
        f"{type(m).__name__}.{inline.__name__}": inline.form for m in ours for inline in m.inlines
    }
    form_classes |= {
        type(m).__name__ + ".add_form": m.add_form for m in ours if hasattr(m, "add_form")
    }
    assert {
        name for name, form in form_classes.items() if not issubclass(form, NormalisedText)
    } == set()
    assert "UserAdmin.add_form" in form_classes
    assert "UnitAdmin.SuccessionInline" in form_classes


@pytest.mark.parametrize("widget", [forms.TextInput, forms.HiddenInput, forms.Textarea])
def test_every_text_widget_is_cleaned(widget):
    class OneField(TextForm):
        value = forms.CharField(widget=widget)

    form = OneField({"value": "a\x01"})
    assert not form.is_valid()
    assert form.errors.as_data()["value"][0].code == "control_character"


def test_every_multiple_choice_of_rows_refuses_an_id_the_database_cannot_hold():
    """A plain ModelMultipleChoiceField hands a 70-bit id to SQLite, which raises
    OverflowError: a server error for a crafted post. ModelMultipleIdField refuses it."""
    plain = sorted(
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in served_form_classes()
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, forms.ModelMultipleChoiceField)
        and not isinstance(field, ModelMultipleIdField)
    )
    assert plain == []
