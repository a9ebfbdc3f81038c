"""Django admin for user accounts: roles, the organisation a user works for, a party's identity.

Every save and delete made in the admin is also written to the audit chain: the admin is a
second door to the same data and must leave the same trace as the services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from .choices import AuditAction
from .context import Origin
from .models import User
from .services import record_audit


class AuditedAdmin(admin.ModelAdmin):
    """Records admin writes in the audit chain (target: model name and primary key)."""

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._audit(request, AuditAction.UPDATE if change else AuditAction.CREATE, obj, list(form.changed_data))

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        self._audit(request, AuditAction.DELETE, obj, [])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self._audit(request, AuditAction.DELETE, obj, [])
        super().delete_queryset(request, queryset)

    def _audit(self, request: HttpRequest, action: AuditAction, obj: Model, fields: list[str]) -> None:
        record_audit(
            actor=request.user,  # type: ignore[arg-type]
            action=action,
            origin=Origin.from_request(request, via="admin"),
            target_type=obj._meta.model_name or "",
            target_id=obj.pk,
            detail={"fields": fields},
        )


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "role", "organisation", "is_active", "is_staff", "last_login"]
    list_filter = ["role", "is_active", "is_staff", "organisation__kind"]
    search_fields = ["username", "full_name", "organisation__name"]
    ordering = ["username"]
    autocomplete_fields = ["organisation"]
    # The party model has no admin of its own (identities are resolved by the parties app only).
    raw_id_fields = ["party"]
    list_select_related = ["organisation"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("身份与职责", {"fields": ("full_name", "role", "organisation", "party", "phone", "email")}),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "usable_password", "password1", "password2")}),
        ("身份与职责", {"fields": ("full_name", "role", "organisation", "party", "phone")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
        # A system administrator (is_staff, not superuser) manages accounts but cannot hand out
        # permissions, their own included: that is the security administrator's duty.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "groups", "user_permissions"]
        return readonly
