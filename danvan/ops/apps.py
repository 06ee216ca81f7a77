from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db import apps as tasks_apps


class OpsConfig(AppConfig):
    name = "danvan.ops"
    verbose_name = _("Operations")


class BackgroundTasksConfig(tasks_apps.TasksAppConfig):
    """django-tasks-db under a Vietnamese name in the admin (named in INSTALLED_APPS). Its
    module is imported, not the class: a second configuration class in this module's
    namespace would leave Django unable to pick OpsConfig."""

    default = False
    verbose_name = _("Background tasks")  # type: ignore[assignment]
