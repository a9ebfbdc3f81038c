from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("organisations/", views.organisations, name="organisations"),
    path("roster/", views.roster, name="roster"),
    path("roster/export.xlsx", views.roster_export, name="roster_export"),
    path("roster/import/", views.roster_import, name="roster_import"),
    path("roster/template.xlsx", views.roster_template, name="roster_template"),
    path("mediators/<int:mediator_id>/status/", views.mediator_status, name="mediator_status"),
    path("grid-workers/", views.grid_workers, name="grid_workers"),
]
