"""Administrators create deputies' accounts: a User with role 人大代表/政协委员 and this profile."""

from django.contrib import admin

from suyuan.accounts.admin import AuditedAdmin

from .models import DeputyProfile


@admin.register(DeputyProfile)
class DeputyProfileAdmin(AuditedAdmin):
    list_display = ("user", "kind", "body", "sector")
    list_filter = ("kind",)
    search_fields = ("user__full_name", "body")
    autocomplete_fields = ("user",)
