from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "danvan.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Before any URL conf is read: the patterns of every app use `<text:...>`.
        from django.urls import register_converter

        from .converters import TextConverter

        register_converter(TextConverter, "text")
