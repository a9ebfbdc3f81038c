from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("public/", views.public, name="public"),
    path("disputes/<str:number>/", views.dispute, name="dispute"),
    path("disputes/<str:number>/access-code/", views.access_code, name="access_code"),
]
