"""Building a criteria set in the administration: the set with its tiers, criteria tree and
disqualifying conditions as inlines; putting it in force; a new version as a copy; export
and import as a spreadsheet. A frozen set (used by a round) opens read-only."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core.downloads import XLSX, file_response
from danvan.core.forms import TextForm, TextModelForm
from danvan.core.uploads import read_limited

from .models import CriteriaSet, Criterion, Disqualifier, Round, TierBand
from .sets import SetError, set_new_version, set_problems, set_put_in_force
from .sheets import set_export, set_import


class FrozenInline:
    """Inline rows of a frozen set are shown, never changed."""

    def _editable(self, obj: CriteriaSet | None) -> bool:
        return obj is None or not obj.is_frozen

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class TierBandInline(FrozenInline, admin.TabularInline[TierBand, CriteriaSet]):
    model = TierBand
    form = TextModelForm
    extra = 0


class CriterionInline(FrozenInline, admin.StackedInline[Criterion, CriteriaSet]):
    model = Criterion
    form = TextModelForm
    extra = 0
    fk_name = "criteria_set"
    fields = [("code", "parent", "kind", "position"), "title", ("max_points", "scored_by"),
              "evidence", ("metric", "mapping"), ("zero_at", "full_at", "no_data_points"),
              "thresholds"]  # fmt: skip

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "parent":  # only rows of the same set
            set_id = (
                request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            )
            kwargs["queryset"] = Criterion.objects.filter(criteria_set_id=set_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DisqualifierInline(FrozenInline, admin.TabularInline[Disqualifier, CriteriaSet]):
    model = Disqualifier
    form = TextModelForm
    extra = 0


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin[CriteriaSet]):
    form = TextModelForm
    list_display = ["name", "code", "version", "province", "status", "effective_from",
                    "effective_to", "is_example"]  # fmt: skip
    list_filter = ["status", "is_example", "province"]
    search_fields = ["name", "code"]
    readonly_fields = ["status", "problems"]
    inlines = [TierBandInline, CriterionInline, DisqualifierInline]
    actions = ["put_in_force", "new_version", "export"]
    change_list_template = "evaluation/admin/criteriaset_changelist.html"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (obj is None or not obj.is_frozen) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (obj is None or not obj.is_frozen) and super().has_delete_permission(request, obj)

    @admin.display(description=gettext_lazy("What stops it from scoring a round"))
    def problems(self, obj: CriteriaSet) -> str:
        if obj.pk is None:
            return ""
        return " ".join(set_problems(obj)) or _("Nothing: it can score a round.")

    @admin.action(description=gettext_lazy("Put in force"))
    def put_in_force(self, request: HttpRequest, queryset: QuerySet[CriteriaSet]) -> None:
        for criteria_set in queryset:
            try:
                set_put_in_force(criteria_set=criteria_set)
            except SetError as error:
                self.message_user(request, f"{criteria_set}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, _("%(set)s is in force.") % {"set": criteria_set})

    @admin.action(description=gettext_lazy("New version (a draft copy)"))
    def new_version(self, request: HttpRequest, queryset: QuerySet[CriteriaSet]) -> None:
        for criteria_set in queryset:
            copy = set_new_version(criteria_set=criteria_set)
            self.message_user(request, _("%(set)s was created as a draft.") % {"set": copy})

    @admin.action(description=gettext_lazy("Export as a spreadsheet"))
    def export(self, request: HttpRequest, queryset: QuerySet[CriteriaSet]) -> HttpResponse:
        criteria_set = queryset.order_by("code", "version").first()
        if criteria_set is None:
            return HttpResponseRedirect(request.get_full_path())
        name = f"{criteria_set.code}-v{criteria_set.version}.xlsx"
        return file_response(set_export(criteria_set), name=name, content_type=XLSX)

    def get_urls(self) -> list[URLPattern]:
        import_view = self.admin_site.admin_view(self.import_view)
        return [
            path("import/", import_view, name="evaluation_criteriaset_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                imported = set_import(read_limited(form.cleaned_data["file"]))
            except SetError as error:
                form.add_error("file", error.message)
            else:
                self.message_user(
                    request, _("%(set)s was imported as a draft.") % {"set": imported}
                )
                return redirect(reverse("admin:evaluation_criteriaset_change", args=[imported.pk]))
        context = {**self.admin_site.each_context(request), "form": form,
                   "opts": self.model._meta, "title": _("Import a criteria set")}  # fmt: skip
        return render(request, "evaluation/admin/import.html", context)


class ImportForm(TextForm):
    file = forms.FileField(label=gettext_lazy("Spreadsheet (.xlsx)"))


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin[Round]):
    """Rounds are run from the staff pages; the administration only shows them."""

    form = TextModelForm
    list_display = ["year", "province", "criteria_set", "status", "self_due", "review_due"]
    list_filter = ["status", "year"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
