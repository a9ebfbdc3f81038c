from django.urls import path

from . import views

app_name = "assistance"

urlpatterns = [
    path("", views.my_tasks, name="mine"),
    path("<int:pk>/", views.task_page, name="task"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
