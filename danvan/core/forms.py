"""Every form of the platform cleans its text with `danvan.core.text.clean_input`.

A form class takes `NormalisedText` first among its bases (or is a `TextForm` or a
`TextModelForm`); a test walks every form class of the project, the admin's included, to
hold that. Each text field of such a form then:

- refuses a control character or broken text with a Vietnamese message naming the
  character and where it is (`control_character`, `invalid_text`), before any other check
  (a NUL gets this message, not Django's untranslated "Null characters are not allowed.");
- drops invisible formatting (bidi overrides, zero-width characters), folds line breaks
  (into spaces in a single-line input) and composes the text (NFC), so that lengths, the
  form's own `clean_<field>` checks and what is stored all see the cleaned text;
- is limited to TEXT_MAX characters when it declares no limit of its own, so a megabyte
  pasted into a note gets the usual "at most ... characters" message (a text past
  `SCAN_MAX` is left to that check without being read).

Passwords are left exactly as typed: changing a character would lock out an account whose
password was set with it.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .text import CONTROL_CHARACTER, INVALID_TEXT, SCAN_MAX, TextRefused, clean_input, parse_id

TEXT_MAX = 20_000  # characters, for a text field that sets no limit (about eight pages)

MESSAGES = {
    CONTROL_CHARACTER: _(
        "The text contains an invisible control character (%(code_point)s, character"
        " %(position)s) that cannot be typed on purpose. Delete it and send again."
    ),
    INVALID_TEXT: _(
        "The text contains broken characters (%(code_point)s, character %(position)s) that"
        " are not valid Unicode. Type the text again instead of pasting it."
    ),
}


def refusal_message(error: TextRefused) -> str:
    """What the person is told, in the active language."""
    return str(MESSAGES[error.code]) % refusal_params(error)


refusal_text = lazy(refusal_message, str)  # the same, in the language active when it is shown


def refusal_params(error: TextRefused) -> dict[str, Any]:
    return {"code_point": error.code_point, "position": error.position}


def refusal_error(error: TextRefused) -> ValidationError:
    return ValidationError(MESSAGES[error.code], code=error.code, params=refusal_params(error))


def field_error(form: forms.BaseForm, name: str) -> str | None:
    """The first message of one field, for a page that shows a form's problem in one line."""
    problems = form.errors.get(name)
    return str(problems[0]) if problems else None


def normalise_field(field: forms.Field) -> None:
    """Make one field of a form instance clean its text first (see the module's docstring)."""
    if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
        return
    if getattr(field.to_python, "cleans_text", False):
        return
    if field.max_length is None:
        field.max_length = TEXT_MAX
        field.validators.append(MaxLengthValidator(TEXT_MAX))
        field.widget.attrs.setdefault("maxlength", str(TEXT_MAX))
    field.to_python = _cleaning(  # type: ignore[method-assign,assignment]
        field.to_python,
        multiline=isinstance(field.widget, forms.Textarea),
        longest=max(SCAN_MAX, field.max_length),
    )


def _cleaning(
    convert: Callable[[Any], Any], *, multiline: bool, longest: int
) -> Callable[[Any], Any]:
    def to_python(value: Any) -> Any:
        # Beyond `longest` the field's length check refuses the text: no need to read it.
        if isinstance(value, str) and len(value) <= longest:
            try:
                value = clean_input(value, multiline=multiline)
            except TextRefused as error:
                raise refusal_error(error) from error
        return convert(value)

    to_python.cleans_text = True  # type: ignore[attr-defined]
    return to_python


class NormalisedText(forms.BaseForm):
    """Put first among a form's bases: `class LoginForm(NormalisedText, AuthenticationForm)`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            normalise_field(field)

    def full_clean(self) -> None:
        # A field the subclass adds after this __init__ (SignupConfirmForm adds one per
        # channel) is cleaned all the same: normalise_field leaves a done field as it is.
        for field in self.fields.values():
            normalise_field(field)
        super().full_clean()


class TextForm(NormalisedText, forms.Form):
    """`forms.Form` with the platform's text cleaning."""


class TextModelForm(NormalisedText, forms.ModelForm[Any]):
    """`forms.ModelForm` with the platform's text cleaning (the admin's forms use it)."""


class ModelMultipleIdField(forms.ModelMultipleChoiceField[Any]):
    """Ticked rows, by id. An id that no 64-bit column holds gets the field's "not a valid
    value" message: the plain field would hand it to SQLite, which cannot bind it, and the
    person would get a server error instead."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            for pk in value:
                if parse_id(str(pk)) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super().clean(value)
