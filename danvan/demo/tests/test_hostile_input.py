"""Hostile text in every text field of every web form and of the admin's forms, as the
demo's roles send it (issue 16, acceptance: the fuzz test; the REST API and Open311 get the
same in test_hostile_api.py).

Each field gets, one at a time and with the rest of a valid request around it: a NUL; C0
and C1 controls; invisible formatting (bidi override and isolate, zero-width space, byte
order mark) inside the valid value; bytes that are not UTF-8 (and, in JSON, a lone
surrogate escape); one megabyte. Whatever the answer, it is never a server error, nothing
stored holds a character the edge refuses or removes (every INSERT and UPDATE is watched),
a refusal names the character in Vietnamese (a megabyte gets the field's length message),
and invisible formatting changes nothing (the request succeeds as the valid one does). The
requests are rolled back one by one, so each starts from the same data.
"""

import html
import inspect
import re
from typing import Any

import pytest
from django import forms
from django.contrib import admin
from django.test import Client, RequestFactory
from django.utils import translation

from danvan.accounts.roles import Role
from testsupport.platform import served_form_classes, view_modules

from .hostile_edges import NO_TEXT, WEB_EDGES, Edge, World
from .hostile_support import (
    API_FORMS,
    INPUTS,
    NOT_UTF8,
    Figures,
    client_for,
    encode,
    hostile,
    max_length_shown,
    refusal_shown,
    rolled_back,
    session_keep,
    session_restore,
    text_fields,
)  # fmt: skip

pytestmark = pytest.mark.django_db

# --- the web forms ------------------------------------------------------------------------------


def send(client: Client, edge: Edge, url: str, body: str) -> Any:
    if edge.method == "get":
        return client.get(f"{url}?{body}")
    kind = "application/x-www-form-urlencoded"
    return client.post(url, body, content_type=kind, follow=edge.follow)


def edge_client(edge: Edge, world: World) -> Client:
    """A client at the form's step: signed in as the edge's role, past the steps before."""
    client = client_for(edge.role, world)
    if edge.before is not None:
        edge.before(client, world)
    session_keep(client)
    return client


def edge_fields(edge: Edge) -> dict[str, forms.CharField]:
    """The form's text fields as its view makes it (some add fields in __init__)."""
    return text_fields(edge.form(**edge.form_kwargs) if edge.form_kwargs else edge.form)


def web_problems(edge: Edge, world: World, figures: Figures) -> list[str]:
    client, url, data = edge_client(edge, world), edge.url(world), edge.data(world)
    problems: list[str] = []
    with rolled_back():
        status = send(client, edge, url, encode(data)).status_code
    if status != edge.success:
        return [f"{edge.form.__name__}: the valid post answered {status}"]
    for name, field in edge_fields(edge).items():
        figures.fields += 1
        for kind in INPUTS:
            figures.requests += 1
            session_restore(client)  # a post that passed a step moved it, then was rolled back
            with rolled_back():
                problems += _web_check(client, edge, url, data, name, field, kind)
    return problems


def _web_check(client: Client, edge: Edge, url: str, data: dict[str, Any], name: str,
               field: forms.CharField, kind: str) -> list[str]:  # fmt: skip
    value = str(data.get(name, ""))
    if kind == "not_utf8":
        body = encode(data, name, NOT_UTF8)
    else:
        body = encode({**data, name: hostile(kind, value)})
    response = send(client, edge, url, body)
    page = response.content.decode()
    where = f"{edge.form.__name__}.{name} {kind}"
    expected, shown = _web_expected(edge, field, kind, value)
    if expected is not None and response.status_code != expected:
        return [f"{where}: answered {response.status_code}, not {expected}"]
    if response.status_code >= 500:
        return [f"{where}: server error {response.status_code}"]
    if shown and html.escape(shown, quote=False) not in page:
        return [f"{where}: the page does not say {shown!r}"]
    return []


def _web_expected(edge: Edge, field: forms.CharField, kind: str,
                  value: str) -> tuple[int | None, str]:  # fmt: skip
    """The status the post must answer (None: any below 500) and the message it shows."""
    hidden = isinstance(field.widget, forms.HiddenInput)
    if isinstance(field.widget, forms.PasswordInput):  # kept as typed, so simply wrong
        nul = "Nội dung không được chứa ký tự rỗng (NUL)."
        return (None, "") if kind == "not_utf8" else (edge.invalid, nul if kind == "nul" else "")
    if kind == "invisible":
        return edge.success, ""
    if kind == "not_utf8":
        return None, ""
    if kind == "megabyte":
        return edge.invalid, "" if hidden else max_length_shown(field)
    return edge.invalid, "" if hidden else refusal_shown(kind, value)


def posted_as_subclasses(cls: type[forms.BaseForm], fuzzed: set[Any]) -> bool:
    """A base class that no view names (LongCodeForm) reaches people only as its subclasses:
    it is fuzzed when they all are."""
    subclasses = [sub for sub in cls.__subclasses__() if ".tests" not in sub.__module__]
    if not subclasses or any(
        re.search(rf"\b{cls.__name__}\b", inspect.getsource(module)) for module in view_modules()
    ):
        return False
    return all(sub in fuzzed or posted_as_subclasses(sub, fuzzed) for sub in subclasses)


def test_every_web_form_is_in_the_fuzzing():
    admins = [
        m for model, m in admin.site._registry.items() if model.__module__.startswith("danvan.")
    ]
    fuzzed = {edge.form for edge in WEB_EDGES} | {m.form for m in admins}
    fuzzed |= {m.add_form for m in admins if hasattr(m, "add_form")}
    missing = {
        cls.__qualname__
        for cls in served_form_classes() - fuzzed - NO_TEXT
        if text_fields(cls)
        and cls.__qualname__ not in API_FORMS
        and not posted_as_subclasses(cls, fuzzed)
    }
    assert missing == set()
    assert all(text_fields(cls) == {} for cls in NO_TEXT)
    # a form whose view adds its text fields (SignupConfirmForm) is fuzzed as the view makes it
    assert [edge.form.__name__ for edge in WEB_EDGES if not edge_fields(edge)] == []


def test_hostile_text_in_every_web_form(world, stored):
    figures = Figures("web forms")
    problems = [p for edge in WEB_EDGES for p in web_problems(edge, world, figures)]
    figures.report()
    assert problems == [], "\n".join(problems)
    assert figures.fields >= 84  # 84 when written (75 before the account codes and delegations)


# --- the admin's add forms ----------------------------------------------------------------------


def admin_problems(model_admin: Any, client: Client, request: Any, figures: Figures) -> list[str]:
    """The add form with its inlines, and the change form when it is another class (the
    users')."""
    meta = model_admin.model._meta
    url = f"/admin/{meta.app_label}/{meta.model_name}/"
    pages = [(url + "add/", model_admin.get_form(request))]
    if getattr(model_admin, "add_form", model_admin.form) is not model_admin.form:
        first = model_admin.model.objects.order_by("pk").first()
        pages.append((f"{url}{first.pk}/change/", model_admin.get_form(request, first)))
    problems: list[str] = []
    for page, form in pages:
        for name, field in text_fields(form).items():
            if not isinstance(field.widget, forms.PasswordInput):
                figures.fields += 1
                problems += _admin_field_problems(client, page, name, field, figures)
    return problems + _inline_problems(model_admin, client, url + "add/", request, figures)


def _inline_problems(model_admin: Any, client: Client, url: str, request: Any,
                     figures: Figures) -> list[str]:  # fmt: skip
    """The text fields of each inline (a criteria set's criteria, tiers and conditions),
    posted as the first row of its formset beside every inline's management form."""
    formsets = [inline.get_formset(request) for inline in model_admin.get_inline_instances(request)]
    management = {f"{formset.get_default_prefix()}-{key}": "0"
                  for formset in formsets for key in ("TOTAL_FORMS", "INITIAL_FORMS")}  # fmt: skip
    problems: list[str] = []
    for formset in formsets:
        prefix = formset.get_default_prefix()
        data = {**management, f"{prefix}-TOTAL_FORMS": "1"}
        for name, field in text_fields(formset.form).items():
            figures.fields += 1
            problems += _admin_field_problems(client, url, f"{prefix}-0-{name}", field, figures,
                                              data=data)  # fmt: skip
    return problems


def _admin_field_problems(client: Client, url: str, name: str, field: forms.CharField,
                          figures: Figures, data: dict[str, str] | None = None) -> list[str]:  # fmt: skip
    problems = []
    for kind in ("nul", "controls", "megabyte"):
        figures.requests += 1
        with rolled_back():
            response = client.post(url, {**(data or {}), name: hostile(kind, "An")})
        shown = max_length_shown(field) if kind == "megabyte" else refusal_shown(kind, "An")
        if response.status_code != 200 or shown not in response.content.decode():
            problems.append(f"{url} {name} {kind}: {response.status_code}, no {shown!r}")
    return problems


def test_hostile_text_in_every_admin_add_form(world, stored):
    figures = Figures("admin add forms")
    user = world.users[Role.ADMINISTRATOR]
    client, request = client_for(Role.ADMINISTRATOR, world), RequestFactory().get("/admin/")
    request.user = user
    ours = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("danvan.") and model_admin.has_add_permission(request)
    ]
    with translation.override("vi"):
        problems = [p for m in ours for p in admin_problems(m, client, request, figures)]
    figures.report()
    assert problems == [], "\n".join(problems)
    assert len(ours) >= 12
    assert figures.fields >= 38  # 38 when the inlines' fields joined (30 before)
