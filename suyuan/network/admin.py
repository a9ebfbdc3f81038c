"""Django admin for the network's reference data. Disputes are never edited here."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from suyuan.accounts.admin import AuditedAdmin

from .models import GridWorker, Mediator, Organisation, Region


@admin.register(Region)
class RegionAdmin(AuditedAdmin):
    """Read-mostly: official codes come from the NBS fixture; only names and population are edited."""

    list_display = ["code", "name", "level", "parent", "population", "generated"]
    list_filter = ["level", "generated"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "level", "parent", "path", "generated"]
    list_select_related = ["parent"]
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "kind", "region", "parent", "court_code", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "short_name", "court_code"]
    autocomplete_fields = ["parent", "region"]
    list_select_related = ["region", "parent"]
    list_per_page = 50


@admin.register(Mediator)
class MediatorAdmin(AuditedAdmin):
    list_display = ["name", "kind", "status", "capacity", "joined_on"]
    list_filter = ["kind", "status", "organisations__kind"]
    search_fields = ["name", "phone"]
    autocomplete_fields = ["organisations", "regions", "user"]
    list_per_page = 50


@admin.register(GridWorker)
class GridWorkerAdmin(AuditedAdmin):
    list_display = ["user", "phone", "grid_count"]
    search_fields = ["user__full_name", "user__username", "grids__name"]
    autocomplete_fields = ["user", "grids"]
    list_select_related = ["user"]

    @admin.display(description="网格数")
    def grid_count(self, obj: GridWorker) -> int:
        return obj.grids.count()
