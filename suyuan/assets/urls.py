from django.urls import path

from . import views

app_name = "assets"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("clue/", views.clue, name="clue"),
    path("place/", views.place, name="place"),
    path("measures/<int:pk>/renew/", views.renew, name="renew"),
    path("measures/<int:pk>/release/", views.release, name="release"),
    path("measures/<int:pk>/deduct/", views.deduct, name="deduct"),
    path("measures/<int:pk>/substitute/", views.substitute, name="substitute"),
]
