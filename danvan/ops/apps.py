from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "danvan.ops"
    verbose_name = "Operations"
