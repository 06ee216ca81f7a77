from django.contrib import admin

from danvan.core.forms import TextModelForm

from .models import Agency, Unit, UnitSuccession


class SuccessionInline(admin.TabularInline[UnitSuccession, Unit]):
    form = TextModelForm
    model = UnitSuccession
    fk_name = "predecessor"
    extra = 0
    raw_id_fields = ["successor"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    form = TextModelForm
    list_display = ["name", "code", "level", "kind", "parent", "valid_from", "valid_until"]
    list_filter = ["level", "kind", "valid_until"]
    search_fields = ["name", "code", "folded_name"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    inlines = [SuccessionInline]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    form = TextModelForm
    list_display = ["name", "type", "home_unit", "parent", "is_active"]
    list_filter = ["type", "is_active"]
    search_fields = ["name", "short_name", "code"]
    list_select_related = ["home_unit", "parent"]
    # Autocomplete, not a select of 14,000 units: officials' PCs are old.
    autocomplete_fields = ["home_unit", "parent", "served_units"]
