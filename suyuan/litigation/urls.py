from django.urls import path

app_name = "litigation"

urlpatterns: list = []
