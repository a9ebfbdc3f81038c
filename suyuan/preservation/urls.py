from django.urls import path

from . import views

app_name = "preservation"

urlpatterns = [
    path("new/<int:dispute_pk>/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/rule/", views.rule, name="rule"),
    path("<int:pk>/measures/", views.place, name="place"),
    path("<int:pk>/measures/<int:measure_pk>/renew/", views.renew, name="renew"),
    path("<int:pk>/measures/<int:measure_pk>/substitute/", views.substitute, name="substitute"),
    path("<int:pk>/lift/", views.lift, name="lift"),
    path("<int:pk>/transfer/", views.transfer, name="transfer"),
    path("<int:pk>/arbitration/", views.arbitration, name="arbitration"),
    path("<int:pk>/ruling-document/", views.ruling_document, name="ruling_document"),
]
