from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/sign/", views.sign, name="sign"),
]
