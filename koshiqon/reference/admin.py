"""Admin pages for the reference tables: for looking, not for editing.

The data files in `reference/data/` are the source of truth and `load_reference` overwrites the tables from
them, so an edit made here would be silently undone. Change a file (and its SOURCES.md note), then reload.
"""

from django.contrib import admin

from koshiqon.core.domain.permissions import Perm
from koshiqon.core.models import DayTransfer, MciRate
from koshiqon.core.permissions import can
from koshiqon.reference.models import Country, EducationLevel, Occupation, Region, RegionName


class ViewOnly:
    """Administrators (the role, see core.domain.permissions) may look; nobody adds, changes or deletes here.
    Django's own model permissions still let superusers look too."""

    def has_view_permission(self, request, obj=None):
        return can(request.user, Perm.REFERENCE_CHANGE) or super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ViewOnly, admin.ModelAdmin):
    def has_module_permission(self, request):
        return can(request.user, Perm.REFERENCE_CHANGE) or super().has_module_permission(request)


class RegionNameInline(ViewOnly, admin.TabularInline):
    model = RegionName
    fields = ["valid_from", "valid_to", "name_kk", "name_ru", "name_en", "legal_basis"]
    extra = 0


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "kato", "kind", "current_name", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["code", "kato", "names__name_kk", "names__name_ru", "names__name_en"]
    inlines = [RegionNameInline]

    @admin.display(description="name")
    def current_name(self, obj):
        return obj.name

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("names")


@admin.register(Country)
class CountryAdmin(ReadOnlyAdmin):
    list_display = ["alpha2", "alpha3", "numeric", "name_kk", "name_ru", "name_en", "eaeu_member_since"]
    list_filter = [("eaeu_member_since", admin.EmptyFieldListFilter)]
    search_fields = ["alpha2", "alpha3", "numeric", "name_kk", "name_ru", "name_en"]


@admin.register(Occupation)
class OccupationAdmin(ReadOnlyAdmin):
    list_display = ["code", "level", "name_kk", "name_ru", "name_en"]
    list_filter = ["level"]
    search_fields = ["code", "name_kk", "name_ru", "name_en"]
    ordering = ["code"]


@admin.register(EducationLevel)
class EducationLevelAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_kk", "name_ru", "name_en"]


@admin.register(MciRate)
class MciRateAdmin(ReadOnlyAdmin):
    list_display = ["valid_from", "tenge", "confidence", "legal_basis"]
    date_hierarchy = "valid_from"


@admin.register(DayTransfer)
class DayTransferAdmin(ReadOnlyAdmin):
    list_display = ["working_day", "day_off", "legal_basis"]
    date_hierarchy = "working_day"
