"""Every add, change, delete and action made through the Django admin goes to the audit log.

Installed once on `ModelAdmin` itself (`AuditConfig.ready`), so every registered admin is
covered, ours and the packages' (TOTP devices, axes, tasks), without a mixin to forget:

- `get_object` keeps a snapshot of the object before the form changes it;
- `log_addition` / `log_change` / `log_deletions` (Django's own hooks) write the entry with
  the fields before and after (secrets masked) and Django's change message (inlines);
- `get_actions` wraps every bulk action: who ran which action on which ids.
"""

import dataclasses
import functools
from typing import Any

from django.contrib.admin import ModelAdmin
from django.contrib.admin.options import ActionLocation
from django.db import models
from django.http import HttpRequest

from .services import diff, record, snapshot

_BEFORE = "_danvan_audit_before"
_INSTALLED = "_danvan_audit_installed"
MAX_IDS = 500


def _key(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(obj.pk)


def _before(request: HttpRequest) -> dict[tuple[str, str], dict[str, Any]]:
    stash: dict[tuple[str, str], dict[str, Any]] | None = getattr(request, _BEFORE, None)
    if stash is None:
        stash = {}
        setattr(request, _BEFORE, stash)
    return stash


def _message(message: Any) -> str:
    if isinstance(message, list):
        import json

        return json.dumps(message, ensure_ascii=False, sort_keys=True, default=str)
    return str(message or "")


def install() -> None:
    if getattr(ModelAdmin, _INSTALLED, False):
        return
    get_object = ModelAdmin.get_object
    log_addition = ModelAdmin.log_addition
    log_change = ModelAdmin.log_change
    log_deletions = ModelAdmin.log_deletions
    get_actions = ModelAdmin.get_actions

    def audited_get_object(
        self: ModelAdmin[Any], request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        obj = get_object(self, request, object_id, from_field)
        if obj is not None:
            _before(request)[_key(obj)] = snapshot(obj)
        return obj

    def audited_log_addition(
        self: ModelAdmin[Any], request: HttpRequest, obj: models.Model, message: Any
    ) -> Any:
        result = log_addition(self, request, obj, message)
        record("admin.add", obj=obj, changes=diff({}, snapshot(obj)), note=_message(message),
               actor=request.user)  # fmt: skip
        return result

    def audited_log_change(
        self: ModelAdmin[Any], request: HttpRequest, obj: models.Model, message: Any
    ) -> Any:
        result = log_change(self, request, obj, message)
        before = _before(request).pop(_key(obj), {})
        record("admin.change", obj=obj, changes=diff(before, snapshot(obj)),
               note=_message(message), actor=request.user)  # fmt: skip
        return result

    def audited_log_deletions(self: ModelAdmin[Any], request: HttpRequest, queryset: Any) -> Any:
        objects = list(queryset)  # called before the deletion
        result = log_deletions(self, request, queryset)
        for obj in objects:
            record("admin.delete", obj=obj, changes=diff(snapshot(obj), {}), actor=request.user)
        return result

    def audited_get_actions(
        self: ModelAdmin[Any],
        request: HttpRequest,
        action_location: ActionLocation = ActionLocation.CHANGE_LIST,
    ) -> Any:
        actions = get_actions(self, request, action_location=action_location)
        return {name: _wrapped(name, action) for name, action in actions.items()}

    ModelAdmin.get_object = audited_get_object  # type: ignore[method-assign]
    ModelAdmin.log_addition = audited_log_addition  # type: ignore[method-assign]
    ModelAdmin.log_change = audited_log_change  # type: ignore[method-assign]
    ModelAdmin.log_deletions = audited_log_deletions  # type: ignore[method-assign]
    ModelAdmin.get_actions = audited_get_actions  # type: ignore[method-assign]
    setattr(ModelAdmin, _INSTALLED, True)


def _wrapped(name: str, action: Any) -> Any:
    """The action with its run recorded: who ran which action on which ids."""
    if name == "delete_selected":  # each deletion is logged by log_deletions
        return action
    is_dataclass = dataclasses.is_dataclass(action) and not isinstance(action, type)
    func: Any = getattr(action, "func", None) if is_dataclass else action[0]
    description: Any = getattr(action, "description", "") if is_dataclass else action[2]

    @functools.wraps(func)
    def audited(modeladmin: ModelAdmin[Any], request: HttpRequest, queryset: Any) -> Any:
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)[: MAX_IDS + 1]]
        response = func(modeladmin, request, queryset)
        record(
            f"admin.action.{name}",
            object_type=modeladmin.model._meta.label_lower,
            object_id=ids[0] if len(ids) == 1 else "",
            object_repr=str(description)[:200],
            changes={"selected": ids[:MAX_IDS], "more": len(ids) > MAX_IDS},
            actor=request.user,
        )
        return response

    if is_dataclass:
        return dataclasses.replace(action, func=audited)
    return (audited, *tuple(action)[1:])
