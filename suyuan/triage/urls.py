from django.urls import path

from . import views

app_name = "triage"

urlpatterns = [
    path("report/", views.report, name="report"),
    path("<str:number>/", views.proposal, name="proposal"),
]
