from django.contrib import admin

from .models import ProvincialWage


@admin.register(ProvincialWage)
class ProvincialWageAdmin(admin.ModelAdmin):
    """Operators enter a year's wage when the statistics bureau publishes it, with its source."""

    list_display = ("province_name", "year", "amount", "basis", "published_on", "source")
    list_filter = ("province_name",)
