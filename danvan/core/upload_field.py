"""The form field for several files in one input; `uploads` checks what they contain."""

from typing import Any

from django import forms

# What the browser's file picker offers; the content is checked whatever the picker allowed.
ACCEPT = "image/jpeg,image/png,image/webp,application/pdf,.docx,.xlsx"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; their content is checked by `uploads`, not here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_empty_file", True)  # `uploads` refuses it, naming the file
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []
