from django.urls import path

from . import views

app_name = "integrity"

urlpatterns = [
    path("groups/", views.groups, name="groups"),
    path("similar/", views.similar, name="similar"),
    path("<str:number>/", views.dispute_check, name="check"),
    path("<str:number>/decide/", views.decide, name="decide"),
]
